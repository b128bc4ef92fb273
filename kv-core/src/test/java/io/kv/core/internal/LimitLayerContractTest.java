package io.kv.core.internal;

import io.kv.KvStore;
import io.kv.core.LimitPolicy;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.util.Map;

/**
 * The limits layer over the memory store against the contract suite, with every limit on but
 * generous: the quota and rate paths run on every call without refusing any.
 */
class LimitLayerContractTest extends KvStoreContract {
  /** InputRules no contract test reaches, with every check switched on. */
  static final LimitPolicy GENEROUS = LimitPolicy.defaults()
      .withMinTtl(Duration.ofMillis(1))
      .withMaxEntriesPerNamespace(1_000_000)
      .withMaxOperationsPerSecond(10_000_000);

  @Override
  protected KvStore newStore(MutableClock clock) {
    return new LimitLayer(MemoryKvStore.builder().clock(clock).build(), clock, GENEROUS, Map.of("other", GENEROUS));
  }
}
