package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.kv.AlreadyExistsException;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.TransactionFailedException;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.testkit.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The one-statement writes on PostgreSQL when the row changes under them: another transaction
 * holds the row, the store's statement waits for it, and the other transaction commits a change
 * that the statement's snapshot does not hold. The statement must then write nothing, and the
 * general path must leave entry, history and change log exactly as if the writes had run one
 * after the other.
 */
@DisplayName("JdbcKvStore on PostgreSQL: one-statement writes racing another transaction")
class PgWritesTest {
  private final MutableClock clock = MutableClock.fixed();
  private final ExecutorService writer = Executors.newSingleThreadExecutor();
  private String prefix;
  private JdbcKvStore store;

  @BeforeEach
  void open() {
    prefix = TestDatabases.freshPrefix();
    store = JdbcKvStore.builder(TestDatabases.postgres()).clock(clock).tablePrefix(prefix).instanceId("me")
        .schemaMode(SchemaMode.CREATE).sweepInterval(Duration.ZERO).build();
    store.namespaces().create("one", NamespaceSettings.defaults().withMaxVersions(0));
  }

  @AfterEach
  void close() {
    writer.shutdownNow();
    store.close();
  }

  /**
   * Holds the row of {@code key} in a transaction that writes version {@code version} over it the
   * way another instance would (the entry row and its record; namespace "one" keeps no history),
   * starts {@code write} on another thread, waits until that write waits for the row lock, and
   * commits.
   */
  private <T> Future<T> racing(String key, long version, Callable<T> write) throws Exception {
    try (Connection other = TestDatabases.postgres().getConnection()) {
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.executeUpdate("UPDATE " + prefix + "entries SET version = " + version + ", value_bytes = 'x'::bytea,"
            + " change = 'UPDATED', principal = 'other', history_from = NULL"
            + " WHERE namespace = 'one' AND entry_key = '" + key + "'");
      }
      Future<T> result = writer.submit(write);
      awaitWaitingForALock();
      other.commit();
      return result;
    }
  }

  /**
   * Inserts key {@code k} in a transaction the way another instance would, starts {@code write}
   * on another thread, waits until it waits for that insert, and commits the insert.
   */
  private <T> Future<T> racingInsert(Callable<T> write) throws Exception {
    try (Connection other = TestDatabases.postgres().getConnection()) {
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.executeUpdate("INSERT INTO " + prefix + "entries (namespace, entry_key, value_type, value_bytes, version,"
            + " created_at, updated_at, metadata, tags, change, principal)"
            + " VALUES ('one', 'k', 'STRING', 'x'::bytea, 1, 0, 0, '{}', '[]', 'CREATED', 'other')");
      }
      Future<T> result = writer.submit(write);
      awaitWaitingForALock();
      other.commit();
      return result;
    }
  }

  private void awaitWaitingForALock() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (Connection c = TestDatabases.postgres().getConnection();
           PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
               + " AND query LIKE ?")) {
        ps.setString(1, "%" + prefix + "entries%");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return;
          }
        }
      }
      Thread.sleep(5); // polling the server for a state it reports; no clock is involved
    }
    throw new AssertionError("the write never waited for the row lock");
  }

  private List<String> changes() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = TestDatabases.postgres().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT change, entry_key, version FROM " + prefix + "changes WHERE change <> 'NAMESPACE' ORDER BY seq")) {
      while (rs.next()) {
        out.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getLong(3));
      }
    }
    return out;
  }

  @Test
  void aPutOverARowChangedMeanwhileWritesTheNextVersionAndTrimsTheOtherWritersHistory() throws Exception {
    store.put("one", "k", Value.string("1"));

    Entry written = racing("k", 2, () -> store.put("one", "k", Value.string("3"))).get(20, TimeUnit.SECONDS);

    assertThat(written.version()).isEqualTo(3);
    assertThat(store.history("one", "k")).extracting(VersionRecord::version).containsExactly(3L);
    assertThat(changes()).containsExactly("CREATED:k:1", "UPDATED:k:3");
  }

  @Test
  void anUpdateOverARowChangedMeanwhileWritesTheNextVersionAndTrimsTheOtherWritersHistory() throws Exception {
    store.put("one", "k", Value.string("1"));

    Entry written = racing("k", 2, () -> store.update("one", "k", Value.string("3"), WriteOptions.none()))
        .get(20, TimeUnit.SECONDS);

    assertThat(written.version()).isEqualTo(3);
    assertThat(store.history("one", "k")).extracting(VersionRecord::version).containsExactly(3L);
  }

  @Test
  void aDeleteOfARowChangedMeanwhileDropsTheOtherWritersHistoryToo() throws Exception {
    store.put("one", "k", Value.string("1"));

    assertThat(racing("k", 2, () -> store.delete("one", "k")).get(20, TimeUnit.SECONDS)).isTrue();

    assertThat(changes()).containsExactly("CREATED:k:1", "DELETED:k:2");
    Entry again = store.create("one", "k", Value.string("new"), WriteOptions.none());
    assertThat(again.version()).isEqualTo(1);
    assertThat(store.history("one", "k")).extracting(VersionRecord::version).containsExactly(1L);
  }

  @Test
  void aPutAllOverARowChangedMeanwhileWritesEveryEntryThroughTheGeneralPath() throws Exception {
    store.put("one", "k", Value.string("1"));

    Map<String, Entry> written = racing("k", 2,
        () -> store.putAll("one", Map.of("k", Value.string("3"), "new", Value.string("n")), WriteOptions.none()))
        .get(20, TimeUnit.SECONDS);

    assertThat(written.get("k").version()).isEqualTo(3);
    assertThat(written.get("new").version()).isEqualTo(1);
    assertThat(store.history("one", "k")).extracting(VersionRecord::version).containsExactly(3L);
    assertThat(store.history("one", "new")).extracting(VersionRecord::change).containsExactly(ChangeType.CREATED);
  }

  @Test
  void aTransactionOverARowChangedMeanwhileComparesAndWritesWhatWasCommitted() throws Exception {
    store.put("one", "k", Value.string("1"));

    TransactionResult done = racing("k", 2, () -> store.transaction("one").versionIs("k", 2)
        .put("k", Value.string("3")).create("new", Value.string("n")).commit()).get(20, TimeUnit.SECONDS);

    assertThat(done.written().get("k").version()).isEqualTo(3);
    assertThat(done.written().get("new").version()).isEqualTo(1);
    assertThat(store.history("one", "k")).extracting(VersionRecord::version).containsExactly(3L);
    assertThat(changes()).containsExactly("CREATED:k:1", "UPDATED:k:3", "CREATED:new:1");
  }

  @Test
  void aTransactionOfPutsOverARowChangedMeanwhileWritesTheNextVersionsInWriteOrder() throws Exception {
    store.put("one", "k", Value.string("1"));

    TransactionResult done = racing("k", 2, () -> store.transaction("one").put("new", Value.string("n"))
        .put("k", Value.string("3")).commit()).get(20, TimeUnit.SECONDS);

    assertThat(done.written().get("k").version()).isEqualTo(3);
    assertThat(done.written().get("new").revision()).isLessThan(done.written().get("k").revision());
    assertThat(store.history("one", "k")).extracting(VersionRecord::version).containsExactly(3L);
    assertThat(changes()).containsExactly("CREATED:k:1", "CREATED:new:1", "UPDATED:k:3");
  }

  @Test
  void aTransactionOfPutsOverAKeyAnotherInsertCommitsFirstWritesOverIt() throws Exception {
    TransactionResult done = racingInsert(() -> store.transaction("one").put("a", Value.string("a"))
        .put("k", Value.string("mine")).commit()).get(20, TimeUnit.SECONDS);

    assertThat(done.written().get("k").version()).isEqualTo(2);
    assertThat(store.get("one", "k").orElseThrow().value()).isEqualTo(Value.string("mine"));
    assertThat(changes()).containsExactly("CREATED:a:1", "UPDATED:k:2");
  }

  @Test
  void aTransactionWhoseCompareARowChangedMeanwhileBreaksWritesNothing() throws Exception {
    store.put("one", "k", Value.string("1"));

    Future<TransactionResult> tx = racing("k", 2, () -> store.transaction("one").versionIs("k", 1)
        .put("k", Value.string("3")).create("new", Value.string("n")).commit());

    assertThatThrownBy(() -> tx.get(20, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(TransactionFailedException.class,
        e -> assertThat(e.failures()).extracting(f -> f.key(), f -> f.found()).containsExactly(tuple("k", OptionalLong.of(2))));
    assertThat(store.get("one", "new")).isEmpty();
    assertThat(changes()).containsExactly("CREATED:k:1");
  }

  @Test
  void aTransactionCreatingAKeyAnotherInsertCommitsFirstFailsAndWritesNothing() throws Exception {
    Future<TransactionResult> tx = racingInsert(
        () -> store.transaction("one").put("a", Value.string("a")).create("k", Value.string("mine")).commit());

    assertThatThrownBy(() -> tx.get(20, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(TransactionFailedException.class,
        e -> assertThat(e.failures()).extracting(f -> f.key()).containsExactly("k"));
    assertThat(changes()).isEmpty();
    assertThat(store.get("one", "a")).isEmpty();
  }

  @Test
  void aCreateRacingAnInsertThatCommitsFirstFailsAndWritesNothing() throws Exception {
    Future<Entry> create = racingInsert(() -> store.create("one", "k", Value.string("mine"), WriteOptions.none()));

    assertThatThrownBy(() -> create.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(AlreadyExistsException.class);
    assertThat(changes()).isEmpty();
    assertThat(store.history("one", "k")).extracting(VersionRecord::version, VersionRecord::changedBy, VersionRecord::value)
        .containsExactly(tuple(1L, Principal.of("other"), Value.string("x")));
  }

  @Test
  void aDefaultTtlPastTheLastPossibleExpiryIsRefusedAndWritesNothing() throws Exception {
    store.namespaces().create("long", NamespaceSettings.defaults().withDefaultTtl(Duration.ofDays(400)));
    clock.set(java.time.Instant.parse("9999-06-01T00:00:00Z"));

    assertThatThrownBy(() -> store.put("long", "k", Value.string("v"))).isInstanceOf(io.kv.InvalidInputException.class)
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> store.putAll("long", Map.of("k", Value.string("v")), WriteOptions.none()))
        .isInstanceOf(io.kv.InvalidInputException.class);
    assertThatThrownBy(() -> store.transaction("long").put("k", Value.string("v")).commit())
        .isInstanceOf(io.kv.InvalidInputException.class);
    assertThat(store.put("long", "k", Value.string("v"), WriteOptions.ttl(Duration.ofDays(1))).version()).isEqualTo(1);
    assertThat(changes()).containsExactly("CREATED:k:1");
  }
}
