package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.Entry;
import io.kv.NamespaceSettings;
import io.kv.Transaction;
import io.kv.TransactionFailedException;
import io.kv.TransactionResult;
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
 * one statement in autocommit, a bulk write or a transaction one statement and its commit.
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

  /** A transaction in {@code namespace} of puts of {@code keys}, each compared to its live version. */
  private Transaction.Builder putsComparedTo(String namespace, List<String> keys, Map<String, Long> versions, String value) {
    Transaction.Builder tx = store.transaction(namespace);
    for (String key : keys) {
      tx.versionIs(key, versions.get(key)).put(key, Value.string(value));
    }
    return tx;
  }

  /** Ten keys listed against key order, so that revisions in write order are not those of key order. */
  private static List<String> tenKeysAgainstKeyOrder() {
    List<String> keys = new ArrayList<>();
    for (int i = 9; i >= 0; i--) {
      keys.add("key-" + i);
    }
    return keys;
  }

  @Test
  void aTransactionOfTenKeysIsOneStatementAndItsCommit() {
    for (String namespace : new String[] {"app", "kept"}) {
      List<String> keys = tenKeysAgainstKeyOrder();
      Transaction.Builder create = store.transaction(namespace);
      keys.forEach(k -> create.create(k, Value.string("1")));
      TransactionResult created = roundTrips(2, "a transaction creating 10 keys in " + namespace, create::commit);

      Map<String, Long> versions = new LinkedHashMap<>();
      created.written().forEach((k, e) -> versions.put(k, e.version()));
      TransactionResult updated = roundTrips(2, "a transaction of 10 compared puts in " + namespace,
          () -> putsComparedTo(namespace, keys, versions, "2").commit());

      assertThat(created.written().keySet()).containsExactlyElementsOf(keys);
      assertThat(created.written().values()).allSatisfy(e -> assertThat(e.version()).isEqualTo(1));
      assertThat(updated.written().values()).allSatisfy(e -> assertThat(e.version()).isEqualTo(2));
      assertThat(updated.written().values()).extracting(Entry::revision).isSorted().doesNotHaveDuplicates();
      assertThat(updated.written().get("key-9").revision())
          .isGreaterThan(created.written().get("key-0").revision());
      assertThat(store.get(namespace, "key-5")).map(e -> e.value().asString()).contains("2");
      assertThat(store.get(namespace, "key-5").orElseThrow().expiresAt()).isEqualTo(
          namespace.equals("kept") ? java.util.Optional.of(clock.instant().plus(Duration.ofHours(1))) : java.util.Optional.empty());
    }
    assertThat(store.history("kept", "key-3")).extracting(VersionRecord::version).containsExactly(2L, 1L);
    assertThat(store.history("app", "key-3")).extracting(VersionRecord::version).containsExactly(2L);
  }

  @Test
  void aTransactionOfPlainPutsIsOneStatementAndItsCommitWithRevisionsInWriteOrder() {
    for (String namespace : new String[] {"app", "kept"}) {
      List<String> keys = tenKeysAgainstKeyOrder();
      store.put(namespace, "key-3", Value.string("0"));
      for (String value : new String[] {"1", "2", "3"}) {
        Transaction.Builder tx = store.transaction(namespace);
        keys.forEach(k -> tx.put(k, Value.string(value)));
        TransactionResult done = roundTrips(2, "a transaction of 10 puts in " + namespace, tx::commit);

        assertThat(done.written().keySet()).containsExactlyElementsOf(keys);
        assertThat(keys).extracting(k -> done.written().get(k).revision()).isSorted().doesNotHaveDuplicates();
      }
      assertThat(store.get(namespace, "key-3").orElseThrow().version()).isEqualTo(4);
      assertThat(store.get(namespace, "key-4").orElseThrow().version()).isEqualTo(3);
      assertThat(store.get(namespace, "key-5").orElseThrow().expiresAt()).isEqualTo(
          namespace.equals("kept") ? java.util.Optional.of(clock.instant().plus(Duration.ofHours(1))) : java.util.Optional.empty());
    }
    // Two earlier versions kept besides the current one: the oldest of key-3 was trimmed.
    assertThat(store.history("kept", "key-3")).extracting(r -> r.value().asString()).containsExactly("3", "2", "1");
    assertThat(store.history("kept", "key-4")).extracting(VersionRecord::version).containsExactly(3L, 2L, 1L);
    assertThat(store.history("app", "key-3")).extracting(VersionRecord::version).containsExactly(4L);
  }

  @Test
  void aTransactionOfPutsOverAnExpiredEntryExpiresItInPlaceFirst() {
    Entry shortLived = store.put("app", "gone", Value.string("1"), WriteOptions.ttl(Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(2));

    TransactionResult done = store.transaction("app").put("gone", Value.string("2")).put("other", Value.string("2")).commit();

    assertThat(done.written().get("gone").version()).isEqualTo(1);
    assertThat(done.written().get("gone").revision()).isGreaterThan(shortLived.revision());
    assertThat(store.get("app", "gone").orElseThrow().value().asString()).isEqualTo("2");
  }

  @Test
  void aTransactionWhoseCompareFailsIsOneStatementAndItsRollback() {
    store.put("kept", "a", Value.string("1"));
    store.put("kept", "b", Value.string("1"));

    assertThatThrownBy(() -> roundTrips(2, "a transaction whose compares fail", () -> store.transaction("kept")
        .versionIs("a", 7).absent("b").put("a", Value.string("2")).delete("b").commit()))
        .isInstanceOfSatisfying(TransactionFailedException.class, e -> assertThat(e.failures()).hasSize(2));
    assertThat(counting.log()).containsExactly(counting.log().get(0), "rollback");
    assertThat(store.get("kept", "a").orElseThrow().version()).isEqualTo(1);
    assertThat(store.get("kept", "b")).isPresent();
  }

  @Test
  void aTransactionMixingDeletesAndPutsIsOneStatementAndItsCommit() {
    store.put("kept", "a", Value.string("1"));
    store.put("kept", "a", Value.string("2"));
    Entry b = store.put("kept", "b", Value.string("1"));

    TransactionResult done = roundTrips(2, "a transaction of deletes and puts", () -> store.transaction("kept")
        .versionIs("b", b.version()).delete("a").put("b", Value.string("2")).delete("absent").commit());

    assertThat(done.deleted()).containsExactly("a");
    assertThat(done.written().get("b").version()).isEqualTo(2);
    assertThat(store.get("kept", "a")).isEmpty();
    assertThat(store.history("kept", "a")).isEmpty();
    assertThat(store.history("kept", "b")).extracting(VersionRecord::version).containsExactly(2L, 1L);
  }
}
