package io.kv.benchmarks;

import io.kv.ListOptions;
import io.kv.Page;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.SchemaMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A prefix page of 100 from the JDBC store on PostgreSQL at 10^4 and 10^6 entries: the
 * PostgreSQL half of the list-scale row ({@link #storeList} at 10^6 over 10^4). A listing is a
 * range scan of the primary key, so the page should cost about the same at both sizes.
 *
 * <p>The rows are loaded once per fork. Writing 10^6 entries through {@code putAll} (1,000 a
 * transaction, each with history and change-log rows) takes several minutes here, so the store
 * creates its schema and one server-side {@code INSERT ... SELECT} over {@code generate_series}
 * then fills its entries table with the keys of {@link Data#keys} and 100-byte values, the rows
 * the store itself would write for a plain namespace (history and change log, which a listing
 * does not read, stay empty). JMH creates and drives instances of this class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 4, time = 2, timeUnit = TimeUnit.SECONDS)
public class JdbcScaleBenchmark {
  /** How many entries the namespace holds. */
  @Param({"10000", "1000000"})
  public int keyCount;

  private Postgres postgres;
  private JdbcKvStore store;
  private ListOptions[] pages;

  /**
   * Starts PostgreSQL, has the store create its tables, loads the rows and checks a page.
   *
   * @throws SQLException if loading fails
   */
  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    postgres = Postgres.start();
    store = JdbcKvStore.builder(postgres.dataSource()).schemaMode(SchemaMode.CREATE).clock(Clock.systemUTC()).build();
    load(keyCount);
    String[] last = Data.keys(keyCount);
    Checks.hit(store.get(JdbcBenchmark.NAMESPACE, last[keyCount - 1]), last[keyCount - 1]);
    if (store.count(JdbcBenchmark.NAMESPACE) != keyCount) {
      throw new IllegalStateException("the store counts " + store.count(JdbcBenchmark.NAMESPACE) + " entries");
    }
    String[] prefixes = new String[Data.GROUPS];
    for (int g = 0; g < Data.GROUPS; g++) {
      prefixes[g] = Data.groupPrefix(g);
    }
    prefixes = Data.shuffled(prefixes);
    pages = new ListOptions[prefixes.length];
    for (int i = 0; i < prefixes.length; i++) {
      pages[i] = ListOptions.prefix(prefixes[i]).limit(100);
    }
    Checks.fullPage(store.list(JdbcBenchmark.NAMESPACE, pages[0]), 100);
  }

  private void load(int n) throws SQLException {
    long now = System.currentTimeMillis();
    try (Connection c = postgres.dataSource().getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + store.tablePrefix() + "entries"
          + " (namespace, entry_key, value_type, value_bytes, version, created_at, updated_at, expires_at, metadata, tags)"
          + " SELECT ?, 'app/' || lpad((i % " + Data.GROUPS + ")::text, 3, '0') || '/entry' || lpad((i / "
          + Data.GROUPS + ")::text, 7, '0'), 'BINARY', convert_to(rpad(md5(i::text), " + Data.VALUE_BYTES
          + ", md5((i + 1)::text)), 'UTF8'), 1, ?, ?, NULL, '{}', '[]' FROM generate_series(0, ? - 1) AS i")) {
        ps.setString(1, JdbcBenchmark.NAMESPACE);
        ps.setLong(2, now);
        ps.setLong(3, now);
        ps.setInt(4, n);
        ps.executeUpdate();
      }
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE " + store.tablePrefix() + "entries");
      }
    }
  }

  /** Closes the store and stops PostgreSQL. */
  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    postgres.close();
  }

  /** The first page of 100 entries under one of the 50 key prefixes, prefixes in random order. */
  @Benchmark
  public Page storeList(Cursor cursor) {
    return store.list(JdbcBenchmark.NAMESPACE, cursor.next(pages));
  }
}
