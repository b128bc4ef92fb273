package com.example.mapstore;

import io.kv.KvStore;
import io.kv.testkit.ContractSuite;
import io.kv.testkit.EntryContract;
import io.kv.testkit.ExpiryContract;
import io.kv.testkit.MutableClock;
import java.time.Clock;
import org.junit.jupiter.api.Nested;

/**
 * The map store keeping time by a clock of its own, as a backend with server-side TTL does: it
 * declares that the test's clock does not reach it, so the checks that move or read that clock are
 * skipped and the others still run.
 */
class MapKvStoreServerTimeTest extends ContractSuite {
  @Override
  protected KvStore newStore(MutableClock ignored) {
    return new MapKvStore(Clock.systemUTC(), Runnable::run);
  }

  @Override
  protected boolean controllableClock() {
    return false;
  }

  @Nested
  class Entries extends EntryContract {
    Entries() {
      super(MapKvStoreServerTimeTest.this);
    }
  }

  @Nested
  class Expiry extends ExpiryContract {
    Expiry() {
      super(MapKvStoreServerTimeTest.this);
    }
  }
}
