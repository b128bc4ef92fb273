package io.kv.core.internal;

import io.kv.KvStore;
import io.kv.core.Grants;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;

/**
 * The permission layer over the memory store, with a policy that grants everything, keeps the
 * whole contract: its own listing cursors and filtered paging included.
 */
class PermissionLayerContractTest extends KvStoreContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    return new PermissionLayer(MemoryKvStore.builder().clock(clock).build(), Grants.allowAll());
  }
}
