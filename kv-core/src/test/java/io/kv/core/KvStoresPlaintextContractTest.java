package io.kv.core;

import io.kv.KvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;

/**
 * The whole contract through a stack built without encryption: it refuses secret namespaces and
 * says so in its capabilities, so only the checks that need one are skipped.
 */
class KvStoresPlaintextContractTest extends KvStoreContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    return KvStoresContractTest.everyLayerButEncryption(clock).build();
  }
}
