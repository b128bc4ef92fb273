package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** compareAndSet and deleteIfVersion: optimistic locking on versions. */
public abstract class ConditionalWriteContract extends ContractGroup {
  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected ConditionalWriteContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected ConditionalWriteContract(ContractSuite suite) {
    super(suite);
  }

  private static void assertConflict(VersionConflictException e, String key, long expected, OptionalLong actual) {
    assertThat(e.namespace()).contains(NS);
    assertThat(e.key()).contains(key);
    assertThat(e.expectedVersion()).as("expectedVersion").isEqualTo(expected);
    assertThat(e.actualVersion()).as("actualVersion").isEqualTo(actual);
  }

  @Test
  void compareAndSetWithTheCurrentVersionWritesTheNextVersion() {
    Instant t0 = now();
    put("k", "one");
    Instant t1 = advanceMillis(500);

    Entry e2 = store().compareAndSet(NS, "k", 1, Value.string("two"));

    assertThat(e2.version()).isEqualTo(2);
    assertThat(e2.value()).isEqualTo(Value.string("two"));
    assertThat(e2.createdAt()).isEqualTo(t0);
    assertThat(e2.updatedAt()).isEqualTo(t1);
    assertThat(store().get(NS, "k")).contains(e2);

    Entry e3 = store().compareAndSet(NS, "k", 2, Value.string("three"), WriteOptions.none().withMetadata(Map.of("m", "1")));

    assertThat(e3.version()).isEqualTo(3);
    assertThat(e3.metadata()).isEqualTo(Map.of("m", "1"));
    assertThat(store().get(NS, "k")).contains(e3);
  }

  @Test
  void compareAndSetWithAnotherVersionThrowsConflictAndChangesNothing() {
    put("k", "one");
    Entry current = put("k", "two");

    VersionConflictException older = thrown(VersionConflictException.class,
        () -> store().compareAndSet(NS, "k", 1, Value.string("lost")));
    VersionConflictException newer = thrown(VersionConflictException.class,
        () -> store().compareAndSet(NS, "k", 3, Value.string("lost")));

    assertConflict(older, "k", 1, OptionalLong.of(2));
    assertConflict(newer, "k", 3, OptionalLong.of(2));
    assertThat(store().get(NS, "k")).contains(current);
  }

  @Test
  void compareAndSetOnAbsentEntryThrowsConflictWithoutActualVersion() {
    VersionConflictException e = thrown(VersionConflictException.class,
        () -> store().compareAndSet(NS, "k", 1, Value.string("v")));

    assertConflict(e, "k", 1, OptionalLong.empty());
    assertThat(store().get(NS, "k")).isEmpty();
  }

  @Test
  void compareAndSetOnDeletedEntryThrowsConflictWithoutActualVersion() {
    put("k", "v");
    store().delete(NS, "k");

    VersionConflictException e = thrown(VersionConflictException.class,
        () -> store().compareAndSet(NS, "k", 1, Value.string("v")));

    assertConflict(e, "k", 1, OptionalLong.empty());
    assertThat(store().get(NS, "k")).isEmpty();
  }

  @Test
  void compareAndSetOnExpiredEntryTreatsItAsAbsent() {
    put("k", "v");
    store().put(NS, "k", Value.string("v2"), WriteOptions.ttl(Duration.ofSeconds(10)));
    advance(Duration.ofSeconds(10));

    VersionConflictException e = thrown(VersionConflictException.class,
        () -> store().compareAndSet(NS, "k", 2, Value.string("v3")));

    assertConflict(e, "k", 2, OptionalLong.empty());
    assertThat(store().get(NS, "k")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, Long.MIN_VALUE})
  void compareAndSetRefusesANonPositiveExpectedVersion(long expected) {
    Entry current = put("k", "v");

    InvalidInputException e = thrown(InvalidInputException.class,
        () -> store().compareAndSet(NS, "k", expected, Value.string("w")));

    assertThat(e.field()).isEqualTo("expectedVersion");
    assertThat(store().get(NS, "k")).contains(current);
    thrown(InvalidInputException.class, () -> store().compareAndSet(NS, "absent", expected, Value.string("w")));
    assertThat(store().get(NS, "absent")).isEmpty();
  }

  @Test
  void ofTwoWritersFromOneVersionExactlyOneWins() {
    Entry read = put("k", "v");

    Entry winner = store().compareAndSet(NS, "k", read.version(), Value.string("first"));
    VersionConflictException loser = thrown(VersionConflictException.class,
        () -> store().compareAndSet(NS, "k", read.version(), Value.string("second")));

    assertThat(winner.version()).isEqualTo(2);
    assertConflict(loser, "k", 1, OptionalLong.of(2));
    assertThat(store().get(NS, "k").orElseThrow().value()).isEqualTo(Value.string("first"));
  }

  @Test
  void deleteIfVersionWithTheCurrentVersionDeletes() {
    put("k", "one");
    put("k", "two");

    store().deleteIfVersion(NS, "k", 2);

    assertThat(store().get(NS, "k")).isEmpty();
    assertThat(store().delete(NS, "k")).isFalse();
    assertThat(put("k", "again").version()).isEqualTo(1);
  }

  @Test
  void deleteIfVersionWithAnotherVersionThrowsConflictAndKeepsTheEntry() {
    put("k", "one");
    Entry current = put("k", "two");

    VersionConflictException e = thrown(VersionConflictException.class, () -> store().deleteIfVersion(NS, "k", 1));

    assertConflict(e, "k", 1, OptionalLong.of(2));
    assertThat(store().get(NS, "k")).contains(current);
  }

  @Test
  void deleteIfVersionOnAbsentEntryThrowsConflictWithoutActualVersion() {
    VersionConflictException e = thrown(VersionConflictException.class, () -> store().deleteIfVersion(NS, "k", 1));

    assertConflict(e, "k", 1, OptionalLong.empty());
  }

  @Test
  void deleteIfVersionOnExpiredEntryTreatsItAsAbsent() {
    store().put(NS, "k", Value.string("v"), WriteOptions.ttl(Duration.ofSeconds(10)));
    advance(Duration.ofSeconds(10));

    VersionConflictException e = thrown(VersionConflictException.class, () -> store().deleteIfVersion(NS, "k", 1));

    assertConflict(e, "k", 1, OptionalLong.empty());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, Long.MIN_VALUE})
  void deleteIfVersionRefusesANonPositiveExpectedVersion(long expected) {
    Entry current = put("k", "v");

    InvalidInputException e = thrown(InvalidInputException.class, () -> store().deleteIfVersion(NS, "k", expected));

    assertThat(e.field()).isEqualTo("expectedVersion");
    assertThat(store().get(NS, "k")).contains(current);
  }
}
