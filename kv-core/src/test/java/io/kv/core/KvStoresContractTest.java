package io.kv.core;

import io.kv.KvStore;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import java.time.Duration;

/** The contract holds through the stack the builder makes, with every layer in it. */
class KvStoresContractTest extends KvStoreContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    return everyLayerButEncryption(clock)
        .encryption(KeyRing.of("k1", MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")))
        .build();
  }

  /** A builder over a new memory store with every layer the suite can reach, encryption aside. */
  static KvStores.Builder everyLayerButEncryption(MutableClock clock) {
    return KvStores.builder(MemoryKvStore.builder().clock(clock).build())
        .clock(clock)
        // The suite writes TTLs down to a millisecond; the one-second default minimum is tested
        // in KvStoresTest.
        .limits(LimitPolicy.defaults().withMinTtl(Duration.ofMillis(1)))
        .secretHistory(5)
        .audit(AuditSinks.inMemory())
        .permissions(Grants.allowAll())
        .eventExecutor(Runnable::run);
  }
}
