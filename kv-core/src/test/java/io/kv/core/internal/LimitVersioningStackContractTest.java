package io.kv.core.internal;

import io.kv.KvStore;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import java.util.Map;

/**
 * InputRules over versioning over the memory store, in the builder's order, against the contract
 * suite, with generous limits. The namespaces layer is left out as the builder leaves it out when
 * declared namespaces are not required: the contract writes to undeclared namespaces.
 */
class LimitVersioningStackContractTest extends KvStoreContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    KvStore backend = MemoryKvStore.builder().clock(clock).build();
    return new LimitLayer(new VersioningLayer(backend), clock, LimitLayerContractTest.GENEROUS, Map.of());
  }
}
