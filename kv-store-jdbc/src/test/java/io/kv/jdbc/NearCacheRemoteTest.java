package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.Value;
import io.kv.memory.MemoryKvStore;
import java.nio.file.Path;
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
 * Two instances on one database: each a near-cache with its own change feed over a simulated
 * store instance that logs its writes to the change-log table. What one writes, the other stops
 * serving from its cache within the stated bound, and its listeners hear it.
 */
class NearCacheRemoteTest {
  private static final String NS = "app";
  /** Allowance for one query and the scheduling of a loaded test machine. */
  private static final Duration SLACK = Duration.ofSeconds(3);

  @TempDir Path dir;

  private final MemoryKvStore shared = MemoryKvStore.create();
  private final List<KvStore> stores = new ArrayList<>();
  private ChangeLog log;

  @AfterEach
  void close() {
    stores.forEach(KvStore::close);
  }

  private DataSource database(String name) {
    return name.equals("postgres") ? Databases.postgres() : Databases.h2(dir);
  }

  private KvStore instance(String id, Duration pollInterval) {
    ChangeFeed feed = ChangeFeed.builder(log.dataSource, id).tablePrefix(log.prefix).pollInterval(pollInterval).start();
    KvStore store = NearCache.builder().expireAfterWrite(Duration.ofHours(1)).changeFeed(feed)
        .build(new LoggingStore(shared, log, id));
    stores.add(store);
    return store;
  }

  private static Optional<Entry> cached(KvStore store, String key) {
    return ((NearCachedStore) store).cached(NS, key);
  }

  /**
   * The staleness bound: a write committed by instance a is no longer served from b's cache
   * after one poll interval plus one query. On PostgreSQL the poll interval is ten minutes, so
   * only the notification can meet the bound.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aRemoteWriteLeavesTheCacheWithinTheBound(String db) throws Exception {
    log = ChangeLog.create(database(db), Databases.uniquePrefix());
    Duration poll = db.equals("postgres") ? Duration.ofMinutes(10) : Duration.ofMillis(100);
    Duration bound = (db.equals("postgres") ? Duration.ZERO : poll).plus(SLACK);
    KvStore a = instance("a", poll);
    KvStore b = instance("b", poll);

    Recorder heard = new Recorder();
    b.subscribe(ChangeFilter.all(), heard);
    a.put(NS, "k", Value.string("v1"));
    // Once b heard of v1, nothing in flight will drop what b caches next.
    assertThat(heard.next().version()).isEqualTo(1);
    assertThat(b.get(NS, "k")).map(Entry::version).contains(1L);
    assertThat(cached(b, "k")).as("b caches v1").isPresent();

    a.put(NS, "k", Value.string("v2"));
    long committed = System.nanoTime();
    Duration stale = waitUntil(() -> cached(b, "k").isEmpty(), bound.plusSeconds(10));
    assertThat(stale).as("b stopped serving v1 within poll interval + one query").isLessThanOrEqualTo(bound);
    assertThat(Duration.ofNanos(System.nanoTime() - committed)).isGreaterThanOrEqualTo(stale);
    assertThat(b.get(NS, "k")).map(Entry::version).contains(2L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void listenersHearOwnAndRemoteChangesOnceEachInVersionOrder(String db) throws Exception {
    log = ChangeLog.create(database(db), Databases.uniquePrefix());
    KvStore a = instance("a", Duration.ofMillis(50));
    KvStore b = instance("b", Duration.ofMillis(50));
    Recorder heard = new Recorder();
    b.subscribe(ChangeFilter.namespace(NS), heard);

    a.put(NS, "k", Value.string("1"));
    a.put(NS, "k", Value.string("2"));
    a.put(NS, "k", Value.string("3"));
    assertThat(List.of(heard.next(), heard.next(), heard.next()))
        .extracting(ChangeEvent::version).containsExactly(1L, 2L, 3L);

    b.put(NS, "k", Value.string("4"));
    ChangeEvent own = heard.next();
    assertThat(own.version()).isEqualTo(4);
    assertThat(own.type()).isEqualTo(ChangeType.UPDATED);

    // A late remote row for a version already delivered is dropped; b's own row is skipped.
    log.insert("a", NS, "k", 3, ChangeType.UPDATED);
    a.put(NS, "marker", Value.string("m"));
    assertThat(heard.next().key()).as("neither the stale v3 nor b's own v4 again").isEqualTo("marker");

    a.delete(NS, "k");
    ChangeEvent deleted = heard.next();
    assertThat(deleted.type()).isEqualTo(ChangeType.DELETED);
    assertThat(deleted.version()).isEqualTo(4);
    a.put(NS, "k", Value.string("again"));
    ChangeEvent recreated = heard.next();
    assertThat(recreated.type()).as("a new life of the key after its delete").isEqualTo(ChangeType.CREATED);
    assertThat(recreated.version()).isEqualTo(1);
  }

  /** Waits (polling, without a fixed sleep) until {@code condition} holds; returns how long it took. */
  private static Duration waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within %s", timeout).isLessThan(deadline);
      Thread.sleep(5);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
