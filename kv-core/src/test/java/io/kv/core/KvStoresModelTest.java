package io.kv.core;

import io.kv.memory.MemoryKvStore;
import io.kv.testkit.ModelCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The full stack the builder makes, over the memory store, against the reference model. */
class KvStoresModelTest {
  @Test
  void everySequenceMatchesTheModel() {
    ModelCheck.of("memory + stack", clock -> KvStores.builder(MemoryKvStore.builder().clock(clock).build())
            .clock(clock)
            // the model writes TTLs down to a millisecond
            .limits(LimitPolicy.defaults().withMinTtl(Duration.ofMillis(1)))
            .audit(AuditSinks.inMemory())
            .permissions(Grants.allowAll())
            .eventExecutor(Runnable::run)
            .encryption(KeyRing.of("k1", MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")))
            .build())
        .sequences(2000)
        .maxLength(40)
        .run();
  }
}
