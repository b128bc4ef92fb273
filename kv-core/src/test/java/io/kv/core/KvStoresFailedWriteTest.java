package io.kv.core;

import io.kv.KvStore;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.FailedWriteContract;
import io.kv.testkit.MutableClock;
import java.util.Base64;

/** A failed operation through the full stack over the memory store leaves it as it was. */
class KvStoresFailedWriteTest extends FailedWriteContract {
  @Override
  protected KvStore newBackend(MutableClock clock) {
    return MemoryKvStore.builder().clock(clock).build();
  }

  @Override
  protected KvStore newStack(KvStore backend, MutableClock clock, String keyId, byte[] masterKey) {
    return KvStores.builder(backend)
        .clock(clock)
        .audit(AuditSinks.inMemory())
        .permissions(Grants.allowAll())
        .eventExecutor(Runnable::run)
        .encryption(KeyRing.of(keyId, MasterKeys.fromBase64(Base64.getEncoder().encodeToString(masterKey))))
        .build();
  }
}
