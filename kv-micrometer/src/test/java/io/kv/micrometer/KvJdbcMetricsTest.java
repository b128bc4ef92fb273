package io.kv.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.ChangeFilter;
import io.kv.KvStore;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.jdbc.ChangeFeed;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.NearCache;
import io.kv.jdbc.NearCacheStats;
import io.kv.jdbc.SchemaMode;
import io.kv.jdbc.TimeSource;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JDBC store's figures as meters, on a real H2 database shared by two store instances. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KvJdbcMetricsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HikariDataSource dataSource = new HikariDataSource();
  private final List<AutoCloseable> open = new ArrayList<>();

  KvJdbcMetricsTest() {
    dataSource.setJdbcUrl("jdbc:h2:mem:metrics-" + UUID.randomUUID());
    dataSource.setMaximumPoolSize(6);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    // The pool's connections keep the in-memory database alive; closing the pool drops it.
    dataSource.close();
  }

  private JdbcKvStore store(String instanceId, MutableClock clock) {
    JdbcKvStore store = JdbcKvStore.builder(dataSource).instanceId(instanceId).clock(clock)
        .timeSource(TimeSource.CLOCK).schemaMode(SchemaMode.CREATE).sweepInterval(Duration.ZERO).build();
    open.add(store);
    return store;
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  /** Waits for the feed's or the cache's own thread to catch up; gives up after ten seconds. */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited ten seconds").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void nearCacheHitsMissesEvictionsAndSize() {
    JdbcKvStore jdbc = store("a", MutableClock.at(T0));
    KvStore cached = NearCache.builder().maximumSize(2).clock(jdbc.clock()).build(jdbc);
    open.add(0, cached::close);
    KvJdbcMetrics.builder().nearCache(cached).build().bindTo(registry);

    cached.put("app", "k", Value.string("v"));
    cached.get("app", "k"); // miss: the write dropped it
    cached.get("app", "k"); // hit
    cached.get("app", "absent"); // miss
    assertThat(counter(KvJdbcMetrics.NEAR_CACHE_GETS, "result", "hit")).isEqualTo(1);
    assertThat(counter(KvJdbcMetrics.NEAR_CACHE_GETS, "result", "miss")).isEqualTo(2);

    for (int i = 0; i < 4; i++) {
      cached.put("app", "e" + i, Value.string("v"));
      cached.get("app", "e" + i);
    }
    NearCacheStats stats = cached.feature(NearCacheStats.class).orElseThrow();
    // Caffeine evicts on its maintenance thread.
    awaitTrue(() -> stats.evictionCount() >= 3 && stats.size() <= 2);
    assertThat(counter(KvJdbcMetrics.NEAR_CACHE_EVICTIONS)).isEqualTo(stats.evictionCount());
    assertThat(registry.get(KvJdbcMetrics.NEAR_CACHE_SIZE).gauge().value()).isEqualTo(stats.size());
  }

  @Test
  void feedLagAndGapsOfAnotherInstancesWrites() throws Exception {
    MutableClock writerClock = MutableClock.at(T0);
    // The reader's clock is three seconds ahead: every change reaches it three seconds late.
    MutableClock readerClock = MutableClock.at(T0.plusSeconds(3));
    JdbcKvStore writer = store("writer", writerClock);
    JdbcKvStore reader = store("reader", readerClock);
    ChangeFeed feed = ChangeFeed.builder(dataSource, reader)
        .pollInterval(Duration.ofMillis(10)).gapTimeout(Duration.ofSeconds(30)).clock(readerClock).start();
    open.add(feed);
    KvJdbcMetrics.builder().changeFeed(feed).build().bindTo(registry);
    CountDownLatch seen = new CountDownLatch(1);
    feed.subscribe(ChangeFilter.namespace("app"), event -> seen.countDown());

    burnOneSequenceNumber();
    writer.put("app", "k", Value.string("v"));

    assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();
    var lag = registry.get(KvJdbcMetrics.FEED_LAG).functionTimer();
    assertThat(lag.count()).isGreaterThanOrEqualTo(1);
    assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3000.0 * lag.count());
    assertThat(registry.get(KvJdbcMetrics.FEED_LAST_LAG).timeGauge().value(TimeUnit.SECONDS)).isEqualTo(3.0);
    assertThat(counter(KvJdbcMetrics.FEED_GAPS, "state", "seen")).isEqualTo(1);
    assertThat(counter(KvJdbcMetrics.FEED_GAPS, "state", "given_up")).isZero();
    assertThat(registry.get(KvJdbcMetrics.FEED_PENDING_GAPS).gauge().value()).isEqualTo(1);

    readerClock.advance(Duration.ofSeconds(31));
    awaitTrue(() -> feed.stats().gapsGivenUp() == 1);
    assertThat(counter(KvJdbcMetrics.FEED_GAPS, "state", "given_up")).isEqualTo(1);
    assertThat(registry.get(KvJdbcMetrics.FEED_PENDING_GAPS).gauge().value()).isZero();
  }

  /** A change-log row inserted and rolled back: its sequence number is skipped for good, as after a failed write. */
  private void burnOneSequenceNumber() throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv_changes (origin, namespace, entry_key, version, change,"
          + " principal, changed_at) VALUES ('gone', 'app', 'x', 1, 'PUT', 'system', 0)")) {
        ps.executeUpdate();
      }
      c.rollback();
    }
  }

  @Test
  void sweeperDeletionsCountExpiredEntriesDeleted() {
    MutableClock clock = MutableClock.at(T0);
    JdbcKvStore jdbc = store("a", clock);
    KvJdbcMetrics.builder().sweeper(jdbc).build().bindTo(registry);
    jdbc.put("app", "short1", Value.string("v"), WriteOptions.ttl(Duration.ofMinutes(1)));
    jdbc.put("app", "short2", Value.string("v"), WriteOptions.ttl(Duration.ofMinutes(1)));
    jdbc.put("app", "long", Value.string("v"), WriteOptions.ttl(Duration.ofHours(1)));
    assertThat(jdbc.purgeExpired()).isZero();

    clock.advance(Duration.ofMinutes(2));
    assertThat(jdbc.purgeExpired()).isEqualTo(2);

    assertThat(counter(KvJdbcMetrics.SWEEPER_DELETIONS)).isEqualTo(2);
    assertThat(jdbc.expiredEntriesDeleted()).isEqualTo(2);
  }

  @Test
  void aStoreWithoutANearCacheIsRefused() {
    KvStore memory = MemoryKvStore.create();
    assertThatThrownBy(() -> KvJdbcMetrics.builder().nearCache(memory)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KvJdbcMetrics.builder().tags(List.of()).tags(List.of())).isInstanceOf(IllegalStateException.class);
  }
}
