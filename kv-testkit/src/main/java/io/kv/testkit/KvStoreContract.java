package io.kv.testkit;

import io.kv.KvStore;
import org.junit.jupiter.api.Nested;

/**
 * The contract every {@link KvStore} keeps, as a JUnit 5 suite. A backend (or a stack of layers)
 * runs it by extending this class:
 *
 * <pre>{@code
 * class MemoryKvStoreContractTest extends KvStoreContract {
 *   @Override
 *   protected KvStore newStore(MutableClock clock) {
 *     return MemoryKvStore.builder().clock(clock).build();
 *   }
 * }
 * }</pre>
 *
 * <p>Each check gets a new, empty store whose time comes from a {@link MutableClock} standing at
 * {@link #START}; checks move the clock instead of sleeping, and assert exact versions,
 * timestamps and expiry instants. The groups below are {@code @Nested} classes, so a report
 * shows which behaviour failed; each group is also public, so a store that keeps only part of the
 * contract runs just the groups it keeps (see {@link ContractSuite}). Checks that need a
 * feature the store declares it lacks are skipped: secret namespaces by {@link
 * KvStore#capabilities()}, a controllable clock by {@link #controllableClock()}. Expiry events
 * are not checked: a backend may report expiry only when it sweeps.
 *
 * <p>Not thread-safe; JUnit creates one instance per check.
 */
public abstract class KvStoreContract extends ContractSuite {
  /** For subclasses. */
  protected KvStoreContract() {}

  /** get, put, create, update, delete and what they return. */
  @Nested
  class Entries extends EntryContract {
    Entries() {
      super(KvStoreContract.this);
    }
  }

  /** compareAndSet and deleteIfVersion. */
  @Nested
  class ConditionalWrites extends ConditionalWriteContract {
    ConditionalWrites() {
      super(KvStoreContract.this);
    }
  }

  /** getAll, putAll and deleteAll. */
  @Nested
  class BulkOperations extends BulkContract {
    BulkOperations() {
      super(KvStoreContract.this);
    }
  }

  /** TTLs and expiry at the exact instant. */
  @Nested
  class Expiry extends ExpiryContract {
    Expiry() {
      super(KvStoreContract.this);
    }
  }

  /** Writes after the clock steps back; timestamps of an entry never go backwards. */
  @Nested
  class ClockSteppingBack extends ClockStepContract {
    ClockSteppingBack() {
      super(KvStoreContract.this);
    }
  }

  /** Prefix listing, order, paging and count. */
  @Nested
  class Listing extends ListingContract {
    Listing() {
      super(KvStoreContract.this);
    }
  }

  /** Input rules for keys, namespaces, values, options and nulls. */
  @Nested
  class Validation extends ValidationContract {
    Validation() {
      super(KvStoreContract.this);
    }
  }

  /** Namespace administration and what settings do to writes. */
  @Nested
  class NamespaceAdministration extends NamespaceContract {
    NamespaceAdministration() {
      super(KvStoreContract.this);
    }
  }

  /** Version history, rotate and rollback. */
  @Nested
  class History extends HistoryContract {
    History() {
      super(KvStoreContract.this);
    }
  }

  /** Change events and subscriptions. */
  @Nested
  class Events extends EventContract {
    Events() {
      super(KvStoreContract.this);
    }
  }

  /** Principals, views and the store's lifecycle. */
  @Nested
  class Principals extends PrincipalContract {
    Principals() {
      super(KvStoreContract.this);
    }
  }

  /** Races with a deterministic outcome. */
  @Nested
  class Concurrency extends ConcurrencyContract {
    Concurrency() {
      super(KvStoreContract.this);
    }
  }

  /** Revisions, and subscribing from one. */
  @Nested
  class Revisions extends RevisionContract {
    Revisions() {
      super(KvStoreContract.this);
    }
  }

  /** Multi-key transactions, all-or-nothing. */
  @Nested
  class Transactions extends TransactionContract {
    Transactions() {
      super(KvStoreContract.this);
    }
  }

  /** No stored value in exception messages or in toString. */
  @Nested
  class NoValueLeaks extends SecrecyContract {
    NoValueLeaks() {
      super(KvStoreContract.this);
    }
  }
}
