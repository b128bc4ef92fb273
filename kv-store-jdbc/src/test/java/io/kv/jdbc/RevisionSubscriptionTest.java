package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Page;
import io.kv.RevisionCompactedException;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Revisions and subscriptions from a revision on PostgreSQL, H2 and SQLite, with two store
 * instances on one database: the revisions both hand out, a replay that turns into the live
 * part while the other instance writes, a subscriber restarting from the last revision it was
 * told, a revision the retention already pruned, and a configuration cache that was down.
 */
@DisplayName("JdbcKvStore: revisions and subscriptions from a revision, across instances")
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RevisionSubscriptionTest {
  private static final String NS = "app";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private final MutableClock clock = MutableClock.fixed();
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  /** The first instance's database, for writes that go around the store. */
  private DataSource dataSource;

  /** Two instances on one database: one table prefix on PostgreSQL, one file with a pool each on H2 and SQLite. */
  private List<JdbcKvStore> open(String database) {
    String prefix = TestDatabases.freshPrefix();
    List<JdbcKvStore> stores = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      JdbcKvStore.Builder b;
      switch (database) {
        case "postgresql":
          b = JdbcKvStore.builder(TestDatabases.postgres()).tablePrefix(prefix);
          break;
        case "h2":
          b = JdbcKvStore.builder(pool(TestDatabases.h2(dir)));
          break;
        default:
          b = JdbcKvStore.builder(pool(TestDatabases.sqlite(dir.resolve("kv.db"))));
      }
      if (i == 0) {
        dataSource = database.equals("postgresql") ? TestDatabases.postgres() : pools.get(0);
      }
      JdbcKvStore store = b.clock(clock).schemaMode(i == 0 ? SchemaMode.CREATE : SchemaMode.VALIDATE)
          .sweepInterval(Duration.ZERO).instanceId("instance-" + i).build();
      closeables.add(0, store);
      stores.add(store);
    }
    return stores;
  }

  /**
   * Takes a revision in a transaction of its own that it leaves open, as a writer does whose
   * commit comes late: a change-log row from the sequence, uncommitted. Commit or roll back the
   * connection returned.
   */
  private Connection openLateWrite(JdbcKvStore store) throws SQLException {
    Connection c = dataSource.getConnection();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + store.tablePrefix() + "changes"
        + " (origin, namespace, entry_key, version, change, principal, changed_at) VALUES ('elsewhere', ?, 'late', 1,"
        + " 'CREATED', 'someone', ?)")) {
      ps.setString(1, NS);
      ps.setLong(2, clock.millis());
      ps.executeUpdate();
    }
    return c;
  }

  private HikariDataSource pool(HikariDataSource ds) {
    pools.add(ds);
    return ds;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    pools.forEach(HikariDataSource::close);
  }

  private Subscription subscribe(KvStore store, ChangeFilter filter, long from, BlockingQueue<ChangeEvent> into) {
    Subscription s = store.subscribe(filter, from, into::add);
    closeables.add(0, s);
    return s;
  }

  /** Takes events until one has at least {@code revision}; fails if none comes in time. */
  private static List<ChangeEvent> takeThrough(BlockingQueue<ChangeEvent> events, long revision) throws InterruptedException {
    List<ChangeEvent> out = new ArrayList<>();
    while (out.isEmpty() || out.get(out.size() - 1).revision() < revision) {
      ChangeEvent e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(e).as("an event up to revision %d after %s", revision, out).isNotNull();
      out.add(e);
    }
    return out;
  }

  private static List<Long> revisions(List<ChangeEvent> events) {
    return events.stream().map(ChangeEvent::revision).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "h2", "sqlite"})
  void revisionsIncreaseAcrossInstancesAndEntriesEventsAndListingsCarryThem(String database) throws Exception {
    List<JdbcKvStore> stores = open(database);
    BlockingQueue<ChangeEvent> local = new LinkedBlockingQueue<>();
    closeables.add(0, stores.get(0).subscribe(ChangeFilter.all(), local::add));
    long last = stores.get(0).revision();
    for (int i = 0; i < 6; i++) {
      JdbcKvStore writer = stores.get(i % 2);
      Entry written = writer.put(NS, "k" + (i % 3), Value.number(i));
      assertThat(written.revision()).as("write %d", i).isGreaterThan(last);
      last = written.revision();
      assertThat(stores.get((i + 1) % 2).get(NS, "k" + (i % 3)).orElseThrow().revision()).isEqualTo(last);
      assertThat(stores.get(0).revision()).isEqualTo(last);
      assertThat(stores.get(1).revision()).isEqualTo(last);
      if (i % 2 == 0) {
        assertThat(local.poll(5, TimeUnit.SECONDS).revision()).isEqualTo(last);
      }
    }
    stores.get(1).delete(NS, "k0");
    long deletion = stores.get(0).revision();
    assertThat(deletion).isGreaterThan(last);
    Page page = stores.get(0).list(NS, ListOptions.prefix("k"));
    assertThat(page.revision()).isEqualTo(deletion);
    assertThat(page.entries()).extracting(Entry::key).containsExactly("k1", "k2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "h2", "sqlite"})
  void aReplayContinuesLiveWithoutGapOrDuplicateWhileAnotherInstanceWrites(String database) throws Exception {
    List<JdbcKvStore> stores = open(database);
    JdbcKvStore writer = stores.get(0);
    Map<Long, String> expected = new HashMap<>();
    long from = 0;
    for (int i = 0; i < 40; i++) {
      Entry e = writer.put(NS, "k" + (i % 7), Value.number(i));
      expected.put(e.revision(), e.key() + "@" + e.version());
      writer.put("other", "x", Value.number(i)); // another namespace: filtered out
      if (i == 9) {
        from = e.revision();
      }
    }
    long fromRevision = from;
    expected.keySet().removeIf(r -> r <= fromRevision);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      // The writer keeps going while the subscriber replays and turns live.
      Future<List<Entry>> concurrent = pool.submit(() -> {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
          out.add(writer.put(NS, "k" + (i % 5), Value.number(100 + i)));
        }
        return out;
      });
      BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
      subscribe(stores.get(1), ChangeFilter.namespace(NS), fromRevision, events);
      for (Entry e : concurrent.get(60, TimeUnit.SECONDS)) {
        expected.put(e.revision(), e.key() + "@" + e.version());
      }
      long lastRevision = expected.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
      List<ChangeEvent> got = takeThrough(events, lastRevision);
      assertThat(revisions(got)).isSorted().doesNotHaveDuplicates().allMatch(r -> r > fromRevision);
      Map<Long, String> told = new HashMap<>();
      got.forEach(e -> told.put(e.revision(), e.key() + "@" + e.version()));
      assertThat(told).isEqualTo(expected);
      assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("nothing after the last write").isNull();
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "h2", "sqlite"})
  void aRestartedSubscriberResumesFromTheLastRevisionItWasTold(String database) throws Exception {
    List<JdbcKvStore> stores = open(database);
    List<Long> written = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      written.add(stores.get(i % 2).put(NS, "k" + i, Value.number(i)).revision());
    }
    BlockingQueue<ChangeEvent> first = new LinkedBlockingQueue<>();
    Subscription s = subscribe(stores.get(0), ChangeFilter.namespace(NS), 0, first);
    List<ChangeEvent> before = takeThrough(first, written.get(5));
    s.close();
    long lastTold = before.get(before.size() - 1).revision();
    // While it is down, both instances write on.
    for (int i = 10; i < 20; i++) {
      written.add(stores.get(i % 2).put(NS, "k" + (i % 4), Value.number(i)).revision());
    }
    BlockingQueue<ChangeEvent> second = new LinkedBlockingQueue<>();
    subscribe(stores.get(0), ChangeFilter.namespace(NS), lastTold, second);
    List<ChangeEvent> after = takeThrough(second, written.get(written.size() - 1));
    List<Long> all = new ArrayList<>(revisions(before));
    all.addAll(revisions(after));
    assertThat(all).isEqualTo(written);
  }

  /**
   * SQLite lets one writer at a time in (BEGIN IMMEDIATE), so its revisions commit in order;
   * PostgreSQL and H2 hand them out to concurrent transactions that commit in any order.
   */
  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "h2"})
  void aRevisionCommittedLateIsNeitherHiddenByReadsNorMissedBySubscribers(String database) throws Exception {
    List<JdbcKvStore> stores = open(database);
    JdbcKvStore store = stores.get(0);
    long before = store.put(NS, "k1", Value.number(1)).revision();
    Connection late = openLateWrite(store);
    long after = stores.get(1).put(NS, "k2", Value.number(2)).revision();
    // A revision between the two is still open: a read is as of the one below it.
    assertThat(store.revision()).isEqualTo(before);
    assertThat(store.list(NS, ListOptions.all()).revision()).isEqualTo(before);

    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    subscribe(store, ChangeFilter.namespace(NS), before, events);
    assertThat(events.poll(500, TimeUnit.MILLISECONDS)).as("held back behind the open revision").isNull();
    late.commit();
    late.close();
    List<ChangeEvent> got = takeThrough(events, after);
    assertThat(got).extracting(ChangeEvent::key).containsExactly("late", "k2");
    assertThat(revisions(got)).isSorted().allMatch(r -> r > before);
    assertThat(store.revision()).isEqualTo(after);

    // A revision that never commits is given up after the gap timeout, by reads and subscribers.
    Connection rolledBack = openLateWrite(store);
    rolledBack.rollback();
    rolledBack.close();
    long last = stores.get(1).put(NS, "k3", Value.number(3)).revision();
    assertThat(store.revision()).isEqualTo(after);
    assertThat(events.poll(500, TimeUnit.MILLISECONDS)).isNull();
    clock.advance(Revisions.GAP_TIMEOUT);
    assertThat(events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).revision()).isEqualTo(last);
    assertThat(store.revision()).isEqualTo(last);
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "h2", "sqlite"})
  void aRevisionThePrunedLogNoLongerHoldsIsRefusedBeforeAnyDelivery(String database) throws Exception {
    List<JdbcKvStore> stores = open(database);
    for (int i = 0; i < 3; i++) {
      stores.get(i % 2).put(NS, "old" + i, Value.number(i));
    }
    clock.advance(Duration.ofHours(2)); // past the default retention of one hour
    Entry kept = stores.get(1).put(NS, "new", Value.number(9));
    stores.get(0).purgeExpired();

    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    assertThatThrownBy(() -> stores.get(0).subscribe(ChangeFilter.all(), 0, events::add))
        .isInstanceOfSatisfying(RevisionCompactedException.class, e -> {
          assertThat(e.requested()).isZero();
          assertThat(e.oldestAvailable()).isEqualTo(kept.revision());
        });
    assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    // From just below the oldest retained revision, the log is whole.
    subscribe(stores.get(0), ChangeFilter.all(), kept.revision() - 1, events);
    assertThat(events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).revision()).isEqualTo(kept.revision());
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "h2", "sqlite"})
  void aConfigCacheThatWasDownCatchesUpOnExactlyWhatChanged(String database) throws Exception {
    List<JdbcKvStore> stores = open(database);
    JdbcKvStore other = stores.get(1);
    for (int i = 0; i < 12; i++) {
      other.put(NS, "cfg/" + i, Value.string("v" + i));
    }
    other.put(NS, "elsewhere", Value.string("not watched"));
    // The cache reads through a near-cached store over the first instance.
    KvStore cached = NearCache.builder().expireAfterWrite(Duration.ofHours(1)).build(stores.get(0));
    closeables.add(0, cached);
    ConfigCache cache = new ConfigCache(cached, "cfg/");
    long resumeFrom = cache.load();
    assertThat(cache.values).hasSize(12);

    // Down: the other instance writes for a while (the clock moves a minute).
    for (int round = 0; round < 6; round++) {
      clock.advance(Duration.ofSeconds(10));
      other.put(NS, "cfg/" + round, Value.string("changed" + round));
      other.delete(NS, "cfg/" + (11 - round));
      other.put(NS, "cfg/new" + round, Value.string("added" + round));
      other.put(NS, "elsewhere", Value.string("still not watched " + round));
    }
    Entry lastWrite = other.put(NS, "cfg/last", Value.string("last"));

    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    subscribe(cached, ChangeFilter.namespace(NS).withKeyPrefix("cfg/"), resumeFrom, events);
    List<ChangeEvent> caughtUp = takeThrough(events, lastWrite.revision());
    caughtUp.forEach(cache::apply);

    Map<String, Value> table = new HashMap<>();
    other.list(NS, ListOptions.prefix("cfg/").limit(1000)).entries().forEach(e -> table.put(e.key(), e.value()));
    assertThat(cache.values).isEqualTo(table);
    assertThat(caughtUp).extracting(ChangeEvent::type).contains(ChangeType.DELETED);
    assertThat(caughtUp).allMatch(e -> e.key().startsWith("cfg/")).hasSize(6 * 3 + 1);
  }

  /** What an application keeps of a key prefix: values by key, as of a revision per key. */
  private static final class ConfigCache {
    private final KvStore store;
    private final String prefix;
    final Map<String, Value> values = new HashMap<>();
    private final Map<String, Long> revisions = new HashMap<>();

    ConfigCache(KvStore store, String prefix) {
      this.store = store;
      this.prefix = prefix;
    }

    /** Lists the prefix page by page; the first page's revision is where to resume. */
    long load() {
      Page page = store.list(NS, ListOptions.prefix(prefix).limit(5));
      long from = page.revision();
      while (true) {
        page.entries().forEach(e -> {
          values.put(e.key(), e.value());
          revisions.put(e.key(), e.revision());
        });
        Optional<String> next = page.nextCursor();
        if (next.isEmpty()) {
          return from;
        }
        page = store.list(NS, ListOptions.prefix(prefix).limit(5).after(next.get()));
      }
    }

    /** A change it has not applied yet: the key's value now, or its removal. */
    void apply(ChangeEvent event) {
      if (revisions.getOrDefault(event.key(), 0L) >= event.revision()) {
        return;
      }
      revisions.put(event.key(), event.revision());
      Optional<Entry> now = store.get(NS, event.key());
      if (now.isPresent()) {
        values.put(event.key(), now.get().value());
      } else {
        values.remove(event.key());
      }
    }
  }
}
