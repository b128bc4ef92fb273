package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.EntryRestorer;
import io.kv.InputRules;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link EntryRestorer}, as a JUnit 5 suite, for a backend that offers it (import
 * uses it to keep versions, timestamps and history). Extend it with a store built on the given
 * clock, with the default {@link InputRules}:
 *
 * <pre>{@code
 * class MemoryKvStoreRestoreTest extends EntryRestorerContract {
 *   @Override
 *   protected KvStore newStore(MutableClock clock) {
 *     return MemoryKvStore.builder().clock(clock).build();
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class EntryRestorerContract {
  private static final String NS = "vault";
  private static final Instant T0 = Instant.parse("2029-06-01T10:00:00.123Z");

  /** The clock of the store under test, standing at {@link KvStoreContract#START}. */
  protected MutableClock clock;

  /** The store under test, new and empty for each test; it offers {@link EntryRestorer}. */
  protected KvStore store;

  /** For subclasses. */
  protected EntryRestorerContract() {}

  /**
   * A new, empty store with the default {@link InputRules} whose time comes from {@code clock}, and
   * which offers {@link EntryRestorer} as a {@link KvStore#feature feature}. Called before each
   * test; the suite closes it after.
   *
   * @param clock the source of time
   * @return a new, empty store with the default {@link InputRules} whose time comes from {@code
   *     clock}, and which offers {@link EntryRestorer} as a {@link KvStore#feature feature}
   */
  protected abstract KvStore newStore(MutableClock clock);

  /** Creates {@link #clock} and {@link #store}, and checks the store offers an {@link EntryRestorer}. */
  @BeforeEach
  protected final void openStore() {
    clock = MutableClock.at(KvStoreContract.START);
    store = newStore(clock);
    assertThat(store.feature(EntryRestorer.class)).as("the restorer of the store under test").isPresent();
  }

  /** Closes {@link #store}. */
  @AfterEach
  protected final void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private void restore(KvStore s, Entry entry, List<VersionRecord> history) {
    s.feature(EntryRestorer.class).orElseThrow().restore(entry, history);
  }

  private static Entry entry(String key, Value value, long version, Optional<Instant> expiresAt) {
    return new Entry(NS, key, value, version, T0, T0.plusSeconds(60 * version), expiresAt,
        Map.of("owner", "ops"), Set.of("db", "prod"));
  }

  private static VersionRecord record(long version, Value value, ChangeType change, String who, String reason) {
    return new VersionRecord(version, value, change, Principal.of(who), T0.plusSeconds(60 * version), Optional.ofNullable(reason));
  }

  @Test
  void restoresTheEntryAndItsHistoryExactly() {
    store.namespaces().create(NS, NamespaceSettings.defaults().withMaxVersions(5));
    Entry e = entry("db/password", Value.string("p3"), 3, Optional.of(clock.instant().plus(Duration.ofHours(1))));
    List<VersionRecord> history = List.of(
        record(3, Value.string("p3"), ChangeType.ROTATED, "ops-bot", "quarterly"),
        record(2, Value.string("p2"), ChangeType.UPDATED, "alice", null),
        record(1, Value.string("p1"), ChangeType.CREATED, "alice", "initial"));

    restore(store, e, history);

    // A restore is a change of this store, so the entry takes this store's latest revision, not the one it came with.
    Entry restored = e.withRevision(store.revision());
    assertThat(store.get(NS, "db/password")).contains(restored);
    assertThat(store.getAll(NS, List.of("db/password"))).containsEntry("db/password", restored);
    assertThat(store.history(NS, "db/password")).isEqualTo(history);
    assertThat(store.count(NS)).isEqualTo(1);
    // The restored entry carries on as if it had been written here.
    Entry next = store.compareAndSet(NS, "db/password", 3, Value.string("p4"));
    assertThat(next.version()).isEqualTo(4);
    assertThat(next.createdAt()).isEqualTo(T0);
    assertThat(store.rollback(NS, "db/password", 1, WriteOptions.none()).value()).isEqualTo(Value.string("p1"));
  }

  @Test
  void replacesAnExistingEntryAndPublishesCreatedOrUpdated() throws InterruptedException {
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    store.put(NS, "a", Value.string("old"));
    store.subscribe(ChangeFilter.all(), events::add);

    restore(store, entry("a", Value.number(7), 9, Optional.empty()), List.of());
    restore(store, entry("b", Value.bool(true), 1, Optional.empty()), List.of());

    ChangeEvent first = events.poll(10, TimeUnit.SECONDS);
    ChangeEvent second = events.poll(10, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    assertThat(List.of(first.type(), first.key(), first.version())).containsExactly(ChangeType.UPDATED, "a", 9L);
    assertThat(List.of(second.type(), second.key(), second.version())).containsExactly(ChangeType.CREATED, "b", 1L);
    assertThat(store.get(NS, "a").orElseThrow().version()).isEqualTo(9);
    assertThat(store.history(NS, "a")).extracting(VersionRecord::version).containsExactly(9L);
  }

  @Test
  void anEmptyHistoryRecordsTheCurrentVersionAlone() {
    Entry e = entry("k", Value.string("v"), 4, Optional.empty());

    restore(store.as(Principal.of("importer")), e, List.of());

    assertThat(store.history(NS, "k")).containsExactly(
        new VersionRecord(4, Value.string("v"), ChangeType.UPDATED, Principal.of("importer"), e.updatedAt(), Optional.empty()));
  }

  @Test
  void historyBeyondWhatTheNamespaceKeepsIsDropped() {
    store.namespaces().create(NS, NamespaceSettings.defaults().withMaxVersions(1));
    List<VersionRecord> history = List.of(
        record(3, Value.string("c"), ChangeType.UPDATED, "a", null),
        record(2, Value.string("b"), ChangeType.UPDATED, "a", null),
        record(1, Value.string("a"), ChangeType.CREATED, "a", null));

    restore(store, entry("k", Value.string("c"), 3, Optional.empty()), history);

    assertThat(store.history(NS, "k")).isEqualTo(history.subList(0, 2));
  }

  @Test
  void aGappedHistoryKeepsTheVersionsWithinTheWindowAndTheNextWriteTrimsTheSame() {
    // The history of an entry at version 10 keeps versions 10 - maxVersions and up, whatever the
    // number of records: a history with gaps keeps fewer records than maxVersions.
    List<VersionRecord> gapped = List.of(
        record(10, Value.string("j"), ChangeType.UPDATED, "a", null),
        record(5, Value.string("e"), ChangeType.UPDATED, "a", null),
        record(3, Value.string("c"), ChangeType.UPDATED, "a", null));
    store.namespaces().create(NS, NamespaceSettings.defaults().withMaxVersions(3));
    store.namespaces().create("wide", NamespaceSettings.defaults().withMaxVersions(5));
    Entry narrow = entry("k", Value.string("j"), 10, Optional.empty());
    Entry wide = new Entry("wide", "k", narrow.value(), 10, narrow.createdAt(), narrow.updatedAt(), Optional.empty(),
        narrow.metadata(), narrow.tags());

    restore(store, narrow, gapped);
    restore(store, wide, gapped);

    assertThat(store.history(NS, "k")).extracting(VersionRecord::version).containsExactly(10L);
    assertThat(store.history("wide", "k")).extracting(VersionRecord::version).containsExactly(10L, 5L);
    store.compareAndSet("wide", "k", 10, Value.string("k"));
    assertThat(store.history("wide", "k")).extracting(VersionRecord::version).containsExactly(11L, 10L);
  }

  @Test
  void timestampsAreKeptToTheMillisecond() {
    Instant precise = Instant.parse("2029-06-01T10:00:00.123456789Z");
    Entry e = new Entry(NS, "k", Value.string("v"), 1, precise, precise, Optional.empty(), Map.of(), Set.of());

    restore(store, e, List.of());

    Entry stored = store.get(NS, "k").orElseThrow();
    assertThat(stored.createdAt()).isEqualTo(Instant.parse("2029-06-01T10:00:00.123Z"));
    assertThat(stored.updatedAt()).isEqualTo(Instant.parse("2029-06-01T10:00:00.123Z"));
  }

  @Test
  void anEntryFromAHostWhoseClockWasAheadTakesEveryWriteWithoutItsTimesGoingBack() {
    store.namespaces().create(NS, NamespaceSettings.defaults().withMaxVersions(5));
    Instant created = clock.instant().plus(Duration.ofHours(2));
    Instant updated = created.plusSeconds(60);
    Entry ahead = new Entry(NS, "k", Value.string("v1"), 2, created, updated, Optional.empty(), Map.of(), Set.of());
    restore(store, ahead, List.of());

    List<Entry> written = List.of(
        store.put(NS, "k", Value.string("v3")),
        store.update(NS, "k", Value.string("v4"), WriteOptions.none()),
        store.compareAndSet(NS, "k", 4, Value.string("v5"), WriteOptions.none()),
        store.rotate(NS, "k", Value.string("v6"), WriteOptions.none()),
        store.rollback(NS, "k", 3, WriteOptions.none()));

    assertThat(written).extracting(Entry::version).containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(written).allSatisfy(e -> {
      assertThat(e.createdAt()).isEqualTo(created);
      assertThat(e.updatedAt()).isEqualTo(updated);
    });
    assertThat(store.history(NS, "k")).extracting(VersionRecord::changedAt).containsOnly(updated);
  }

  @Test
  void aRestoredTtlExpiresOnTime() {
    Instant at = clock.instant().plusSeconds(30);
    restore(store, entry("k", Value.string("v"), 2, Optional.of(at)), List.of());

    clock.advance(Duration.ofSeconds(29));
    assertThat(store.get(NS, "k")).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.get(NS, "k")).isEmpty();
    assertThat(store.count(NS)).isZero();
  }

  @Test
  void refusesWhatAWriteWouldRefuseAndWritesNothing() {
    store.put(NS, "k", Value.string("kept"));
    Entry expired = entry("k", Value.string("v"), 2, Optional.of(clock.instant()));
    assertThatThrownBy(() -> restore(store, expired, List.of()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("expiresAt"));

    Entry badKey = new Entry(NS, "a//b", Value.string("v"), 1, T0, T0, Optional.empty(), Map.of(), Set.of());
    assertThatThrownBy(() -> restore(store, badKey, List.of()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("key"));

    Value fits = Value.string("x");
    Value tooBig = Value.binary(new byte[InputRules.DEFAULT_MAX_VALUE_BYTES + 1]);
    Entry withBigHistory = new Entry(NS, "k", fits, 2, T0, T0, Optional.empty(), Map.of(), Set.of());
    assertThatThrownBy(() -> restore(store, withBigHistory, List.of(record(2, fits, ChangeType.UPDATED, "a", null),
        record(1, tooBig, ChangeType.CREATED, "a", null))))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("value"));

    assertThat(store.get(NS, "k").orElseThrow().value()).isEqualTo(Value.string("kept"));
    assertThat(store.history(NS, "k")).extracting(VersionRecord::version).containsExactly(1L);
  }

  @Test
  void refusesAHistoryThatDoesNotDescribeTheEntry() {
    Entry e = entry("k", Value.string("v"), 3, Optional.empty());
    List<List<VersionRecord>> bad = List.of(
        List.of(record(2, Value.string("v"), ChangeType.UPDATED, "a", null)),
        List.of(record(3, Value.string("v"), ChangeType.UPDATED, "a", null), record(3, Value.string("w"), ChangeType.UPDATED, "a", null)),
        List.of(record(3, Value.string("v"), ChangeType.UPDATED, "a", null), record(4, Value.string("w"), ChangeType.UPDATED, "a", null)));

    for (List<VersionRecord> history : bad) {
      assertThatThrownBy(() -> restore(store, e, history))
          .isInstanceOfSatisfying(InvalidInputException.class, x -> assertThat(x.field()).isEqualTo("history"));
    }
    assertThat(store.get(NS, "k")).isEmpty();
    assertThatThrownBy(() -> restore(store, null, List.of())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> restore(store, e, null)).isInstanceOf(NullPointerException.class);
  }
}
