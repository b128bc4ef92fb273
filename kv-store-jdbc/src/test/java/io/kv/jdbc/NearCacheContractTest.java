package io.kv.jdbc;

import io.kv.KvStore;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;

/** The near-cache over the memory store keeps the whole contract. */
class NearCacheContractTest extends KvStoreContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    return NearCache.builder().clock(clock).build(MemoryKvStore.builder().clock(clock).build());
  }
}
