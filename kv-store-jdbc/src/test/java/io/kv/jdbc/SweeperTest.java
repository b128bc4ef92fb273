package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.testkit.MutableClock;
import io.kv.testkit.SuiteFigures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A purge while another thread rewrites entries, on every database: the rows the writer rewrote
 * make a batch delete fewer rows than it selected, and the purge must go on to the end of what
 * was due when it started. {@code -Dkv.purge.rows=200000} runs it at the size it was reported
 * at; the default keeps the run short.
 */
@DisplayName("JdbcKvStore: purgeExpired under a concurrent writer")
class SweeperTest {
  private static final int ROWS = Integer.getInteger("kv.purge.rows", 20_000);
  private static final int BATCH = 256;

  private final MutableClock clock = MutableClock.fixed();
  private final ExecutorService writer = Executors.newSingleThreadExecutor();
  @TempDir
  Path dir;
  private HikariDataSource pool;

  @AfterEach
  void close() {
    writer.shutdownNow();
    if (pool != null) {
      pool.close();
    }
  }

  private DataSource database(String name) {
    switch (name) {
      case "postgresql":
        return TestDatabases.postgres();
      case "h2":
        pool = TestDatabases.h2(dir);
        return pool;
      default:
        pool = TestDatabases.sqlite(dir.resolve("kv.db"));
        return pool;
    }
  }

  private static String key(int i) {
    return String.format("k%07d", i);
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPurgeEndsWhenTheRowsItSelectsCannotBeDeleted() throws Exception {
    DataSource sqlite = database("sqlite");
    String prefix = TestDatabases.freshPrefix();
    try (JdbcKvStore store = JdbcKvStore.builder(sqlite).clock(clock).tablePrefix(prefix).schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO).sweepBatchSize(BATCH).build()) {
      // Keys as blobs where the store writes text: the delete's key never matches them.
      insertDueRows(sqlite, prefix, true);
      store.put("app", "live", Value.string("v"));
      clock.advance(Duration.ofMillis(ROWS / BATCH + 1));

      assertThat(store.purgeExpired()).isZero();
      assertThat(store.get("app", "live")).isPresent();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "h2", "sqlite"})
  void aPurgeRemovesEveryRowDueAtItsStartThatNobodyRewroteAndCountsExactlyThose(String database) throws Exception {
    DataSource plain = database(database);
    Set<String> rewritten = ConcurrentHashMap.newKeySet();
    AtomicInteger selections = new AtomicInteger();
    JdbcKvStore[] purging = new JdbcKvStore[1];
    // Right after the sweeper selected a batch, and before it deletes it, the writer rewrites
    // every tenth row of that batch. Group g of the rows expires at g + 1 ms, so the batch the
    // sweeper selects g-th is group g.
    DataSource observed = ObservedDataSource.of(plain, c -> { }, (sql, ps) -> {
      if (sql.contains("WHERE expires_at <= ?")) {
        int group = selections.getAndIncrement();
        awaitWriter(() -> {
          for (int i = (group * BATCH + 9) / 10 * 10; i < Math.min(ROWS, (group + 1) * BATCH); i += 10) {
            purging[0].put("app", key(i), Value.string("rewritten"));
            rewritten.add(key(i));
          }
        });
      }
    });
    String prefix = TestDatabases.freshPrefix();
    try (JdbcKvStore store = JdbcKvStore.builder(observed).clock(clock).tablePrefix(prefix).schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO).sweepBatchSize(BATCH).build()) {
      purging[0] = store;
      insertDueRows(plain, prefix, store.dialect().keysAsBytes());
      clock.advance(Duration.ofMillis(ROWS / BATCH + 1));
      long start = clock.millis();

      int purged = store.purgeExpired();

      Set<String> left = keys(plain, prefix);
      assertThat(rewritten).hasSize((ROWS + 9) / 10);
      assertThat(left).as("the rows left are the rewritten ones").isEqualTo(rewritten);
      assertThat(purged).as("the count returned").isEqualTo(ROWS - rewritten.size());
      assertThat(count(plain, "SELECT COUNT(*) FROM " + prefix + "entries WHERE expires_at <= ?", start)).isZero();
      assertThat(count(plain, "SELECT COUNT(*) FROM " + prefix + "changes WHERE change = 'EXPIRED' AND changed_at <= ?", start))
          .as("each row expired once, by the purge or by the write over it").isEqualTo(ROWS);

      Map<String, Long> figures = new LinkedHashMap<>();
      figures.put("rows due", (long) ROWS);
      figures.put("rows rewritten during the purge", (long) rewritten.size());
      figures.put("rows purged", (long) purged);
      figures.put("batches", (long) selections.get());
      SuiteFigures.publish("purge under a concurrent writer", database, figures);
    }
  }

  /**
   * The rows to purge, written as the store writes an entry (the test is about the purge, not
   * about loading): row i in group i / BATCH, which expires {@code group + 1} ms after now.
   */
  private void insertDueRows(DataSource ds, String prefix, boolean keysAsBytes) throws SQLException {
    long now = clock.millis();
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix + "entries"
        + " (namespace, entry_key, value_type, value_bytes, version, created_at, updated_at, expires_at, metadata, tags,"
        + " change, principal) VALUES ('app', ?, 'STRING', ?, 1, ?, ?, ?, '{}', '[]', 'CREATED', 'loader')")) {
      c.setAutoCommit(false);
      for (int i = 0; i < ROWS; i++) {
        if (keysAsBytes) {
          ps.setBytes(1, key(i).getBytes(StandardCharsets.UTF_8));
        } else {
          ps.setString(1, key(i));
        }
        ps.setBytes(2, "due".getBytes(StandardCharsets.UTF_8));
        ps.setLong(3, now);
        ps.setLong(4, now);
        ps.setLong(5, now + i / BATCH + 1);
        ps.addBatch();
        if (i % 1000 == 999) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
      c.commit();
    }
  }

  private void awaitWriter(Runnable writes) {
    try {
      writer.submit(writes).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the writer failed", e);
    }
  }

  /** Every key the entry table holds, live or not; H2 stores keys as UTF-8 bytes. */
  private static Set<String> keys(DataSource ds, String prefix) throws SQLException {
    Set<String> out = new HashSet<>();
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT entry_key FROM " + prefix + "entries");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Object k = rs.getObject(1);
        out.add(k instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : k.toString());
      }
    }
    return out;
  }

  private static long count(DataSource ds, String sql, long bound) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, bound);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
