package io.kv.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.audit.jdbc.JdbcAuditSink;
import io.kv.core.KvStores;
import io.kv.jdbc.ChangeFeed;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.NearCache;
import io.kv.jdbc.SchemaMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The JDBC store on PostgreSQL (10^4 entries of 100 bytes) beside raw JDBC on the same pool, and
 * its near-cache beside a bare Caffeine cache.
 *
 * <ul>
 *   <li>nearcache-get: {@link #nearCacheGet} (a hit of {@code NearCache} over {@code JdbcKvStore})
 *       over {@link #caffeineGet} ({@code getIfPresent} of a Caffeine cache built alike: same size
 *       bound and expiry, holding the same entries).
 *   <li>stack-nearcache-get: {@link #stackNearCacheGet}, the deployed stack ({@code KvStores}
 *       with encryption over the near-cache, with its change feed, over PostgreSQL), a hit in a
 *       plain namespace, over {@link #caffeineGet}.
 *   <li>pg-get: {@link #storeGet} over {@link #rawGet}, a prepared select of the same row and
 *       columns on a pooled connection.
 *   <li>pg-put: {@link #storePut} (the entry row with its version record, the change-log row and
 *       the notification, committed; the plain namespace keeps no earlier versions, so nothing goes
 *       to the history table) over {@link #rawPut}, one upsert of the same row in autocommit.
 *   <li>pg-bulk-set: {@link #storeBulkSet}, 10,000 entries in {@code putAll} calls of 1,000, over
 *       {@link #rawBulkSet}, a batched upsert of the same rows, one transaction per 1,000.
 * </ul>
 *
 * <p>Each fork starts its own server (the JMH state sets it up), so one method's writes never
 * slow another's reads. JMH creates and drives instances of this class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {Jvm.MIN_HEAP, Jvm.MAX_HEAP, Jvm.PRE_TOUCH})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 4, time = 2, timeUnit = TimeUnit.SECONDS)
public class JdbcBenchmark {
  static final String NAMESPACE = "bench";
  private static final int KEY_COUNT = 10_000;
  private static final int BATCH = 1_000;
  /** Keys a transaction row writes. */
  static final int TRANSACTION_KEYS = 10;
  private static final long CACHE_SIZE = 20_000;
  private static final Duration CACHE_EXPIRY = Duration.ofMinutes(10);

  private static final String RAW_GET = "SELECT entry_key, value_type, value_bytes, version, created_at, updated_at,"
      + " expires_at, metadata, tags FROM kv_entries WHERE namespace = ? AND entry_key = ?"
      + " AND (expires_at IS NULL OR expires_at > ?)";
  private static final String RAW_UPSERT = "INSERT INTO kv_entries (namespace, entry_key, value_type, value_bytes,"
      + " version, created_at, updated_at, expires_at, metadata, tags) VALUES (?, ?, 'BINARY', ?, 1, ?, ?, NULL, '{}', '[]')"
      + " ON CONFLICT (namespace, entry_key) DO UPDATE SET value_type = EXCLUDED.value_type,"
      + " value_bytes = EXCLUDED.value_bytes, version = kv_entries.version + 1, updated_at = EXCLUDED.updated_at,"
      + " expires_at = NULL, metadata = EXCLUDED.metadata, tags = EXCLUDED.tags";

  private Postgres postgres;
  private DataSource dataSource;
  private JdbcKvStore jdbc;
  private String[] order;
  private Value[] values;
  private Map<String, Value>[] batches;

  /** Starts PostgreSQL, writes the entries through the store, warms the near-cache. */
  @Setup(Level.Trial)
  public void setUp() {
    postgres = Postgres.start();
    dataSource = postgres.dataSource();
    jdbc = JdbcKvStore.builder(dataSource).schemaMode(SchemaMode.CREATE).clock(Clock.systemUTC()).build();
    String[] keys = Data.keys(KEY_COUNT);
    Value[] inOrder = new Value[KEY_COUNT];
    batches = newBatches(KEY_COUNT / BATCH);
    for (int i = 0; i < KEY_COUNT; i++) {
      inOrder[i] = Data.value(i);
      batches[i / BATCH].put(keys[i], inOrder[i]);
    }
    for (Map<String, Value> batch : batches) {
      jdbc.putAll(NAMESPACE, batch);
    }
    order = Data.shuffled(keys);
    values = Data.shuffled(inOrder);
  }

  /**
   * The near-cache with its change feed, the deployed stack over it, and the Caffeine baseline:
   * the state of the cache rows only, so that the feed (which wakes on every notification and
   * reads the change log) does not run beside the put rows it would slow down. JMH creates it for
   * the benchmarks that take it.
   */
  @State(Scope.Benchmark)
  public static class Cached {
    KvStore cached;
    KvStore stack;
    KvStore auditedStack;
    JdbcAuditSink auditSink;
    Cache<String, Entry> caffeine;
    ChangeFeed feed;

    /** Builds the near-cache over the benchmark's store and warms it, the stack and Caffeine. */
    @Setup(Level.Trial)
    public void setUp(JdbcBenchmark bench) {
      feed = ChangeFeed.builder(bench.dataSource, bench.jdbc).start();
      cached = NearCache.builder().maximumSize(CACHE_SIZE).expireAfterWrite(CACHE_EXPIRY).changeFeed(feed).build(bench.jdbc);
      stack = Stacks.encrypting(cached);
      // Reads accounted for by count, one row per group every 100 ms written by the sink's own
      // thread: the mode an audited cache is meant to run with.
      auditSink = JdbcAuditSink.builder(bench.dataSource).schemaMode(SchemaMode.CREATE)
          .summarizeReads(Duration.ofMillis(100), 10_000).build();
      auditedStack = KvStores.builder(cached).encryption(Stacks.keyRing()).audit(auditSink).build();
      caffeine = Caffeine.newBuilder().maximumSize(CACHE_SIZE).expireAfterWrite(CACHE_EXPIRY).build();
      for (String key : bench.order) {
        caffeine.put(key, Checks.hit(cached.get(NAMESPACE, key), key));
        Checks.hit(stack.get(NAMESPACE, key), key);
      }
      Checks.hit(auditedStack.get(NAMESPACE, bench.order[0]), bench.order[0]);
    }

    /** Stops the feed; the store is the benchmark's to close. */
    @TearDown(Level.Trial)
    public void tearDown() {
      feed.close();
      auditSink.close();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Value>[] newBatches(int n) {
    Map<String, Value>[] b = new Map[n];
    for (int i = 0; i < n; i++) {
      b[i] = new LinkedHashMap<>();
    }
    return b;
  }

  /** Closes the JDBC store and stops PostgreSQL. */
  @TearDown(Level.Trial)
  public void tearDown() {
    jdbc.close();
    postgres.close();
  }

  /** Baseline: Caffeine {@code getIfPresent} of a key it holds. */
  @Benchmark
  public Entry caffeineGet(Cursor cursor, Cached c) {
    return c.caffeine.getIfPresent(cursor.next(order));
  }

  /** A near-cache hit: no SQL. */
  @Benchmark
  public Optional<Entry> nearCacheGet(Cursor cursor, Cached c) {
    return c.cached.get(NAMESPACE, cursor.next(order));
  }

  /** A hit through the deployed stack: encryption layer (plain namespace) over the near-cache. */
  @Benchmark
  public Optional<Entry> stackNearCacheGet(Cursor cursor, Cached c) {
    return c.stack.get(NAMESPACE, cursor.next(order));
  }

  /**
   * A hit through the stack with encryption and the audit table ({@code JdbcAuditSink} on the
   * same database, reads summarized by count and written every 100 ms by the sink's thread) over
   * the near-cache: what an audited read costs when the cache holds the entry.
   */
  @Benchmark
  public Optional<Entry> auditedNearCacheGet(Cursor cursor, Cached c) {
    return c.auditedStack.get(NAMESPACE, cursor.next(order));
  }

  /**
   * Baseline: the same row by a prepared select on a pooled connection, every column read.
   *
   * @throws SQLException if the database fails
   */
  @Benchmark
  public void rawGet(Cursor cursor, Blackhole bh) throws SQLException {
    String key = cursor.next(order);
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RAW_GET)) {
      ps.setString(1, NAMESPACE);
      ps.setString(2, key);
      ps.setLong(3, System.currentTimeMillis());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row for " + key);
        }
        bh.consume(rs.getString(1));
        bh.consume(rs.getString(2));
        bh.consume(rs.getBytes(3));
        bh.consume(rs.getLong(4));
        bh.consume(rs.getLong(5));
        bh.consume(rs.getLong(6));
        bh.consume(rs.getLong(7));
        bh.consume(rs.wasNull());
        bh.consume(rs.getString(8));
        bh.consume(rs.getString(9));
      }
    }
  }

  /** {@code get} of the JDBC store without a cache. */
  @Benchmark
  public Optional<Entry> storeGet(Cursor cursor) {
    return jdbc.get(NAMESPACE, cursor.next(order));
  }

  /**
   * Baseline: one upsert of the same row, in autocommit.
   *
   * @throws SQLException if the database fails
   */
  @Benchmark
  public int rawPut(PairCursor cursor) throws SQLException {
    int i = cursor.next(order.length);
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RAW_UPSERT)) {
      long now = System.currentTimeMillis();
      ps.setString(1, NAMESPACE);
      ps.setString(2, order[i]);
      ps.setBytes(3, values[i].bytes());
      ps.setLong(4, now);
      ps.setLong(5, now);
      return ps.executeUpdate();
    }
  }

  /** {@code put} of the JDBC store: the entry row and the change-log row, one statement. */
  @Benchmark
  public Entry storePut(PairCursor cursor) {
    int i = cursor.next(order.length);
    return jdbc.put(NAMESPACE, order[i], values[i]);
  }

  /**
   * Baseline: {@value #TRANSACTION_KEYS} upserts of consecutive keys as one batch in one
   * transaction.
   *
   * @throws SQLException if the database fails
   */
  @Benchmark
  public int[] rawTransaction(PairCursor cursor) throws SQLException {
    int first = cursor.next(order.length - TRANSACTION_KEYS);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(RAW_UPSERT)) {
        long now = System.currentTimeMillis();
        for (int i = first; i < first + TRANSACTION_KEYS; i++) {
          ps.setString(1, NAMESPACE);
          ps.setString(2, order[i]);
          ps.setBytes(3, values[i].bytes());
          ps.setLong(4, now);
          ps.setLong(5, now);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        c.commit();
        return counts;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** A transaction of {@value #TRANSACTION_KEYS} puts of consecutive keys through the JDBC store. */
  @Benchmark
  public TransactionResult storeTransaction(PairCursor cursor) {
    int first = cursor.next(order.length - TRANSACTION_KEYS);
    Transaction.Builder tx = jdbc.transaction(NAMESPACE);
    for (int i = first; i < first + TRANSACTION_KEYS; i++) {
      tx.put(order[i], values[i]);
    }
    return tx.commit();
  }

  /**
   * Baseline: the 10,000 rows as batched upserts, one transaction per 1,000.
   *
   * @throws SQLException if the database fails
   */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void rawBulkSet(Blackhole bh) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(RAW_UPSERT)) {
        for (Map<String, Value> batch : batches) {
          long now = System.currentTimeMillis();
          for (Map.Entry<String, Value> e : batch.entrySet()) {
            ps.setString(1, NAMESPACE);
            ps.setString(2, e.getKey());
            ps.setBytes(3, e.getValue().bytes());
            ps.setLong(4, now);
            ps.setLong(5, now);
            ps.addBatch();
          }
          bh.consume(ps.executeBatch());
          c.commit();
        }
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** The 10,000 entries through {@code putAll}, 1,000 a call, each call one transaction. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void storeBulkSet(Blackhole bh) {
    for (Map<String, Value> batch : batches) {
      bh.consume(jdbc.putAll(NAMESPACE, batch));
    }
  }
}
