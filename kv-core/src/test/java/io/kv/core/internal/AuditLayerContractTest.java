package io.kv.core.internal;

import io.kv.KvStore;
import io.kv.core.AuditFailurePolicy;
import io.kv.core.AuditSinks;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;

/** The audit layer over the memory store keeps the whole contract. */
class AuditLayerContractTest extends KvStoreContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    return new AuditLayer(MemoryKvStore.builder().clock(clock).build(), AuditSinks.inMemory(),
        AuditFailurePolicy.FAIL_OPERATION, clock);
  }
}
