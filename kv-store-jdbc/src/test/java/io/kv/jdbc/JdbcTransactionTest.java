package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Transaction;
import io.kv.TransactionFailedException;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Multi-key transactions on the JDBC store of each database: all or nothing, every failed compare
 * named, history and change-log rows as single writes make them, events after the commit in
 * write order, and a near-cache in front that stays coherent.
 */
class JdbcTransactionTest {
  private static final String NS = "app";

  @TempDir Path dir;

  private NamedDatabases databases;
  private final List<KvStore> stores = new ArrayList<>();
  private final MutableClock clock = MutableClock.fixed();
  private JdbcKvStore store;
  private DataSource dataSource;

  @AfterEach
  void close() {
    stores.forEach(KvStore::close);
    if (databases != null) {
      databases.close();
    }
  }

  private JdbcKvStore open(String database) {
    databases = new NamedDatabases(dir);
    dataSource = databases.get(database);
    store = CoreStacks.bare(dataSource, TestDatabases.freshPrefix(), clock);
    stores.add(store);
    store.namespaces().create(NS, NamespaceSettings.defaults().withMaxVersions(3));
    return store;
  }

  /** The namespace's change-log rows in order, each as key:version:change. */
  private List<String> changeLog() throws SQLException {
    Db db = ((JdbcStore) store).state().db;
    List<String> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT entry_key, version, change FROM " + db.changes + " WHERE namespace = ? ORDER BY seq")) {
      ps.setString(1, NS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(db.getKey(rs, 1) + ":" + rs.getLong(2) + ":" + rs.getString(3));
        }
      }
    }
    return rows;
  }

  private static List<Long> historyVersions(KvStore s, String key) {
    return s.history(NS, key).stream().map(VersionRecord::version).toList();
  }

  private static Optional<String> text(KvStore s, String key) {
    return s.get(NS, key).map(e -> e.value().asString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres"})
  void aFailedCompareChangesNothingAndEveryFailureIsNamed(String database) throws Exception {
    open(database);
    store.put(NS, "a", Value.string("a1"));
    store.put(NS, "a", Value.string("a2"));
    store.put(NS, "b", Value.string("b1"));
    store.put(NS, "d", Value.string("d1"));
    List<String> logBefore = changeLog();
    List<Long> historyBefore = historyVersions(store, "a");
    Recorder heard = new Recorder();
    store.subscribe(ChangeFilter.all(), heard);

    Transaction t = Transaction.builder()
        .versionIs("a", 1) // a is at 2
        .present("d") // holds
        .absent("b") // b is live
        .put("a", Value.string("a3"))
        .create("b", Value.string("b2")) // implied ABSENT fails
        .update("c", Value.string("c1")) // implied PRESENT fails: c never existed
        .delete("d")
        .build();
    assertThatThrownBy(() -> store.commit(NS, t))
        .isInstanceOfSatisfying(TransactionFailedException.class, e -> {
          assertThat(e.namespace()).contains(NS);
          assertThat(e.failures()).extracting(f -> f.key() + " " + f.expected().kind() + " found " + f.foundVersion())
              .containsExactly("a VERSION_EQUALS found 2", "b ABSENT found 1", "b ABSENT found 1", "c PRESENT found 0");
          assertThat(e.getMessage()).doesNotContain("a3", "b2", "c1");
        });

    assertThat(text(store, "a")).contains("a2");
    assertThat(text(store, "b")).contains("b1");
    assertThat(store.get(NS, "c")).isEmpty();
    assertThat(text(store, "d")).contains("d1");
    assertThat(historyVersions(store, "a")).isEqualTo(historyBefore);
    assertThat(changeLog()).isEqualTo(logBefore);
    store.put(NS, "marker", Value.string("m"));
    assertThat(heard.next().key()).as("no event of the failed transaction precedes the marker's").isEqualTo("marker");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres"})
  void aCommittedTransactionWritesLikeSingleWritesAndPublishesInWriteOrder(String database) throws Exception {
    open(database);
    store.put(NS, "x", Value.string("x1"));
    Entry y = store.put(NS, "y", Value.string("y1"));
    store.put(NS, "gone", Value.string("g1"));
    int logBefore = changeLog().size();
    Recorder heard = new Recorder();
    store.subscribe(ChangeFilter.all(), heard);

    TransactionResult r = store.transaction(NS)
        .versionIs("y", y.version())
        .absent("z")
        .update("y", Value.string("y2"), WriteOptions.none().withReason("move"))
        .create("z", Value.string("z1"))
        .delete("gone")
        .delete("never")
        .put("x", Value.string("x2"))
        .commit();

    assertThat(r.written().keySet()).containsExactly("y", "z", "x");
    assertThat(r.written().get("y").version()).isEqualTo(2);
    assertThat(r.written().get("z").version()).isEqualTo(1);
    assertThat(r.written().get("x").value().asString()).isEqualTo("x2");
    assertThat(r.deleted()).containsExactly("gone");
    assertThat(text(store, "y")).contains("y2");
    assertThat(text(store, "z")).contains("z1");
    assertThat(text(store, "x")).contains("x2");
    assertThat(store.get(NS, "gone")).isEmpty();

    // History as put/update keep it: the replaced version is recorded, the deleted key has none.
    List<VersionRecord> yHistory = store.history(NS, "y");
    assertThat(yHistory).extracting(VersionRecord::version).containsExactlyInAnyOrder(2L, 1L);
    assertThat(yHistory).filteredOn(v -> v.version() == 2).singleElement()
        .satisfies(v -> assertThat(v.reason()).contains("move"));
    assertThat(store.history(NS, "gone")).isEmpty();

    assertThat(changeLog().subList(logBefore, changeLog().size()))
        .containsExactly("y:2:UPDATED", "z:1:CREATED", "gone:1:DELETED", "x:2:UPDATED");
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ChangeEvent e = heard.next();
      events.add(e.key() + ":" + e.version() + ":" + e.type());
    }
    assertThat(events).containsExactly("y:2:UPDATED", "z:1:CREATED", "gone:1:DELETED", "x:2:UPDATED");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres"})
  void anExpiredEntryIsAbsentToCompares(String database) {
    open(database);
    store.put(NS, "lease", Value.string("old"), WriteOptions.ttl(Duration.ofSeconds(5)));
    clock.advance(Duration.ofSeconds(6));

    assertThatThrownBy(() -> store.transaction(NS).present("lease").put("other", Value.string("o")).commit())
        .isInstanceOfSatisfying(TransactionFailedException.class,
            e -> assertThat(e.failures()).singleElement().satisfies(f -> assertThat(f.found()).isEmpty()));
    TransactionResult r = store.transaction(NS).absent("lease").create("lease", Value.string("new")).commit();
    assertThat(r.written().get("lease").version()).as("a new entry, not version 2 of the expired one").isEqualTo(1);
    assertThat(text(store, "lease")).contains("new");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres"})
  void theNearCacheStaysCoherentAcrossTransactions(String database) {
    open(database);
    KvStore cached = NearCache.builder().expireAfterWrite(Duration.ofHours(1)).build(store);
    stores.add(0, cached);
    cached.put(NS, "k1", Value.string("one"));
    cached.put(NS, "k2", Value.string("two"));
    assertThat(text(cached, "k1")).contains("one");
    assertThat(text(cached, "k2")).contains("two");
    assertThat(((NearCachedStore) cached).cached(NS, "k1")).isPresent();

    cached.transaction(NS).put("k1", Value.string("uno")).delete("k2").commit();
    assertThat(text(cached, "k1")).contains("uno");
    assertThat(cached.get(NS, "k2")).isEmpty();

    assertThat(text(cached, "k1")).contains("uno"); // cached again
    assertThatThrownBy(() -> cached.transaction(NS).versionIs("k1", 1).put("k1", Value.string("ein")).commit())
        .isInstanceOf(TransactionFailedException.class);
    assertThat(text(cached, "k1")).contains("uno");
    assertThat(cached.get(NS, "k1")).map(Entry::version).contains(2L);
  }
}
