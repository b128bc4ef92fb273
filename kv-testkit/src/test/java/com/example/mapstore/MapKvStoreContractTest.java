package com.example.mapstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.KvStore;
import io.kv.testkit.ConditionalWriteContract;
import io.kv.testkit.ContractSuite;
import io.kv.testkit.EntryContract;
import io.kv.testkit.ExpiryContract;
import io.kv.testkit.MutableClock;
import io.kv.testkit.PrincipalContract;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Nested;

/**
 * The map store through the groups of the contract it keeps: it keeps no history and checks no
 * input rules, so the history, event, bulk, listing and validation groups are left out. Events go
 * to a thread of their own, which is shut down once the store is closed.
 */
class MapKvStoreContractTest extends ContractSuite {
  private ExecutorService events;

  @Override
  protected KvStore newStore(MutableClock clock) {
    events = Executors.newSingleThreadExecutor();
    return new MapKvStore(clock, events);
  }

  @Override
  protected void afterClose(KvStore closed) {
    assertThat(((MapKvStore) closed).isClosed()).as("the store is closed before the teardown hook runs").isTrue();
    events.shutdownNow();
  }

  @Nested
  class Entries extends EntryContract {
    Entries() {
      super(MapKvStoreContractTest.this);
    }
  }

  @Nested
  class ConditionalWrites extends ConditionalWriteContract {
    ConditionalWrites() {
      super(MapKvStoreContractTest.this);
    }
  }

  @Nested
  class Expiry extends ExpiryContract {
    Expiry() {
      super(MapKvStoreContractTest.this);
    }
  }

  @Nested
  class Principals extends PrincipalContract {
    Principals() {
      super(MapKvStoreContractTest.this);
    }
  }
}
