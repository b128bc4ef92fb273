package io.kv.memory;

import io.kv.KvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;

/** The memory store against the contract suite. */
class MemoryKvStoreContractTest extends KvStoreContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    return MemoryKvStore.builder().clock(clock).build();
  }
}
