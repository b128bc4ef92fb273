package io.kv.testkit;

import io.kv.KvStore;

/**
 * Gives the store to the groups of the contract nested in it, so that a store keeping only part of
 * the contract runs the groups it keeps over one definition of the store. {@link KvStoreContract}
 * is the suite with every group; for a chosen few:
 *
 * <pre>{@code
 * class MyStoreContractTest extends ContractSuite {
 *   @Override
 *   protected KvStore newStore(MutableClock clock) {
 *     return new MyStore(clock);
 *   }
 *
 *   @Nested
 *   class Entries extends EntryContract {
 *     Entries() {
 *       super(MyStoreContractTest.this);
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>The suite opens the store before each check of a nested group and closes it after, then runs
 * {@link #afterClose(KvStore)}; {@link #controllableClock()} declared here holds for every nested
 * group. The suite has no checks of its own.
 *
 * <p>Not thread-safe; JUnit creates one instance per check.
 */
public abstract class ContractSuite extends ContractGroup {
  /** For subclasses. */
  protected ContractSuite() {}

  /**
   * A new, empty store whose time comes from {@code clock}. Called before each check; the suite
   * closes it after, then calls {@link #afterClose(KvStore)}.
   */
  @Override
  protected abstract KvStore newStore(MutableClock clock);
}
