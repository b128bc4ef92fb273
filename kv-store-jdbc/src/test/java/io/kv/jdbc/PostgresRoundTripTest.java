package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Entry;
import io.kv.NamespaceSettings;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How many round trips each entry operation makes to PostgreSQL, counted (statements, commits,
 * rollbacks) on the calling thread: a read is one statement outside any transaction, a write is
 * one statement in autocommit, a bulk write one statement and its commit.
 */
@DisplayName("JdbcKvStore on PostgreSQL: round trips per operation")
class PostgresRoundTripTest {
  private final MutableClock clock = MutableClock.fixed();
  private final CountingDataSource counting = new CountingDataSource(TestDatabases.postgres());
  private final String prefix = TestDatabases.freshPrefix();
  private JdbcKvStore store;

  @BeforeEach
  void open() {
    store = JdbcKvStore.builder(counting).clock(clock).tablePrefix(prefix)
        .schemaMode(SchemaMode.CREATE).sweepInterval(Duration.ZERO).build();
    store.namespaces().create("kept", NamespaceSettings.defaults().withMaxVersions(2).withDefaultTtl(Duration.ofHours(1)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Runs {@code operation} and asserts the round trips it made on this thread. */
  private <T> T roundTrips(long expected, String what, Supplier<T> operation) {
    counting.reset();
    T result = operation.get();
    assertThat(counting.onThisThread()).as("round trips of %s: %s", what, counting.log()).isEqualTo(expected);
    return result;
  }

  @Test
  void aGetIsOneStatement() {
    store.put("app", "k", Value.string("v"));

    assertThat(roundTrips(1, "a get of a present key", () -> store.get("app", "k"))).isPresent();
    assertThat(roundTrips(1, "a get of an absent key", () -> store.get("app", "missing"))).isEmpty();
  }

  @Test
  void aPutIsOneStatement() {
    for (String namespace : new String[] {"app", "kept"}) {
      Entry created = roundTrips(1, "a put of a new key in " + namespace, () -> store.put(namespace, "k", Value.string("1")));
      assertThat(created.version()).isEqualTo(1);
      for (int i = 2; i <= 4; i++) {
        Entry updated = roundTrips(1, "a put of an existing key in " + namespace, () -> store.put(namespace, "k", Value.string("2")));
        assertThat(updated.version()).isEqualTo(i);
      }
    }
    assertThat(store.history("kept", "k")).hasSize(3);
    assertThat(store.history("app", "k")).hasSize(1);
  }

  @Test
  void conditionalWritesAreOneStatement() {
    Entry created = roundTrips(1, "a create", () -> store.create("kept", "k", Value.string("1"), WriteOptions.none()));
    Entry updated = roundTrips(1, "an update", () -> store.update("kept", "k", Value.string("2"), WriteOptions.none()));
    Entry swapped = roundTrips(1, "a compareAndSet",
        () -> store.compareAndSet("kept", "k", updated.version(), Value.string("3"), WriteOptions.none()));
    Entry rotated = roundTrips(1, "a rotate", () -> store.rotate("kept", "k", Value.string("4"), WriteOptions.none()));

    assertThat(created.version()).isEqualTo(1);
    assertThat(swapped.version()).isEqualTo(3);
    assertThat(rotated.version()).isEqualTo(4);
    assertThat(rotated.createdAt()).isEqualTo(created.createdAt());
    assertThat(store.history("kept", "k")).hasSize(3);
  }

  @Test
  void deletesAreOneStatement() {
    store.put("app", "a", Value.string("1"));
    Entry b = store.put("app", "b", Value.string("1"));

    assertThat(roundTrips(1, "a delete", () -> store.delete("app", "a"))).isTrue();
    assertThat(roundTrips(1, "a delete of an absent key", () -> store.delete("app", "a"))).isFalse();
    roundTrips(1, "a deleteIfVersion", () -> {
      store.deleteIfVersion("app", "b", b.version());
      return null;
    });
    assertThat(store.get("app", "b")).isEmpty();
  }

  @Test
  void aPutAfterAnotherInstanceChangedTheHistoryDepthKeepsWhatTheNamespaceNowSays() {
    List<Long> versions = new ArrayList<>();
    try (JdbcKvStore other = JdbcKvStore.builder(TestDatabases.postgres()).clock(clock).tablePrefix(prefix)
        .sweepInterval(Duration.ZERO).build()) {
      store.put("ns", "k", Value.string("1"));
      roundTrips(1, "a put in a namespace without history", () -> store.put("ns", "k", Value.string("2")));

      other.namespaces().create("ns", NamespaceSettings.defaults().withMaxVersions(2));
      roundTrips(2, "the first put after the namespace began to keep history elsewhere",
          () -> store.put("ns", "k", Value.string("3")));
      roundTrips(1, "the next put", () -> store.put("ns", "k", Value.string("4")));
      store.history("ns", "k").forEach(r -> versions.add(r.version()));
      assertThat(versions).containsExactly(4L, 3L, 2L);

      other.namespaces().update("ns", NamespaceSettings.defaults().withMaxVersions(0));
      roundTrips(1, "the first put after the namespace stopped keeping history elsewhere",
          () -> store.put("ns", "k", Value.string("5")));
      roundTrips(1, "the next put", () -> store.put("ns", "k", Value.string("6")));
    }
    assertThat(store.history("ns", "k")).extracting(VersionRecord::version).containsExactly(6L);
  }

  @Test
  void aPutAllOfAThousandIsOneStatementAndItsCommit() {
    Map<String, Value> values = new LinkedHashMap<>();
    for (int i = 0; i < 1000; i++) {
      values.put("key-" + i, Value.string("value-" + i));
    }

    Map<String, Entry> created = roundTrips(2, "a putAll of 1000 new keys", () -> store.putAll("kept", values, WriteOptions.none()));
    Map<String, Entry> updated = roundTrips(2, "a putAll of 1000 existing keys", () -> store.putAll("kept", values, WriteOptions.none()));

    assertThat(created).hasSize(1000).allSatisfy((k, e) -> assertThat(e.version()).isEqualTo(1));
    assertThat(updated).hasSize(1000).allSatisfy((k, e) -> assertThat(e.version()).isEqualTo(2));
    assertThat(updated.keySet()).containsExactlyElementsOf(values.keySet());
  }
}
