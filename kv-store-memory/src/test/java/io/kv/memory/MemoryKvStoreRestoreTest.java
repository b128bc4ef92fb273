package io.kv.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.Limits;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MemoryKvStore#restore}: the {@link io.kv.EntryRestorer} capability that import uses. */
class MemoryKvStoreRestoreTest {
  private static final Instant T0 = Instant.parse("2029-06-01T10:00:00.123Z");

  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore store = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    store.close();
  }

  private static Entry entry(String key, Value value, long version, Optional<Instant> expiresAt) {
    return new Entry("vault", key, value, version, T0, T0.plusSeconds(60 * version), expiresAt,
        Map.of("owner", "ops"), Set.of("db", "prod"));
  }

  private static VersionRecord record(long version, Value value, ChangeType change, String who, String reason) {
    return new VersionRecord(version, value, change, Principal.of(who), T0.plusSeconds(60 * version), Optional.ofNullable(reason));
  }

  @Test
  void restoresTheEntryAndItsHistoryExactly() {
    store.namespaces().create("vault", NamespaceSettings.defaults().withMaxVersions(5));
    Entry e = entry("db/password", Value.string("p3"), 3, Optional.of(clock.instant().plus(Duration.ofHours(1))));
    List<VersionRecord> history = List.of(
        record(3, Value.string("p3"), ChangeType.ROTATED, "ops-bot", "quarterly"),
        record(2, Value.string("p2"), ChangeType.UPDATED, "alice", null),
        record(1, Value.string("p1"), ChangeType.CREATED, "alice", "initial"));

    store.restore(e, history);

    assertThat(store.get("vault", "db/password")).contains(e);
    assertThat(store.history("vault", "db/password")).isEqualTo(history);
    assertThat(store.count("vault")).isEqualTo(1);
    // The restored entry carries on as if it had been written here.
    Entry next = store.compareAndSet("vault", "db/password", 3, Value.string("p4"));
    assertThat(next.version()).isEqualTo(4);
    assertThat(next.createdAt()).isEqualTo(T0);
    assertThat(store.rollback("vault", "db/password", 1, WriteOptions.none()).value()).isEqualTo(Value.string("p1"));
  }

  @Test
  void replacesAnExistingEntryAndPublishesCreatedOrUpdated() {
    List<ChangeEvent> events = new CopyOnWriteArrayList<>();
    store.subscribe(ChangeFilter.all(), events::add);
    store.put("vault", "a", Value.string("old"));
    store.put("vault", "a", Value.string("older still"));

    store.restore(entry("a", Value.number(7), 9, Optional.empty()), List.of());
    store.restore(entry("b", Value.bool(true), 1, Optional.empty()), List.of());

    assertThat(events).extracting(ChangeEvent::type, ChangeEvent::key, ChangeEvent::version).containsExactly(
        org.assertj.core.groups.Tuple.tuple(ChangeType.CREATED, "a", 1L),
        org.assertj.core.groups.Tuple.tuple(ChangeType.UPDATED, "a", 2L),
        org.assertj.core.groups.Tuple.tuple(ChangeType.UPDATED, "a", 9L),
        org.assertj.core.groups.Tuple.tuple(ChangeType.CREATED, "b", 1L));
    assertThat(store.get("vault", "a").orElseThrow().version()).isEqualTo(9);
  }

  @Test
  void anEmptyHistoryRecordsTheCurrentVersionAlone() {
    Entry e = entry("k", Value.string("v"), 4, Optional.empty());

    store.as(Principal.of("importer")).restore(e, List.of());

    assertThat(store.history("vault", "k")).containsExactly(
        new VersionRecord(4, Value.string("v"), ChangeType.UPDATED, Principal.of("importer"), e.updatedAt(), Optional.empty()));
  }

  @Test
  void historyBeyondWhatTheNamespaceKeepsIsDropped() {
    store.namespaces().create("vault", NamespaceSettings.defaults().withMaxVersions(1));
    List<VersionRecord> history = List.of(
        record(3, Value.string("c"), ChangeType.UPDATED, "a", null),
        record(2, Value.string("b"), ChangeType.UPDATED, "a", null),
        record(1, Value.string("a"), ChangeType.CREATED, "a", null));

    store.restore(entry("k", Value.string("c"), 3, Optional.empty()), history);

    assertThat(store.history("vault", "k")).isEqualTo(history.subList(0, 2));
  }

  @Test
  void timestampsAreKeptToTheMillisecond() {
    Instant precise = Instant.parse("2029-06-01T10:00:00.123456789Z");
    Entry e = new Entry("vault", "k", Value.string("v"), 1, precise, precise, Optional.empty(), Map.of(), Set.of());

    store.restore(e, List.of());

    Entry stored = store.get("vault", "k").orElseThrow();
    assertThat(stored.createdAt()).isEqualTo(Instant.parse("2029-06-01T10:00:00.123Z"));
    assertThat(stored.updatedAt()).isEqualTo(Instant.parse("2029-06-01T10:00:00.123Z"));
  }

  @Test
  void aRestoredTtlExpiresOnTime() {
    Instant at = clock.instant().plusSeconds(30);
    store.restore(entry("k", Value.string("v"), 2, Optional.of(at)), List.of());

    clock.advance(Duration.ofSeconds(29));
    assertThat(store.get("vault", "k")).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.get("vault", "k")).isEmpty();
    assertThat(store.size()).isZero(); // the read reclaimed it
  }

  @Test
  void refusesWhatAWriteWouldRefuseAndWritesNothing() {
    store.put("vault", "k", Value.string("kept"));
    Entry expired = entry("k", Value.string("v"), 2, Optional.of(clock.instant()));
    assertThatThrownBy(() -> store.restore(expired, List.of()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("expiresAt"));

    Entry badKey = new Entry("vault", "a//b", Value.string("v"), 1, T0, T0, Optional.empty(), Map.of(), Set.of());
    assertThatThrownBy(() -> store.restore(badKey, List.of()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("key"));

    try (MemoryKvStore small = MemoryKvStore.builder().clock(clock).limits(Limits.defaults().withMaxValueBytes(4)).build()) {
      Entry fits = new Entry("vault", "k", Value.string("1234"), 2, T0, T0, Optional.empty(), Map.of(), Set.of());
      List<VersionRecord> tooBig = List.of(record(2, Value.string("1234"), ChangeType.UPDATED, "a", null),
          record(1, Value.string("12345"), ChangeType.CREATED, "a", null));
      assertThatThrownBy(() -> small.restore(fits, tooBig))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("value"));
      assertThat(small.get("vault", "k")).isEmpty();
    }
    assertThat(store.get("vault", "k").orElseThrow().value()).isEqualTo(Value.string("kept"));
  }

  @Test
  void refusesAHistoryThatDoesNotDescribeTheEntry() {
    Entry e = entry("k", Value.string("v"), 3, Optional.empty());
    List<List<VersionRecord>> bad = List.of(
        List.of(record(2, Value.string("v"), ChangeType.UPDATED, "a", null)),
        List.of(record(3, Value.string("v"), ChangeType.UPDATED, "a", null), record(3, Value.string("w"), ChangeType.UPDATED, "a", null)),
        List.of(record(3, Value.string("v"), ChangeType.UPDATED, "a", null), record(4, Value.string("w"), ChangeType.UPDATED, "a", null)));

    for (List<VersionRecord> history : bad) {
      assertThatThrownBy(() -> store.restore(e, history))
          .isInstanceOfSatisfying(InvalidInputException.class, x -> assertThat(x.field()).isEqualTo("history"));
    }
    assertThat(store.get("vault", "k")).isEmpty();
    assertThatThrownBy(() -> store.restore(null, List.of())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.restore(e, null)).isInstanceOf(NullPointerException.class);
  }
}
