package io.kv.core;

import io.kv.KvStore;
import io.kv.testkit.BadInputContract;
import io.kv.testkit.MutableClock;

/** The bad-input corpus through the stack the builder makes, with every layer in it. */
class KvStoresBadInputTest extends BadInputContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    // The very stack the contract suite runs over, so both suites judge one configuration.
    return new KvStoresContractTest().newStore(clock);
  }

  @Override
  protected String subject() {
    return "memory + stack";
  }
}
