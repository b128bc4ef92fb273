package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Entry;
import io.kv.NamespaceSettings;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A clock that steps back (an NTP correction): every write goes on working, the timestamps of one
 * entry never go backwards (a write over an entry is stamped with the later of the clock and the
 * entry's {@code updatedAt}, and keeps its {@code createdAt}), and a TTL still counts from the
 * clock, which decides expiry.
 */
public abstract class ClockStepContract extends ContractGroup {
  private static final Duration STEP = Duration.ofHours(1);
  private static final String HIST = "clock-hist";

  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected ClockStepContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected ClockStepContract(ContractSuite suite) {
    super(suite);
  }

  private static Value v(String text) {
    return Value.string(text);
  }

  private Instant stepBack() {
    return advance(STEP.negated());
  }

  private static void assertStamped(Entry e, long version, Instant createdAt, Instant updatedAt) {
    assertThat(e.version()).as("version").isEqualTo(version);
    assertThat(e.createdAt()).as("createdAt of version %s", version).isEqualTo(createdAt);
    assertThat(e.updatedAt()).as("updatedAt of version %s", version).isEqualTo(updatedAt);
  }

  @Test
  void everySingleWriteOverAnEntryGoesOnAfterTheClockStepsBack() {
    Instant t0 = now();
    store().create(NS, "k", v("one"));
    stepBack();

    assertStamped(store().put(NS, "k", v("two")), 2, t0, t0);
    assertStamped(store().update(NS, "k", v("three"), WriteOptions.none()), 3, t0, t0);
    assertStamped(store().compareAndSet(NS, "k", 3, v("four"), WriteOptions.none()), 4, t0, t0);
    assertStamped(store().rotate(NS, "k", v("five"), WriteOptions.none()), 5, t0, t0);
    assertThat(store().get(NS, "k")).hasValueSatisfying(e -> assertStamped(e, 5, t0, t0));

    // Once the clock has passed the entry's time again, writes take the clock's time.
    Instant later = advance(STEP.plusSeconds(1));
    assertStamped(store().put(NS, "k", v("six")), 6, t0, later);
  }

  @Test
  void anEntryWithAnExpiryIsOverwrittenAfterTheClockStepsBack() {
    Instant t0 = now();
    store().put(NS, "k", v("one"), WriteOptions.ttl(STEP.multipliedBy(3)));
    stepBack();

    assertStamped(store().put(NS, "k", v("two"), WriteOptions.ttl(STEP.multipliedBy(3))), 2, t0, t0);
    assertStamped(store().update(NS, "k", v("three"), WriteOptions.none()), 3, t0, t0);
  }

  @Test
  void aTtlCountsFromTheClockAfterItStepsBack() {
    Instant t0 = now();
    store().create(NS, "k", v("one"));
    Instant back = stepBack();
    Duration ttl = Duration.ofSeconds(60);

    Entry e = store().put(NS, "k", v("two"), WriteOptions.ttl(ttl));

    assertStamped(e, 2, t0, t0);
    assertThat(e.expiresAt()).contains(back.plus(ttl));
    clock().set(back.plus(ttl).minusMillis(1));
    assertThat(store().get(NS, "k")).contains(e);
    clock().set(back.plus(ttl));
    assertThat(store().get(NS, "k")).isEmpty();
  }

  @Test
  void anEntryNewAfterTheClockStepsBackTakesTheClocksTime() {
    store().create(NS, "old", v("one"));
    Instant back = stepBack();

    assertStamped(store().create(NS, "new", v("two")), 1, back, back);
  }

  @Test
  void aBulkWriteOverEntriesGoesOnAfterTheClockStepsBack() {
    Instant t0 = now();
    store().create(NS, "a", v("one"));
    Instant back = stepBack();

    Map<String, Entry> written = store().putAll(NS, Map.of("a", v("two"), "b", v("three")), WriteOptions.none());

    assertStamped(written.get("a"), 2, t0, t0);
    assertStamped(written.get("b"), 1, back, back);
  }

  @Test
  void rollbackGoesOnAndHistoryTimesNeverGoBackAfterTheClockStepsBack() {
    store().namespaces().create(HIST, NamespaceSettings.defaults().withMaxVersions(5));
    Instant t0 = now();
    store().create(HIST, "k", v("one"));
    Instant t1 = advance(Duration.ofSeconds(1));
    store().put(HIST, "k", v("two"));
    stepBack();

    assertStamped(store().rollback(HIST, "k", 1, WriteOptions.none()), 3, t0, t1);
    assertStamped(store().update(HIST, "k", v("four"), WriteOptions.none()), 4, t0, t1);

    List<VersionRecord> history = store().history(HIST, "k");
    assertThat(history.stream().map(VersionRecord::version).collect(Collectors.toList())).containsExactly(4L, 3L, 2L, 1L);
    assertThat(history.stream().map(VersionRecord::changedAt).collect(Collectors.toList()))
        .isSortedAccordingTo(Comparator.reverseOrder())
        .containsExactly(t1, t1, t1, t0);
  }
}
