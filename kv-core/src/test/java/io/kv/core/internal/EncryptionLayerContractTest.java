package io.kv.core.internal;

import io.kv.KvStore;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;

/**
 * The encryption layer over the memory store against the whole contract suite: the suite writes
 * to undeclared (so not secret) namespaces, so this proves the layer forwards every operation
 * faithfully; {@link EncryptionLayerTest} covers secret namespaces.
 */
class EncryptionLayerContractTest extends KvStoreContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    return new EncryptionLayer(MemoryKvStore.builder().clock(clock).build(), TestKeys.single("k1"));
  }
}
