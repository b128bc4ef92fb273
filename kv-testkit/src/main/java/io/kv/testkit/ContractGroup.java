package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kv.Capabilities;
import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.Page;
import io.kv.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the contract suite and of each of its groups ({@link EntryContract}, {@link
 * ExpiryContract} and the others). A group runs in one of two ways:
 *
 * <ul>
 *   <li>as part of the whole suite: extend {@link KvStoreContract}, which runs every group as a
 *       {@code @Nested} class over the store it opens;
 *   <li>as a chosen few: extend {@link ContractSuite}, and nest there the groups the store keeps
 *       (a store with no history, say), each constructed with the suite;
 *   <li>alone: extend the group itself and override {@link #newStore(MutableClock)}.
 * </ul>
 *
 * <p>Either way each check gets a new, empty store whose time comes from a {@link MutableClock}
 * standing at {@link #START}. A check that needs a feature the store declares it lacks is
 * skipped (a JUnit assumption, reported as skipped, never as passed):
 *
 * <ul>
 *   <li>secret namespaces, when {@link KvStore#capabilities()} reports {@link
 *       Capabilities.SecretValues#REFUSED} (a stack built without encryption);
 *   <li>a clock the test controls, when {@link #controllableClock()} is overridden to return
 *       false (a backend whose timestamps and expiry come from its server).
 * </ul>
 *
 * <p>After the store is closed, {@link #afterClose(KvStore)} runs: the place to release what the
 * store needed while open (a connection pool, a temporary directory, an executor).
 *
 * <p>Not thread-safe; JUnit creates one instance per check.
 */
public abstract class ContractGroup {
  /** Where the clock of every check starts: a whole millisecond, since timestamps keep millis. */
  public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  /** The namespace most checks write to; never declared, so it behaves with default settings. */
  static final String NS = "app";

  /** The suite that opens and closes the store: this group itself when it runs alone. */
  private final ContractGroup owner;

  private MutableClock clock;
  private KvStore store;

  /** For a group run alone; the subclass overrides {@link #newStore(MutableClock)}. */
  protected ContractGroup() {
    this.owner = this;
  }

  /** For a group nested in {@code suite}, which opens the store, declares its features and closes it. */
  ContractGroup(ContractSuite suite) {
    this.owner = suite;
  }

  /**
   * A new, empty store whose time comes from {@code clock}. Called before each check; the suite
   * closes it after. A group run alone must override this.
   *
   * @param clock the source of time
   * @return a new, empty store whose time comes from {@code clock}
   * @throws UnsupportedOperationException unless overridden
   */
  protected KvStore newStore(MutableClock clock) {
    throw new UnsupportedOperationException(getClass().getName()
        + " runs a contract group alone: override newStore(MutableClock) to give the store under test");
  }

  /**
   * Whether the store takes its time (timestamps, TTL expiry) from the clock handed to {@link
   * #newStore(MutableClock)}. Override to return false for a store whose time is its own, such as
   * a backend with server-side TTL: the checks that move the clock or compare against its instants
   * are then skipped, and the rest still run.
   *
   * @return whether the store takes its time (timestamps, TTL expiry) from the clock handed to
   *     {@link #newStore(MutableClock)}
   */
  protected boolean controllableClock() {
    return true;
  }

  /**
   * How many changes at most the store under test keeps for {@linkplain
   * KvStore#subscribe(io.kv.ChangeFilter, long, io.kv.ChangeListener) resuming from a revision}:
   * the revision checks write one change more than this and expect the first revision refused.
   * The default is the memory store's default log size; override it for a store whose test
   * configuration keeps another number.
   *
   * @return how many changes at most the store under test keeps
   */
  protected int changeLogSize() {
    return 10_000;
  }

  /** {@link #changeLogSize()} of the suite that gives the store. */
  final int changeLogSizeOfStore() {
    return owner.changeLogSize();
  }

  /**
   * Makes the store under test forget its oldest changes, as its own retention would, so that a
   * subscription from revision 0 must be refused. The default writes {@link #changeLogSize()} + 1
   * changes into namespace {@code namespace}, for a store that keeps a number of changes; a store
   * that keeps its changes for a time overrides it (for example: moves {@code clock} past the
   * retention and runs the store's purge, leaving at least one change after the purge).
   *
   * @param store the store under test
   * @param clock the clock the store was built with
   * @param namespace a namespace the check may write to
   */
  protected void compactChangeLog(KvStore store, MutableClock clock, String namespace) {
    int size = changeLogSize();
    Map<String, Value> batch = new HashMap<>();
    for (int i = 0; i <= size; i++) {
      batch.put("k" + (i % 100), Value.number(i));
      if (batch.size() == 100 || i == size) {
        store.putAll(namespace, batch);
        batch.clear();
      }
    }
  }

  /** {@link #compactChangeLog} of the suite that gives the store, on the store under test. */
  final void compactChangeLogOfStore(String namespace) {
    owner.compactChangeLog(store(), owner.clock, namespace);
  }

  /**
   * Runs after each check, once the store has been closed (also when closing failed); what it
   * throws fails the check. Override it to release what the store used; the default does nothing.
   *
   * @param closed the store the check used, already closed
   */
  protected void afterClose(KvStore closed) {}

  /** Creates the clock at {@link #START} and the store from it, unless an enclosing suite did. */
  @BeforeEach
  protected final void openStore() {
    if (owner == this) {
      clock = MutableClock.at(START);
      store = newStore(clock);
    }
  }

  /** Closes the store, then runs {@link #afterClose(KvStore)}, unless an enclosing suite does. */
  @AfterEach
  protected final void closeStore() {
    if (owner != this || store == null) {
      return;
    }
    KvStore closing = store;
    store = null;
    try {
      closing.close();
    } finally {
      afterClose(closing);
    }
  }

  /**
   * The store under test, new and empty for each check.
   *
   * @return the store under test, new and empty for each check
   * @throws IllegalStateException outside a check
   */
  protected final KvStore store() {
    KvStore s = owner.store;
    if (s == null) {
      throw new IllegalStateException("no store is open outside a check");
    }
    return s;
  }

  /**
   * The clock of the store under test; a check that calls this needs a {@linkplain
   * #controllableClock() controllable clock} and is skipped without one.
   *
   * @return the clock of the store under test
   */
  protected final MutableClock clock() {
    assumeTrue(owner.controllableClock(),
        "the store's time is its own (controllableClock() is false): this check moves or reads the test's clock");
    return owner.clock;
  }

  /**
   * The instant the store under test is at; see {@link #clock()}.
   *
   * @return the instant the store under test is at
   */
  protected final Instant now() {
    return clock().instant();
  }

  /**
   * Moves the clock forward and returns the new instant; see {@link #clock()}.
   *
   * @param amount how far to move
   * @return the new instant
   */
  protected final Instant advance(Duration amount) {
    return clock().advance(amount);
  }

  final Instant advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /** Whether the store can hold secret namespaces: false for a stack without encryption. */
  final boolean acceptsSecretNamespaces() {
    return store().capabilities().secretValues() != Capabilities.SecretValues.REFUSED;
  }

  /** Skips the running check unless the store can hold secret namespaces. */
  final void requireSecretNamespaces() {
    assumeTrue(acceptsSecretNamespaces(),
        "the store refuses secret namespaces (capabilities().secretValues() is REFUSED)");
  }

  /** Writes a STRING value under {@code key} in {@link #NS}. */
  final Entry put(String key, String text) {
    return store().put(NS, key, Value.string(text));
  }

  /** The key of each entry of {@code page}, in page order. */
  static List<String> keys(Page page) {
    return page.entries().stream().map(Entry::key).collect(Collectors.toList());
  }

  /** Asserts that {@code call} throws {@code type} and returns what it threw. */
  static <T extends Throwable> T thrown(Class<T> type, ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).as("expected %s", type.getSimpleName()).isInstanceOf(type);
    return type.cast(t);
  }

  /** Asserts that {@code call} throws an {@link InvalidInputException} naming {@code field}. */
  static InvalidInputException invalid(String field, ThrowingCallable call) {
    InvalidInputException e = thrown(InvalidInputException.class, call);
    assertThat(e.field()).as("InvalidInputException.field()").isEqualTo(field);
    return e;
  }
}
