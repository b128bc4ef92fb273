package io.kv.core.internal;

import io.kv.KvStore;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;

/** The versioning layer over the memory store against the contract suite. */
class VersioningLayerContractTest extends KvStoreContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    return new VersioningLayer(MemoryKvStore.builder().clock(clock).build());
  }
}
