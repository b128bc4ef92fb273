package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.kv.NamespaceSettings;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a bulk read or write costs on a namespace of many entries, read from the database's own
 * account of how it ran the store's statements (no timing): every row it read of the entry and
 * history tables must be one of the batch's, on a table the planner has no statistics of yet
 * (a new store's first bulk write) as well as after ANALYZE.
 */
@DisplayName("JdbcKvStore: bulk reads and writes look up their keys, whatever the namespace's size")
class BulkPlanTest {
  private static final int ENTRIES = 50_000;
  private static final int BATCH = 100;
  /** The rows a statement may read of the entry and history tables per key of the batch. */
  private static final int ROWS_PER_KEY = 4;

  private final MutableClock clock = MutableClock.fixed();
  private final ObjectMapper json = new ObjectMapper();
  @TempDir
  Path dir;

  /** The batch: every other key an existing entry spread over the namespace, the rest new. */
  private static List<String> batch(int round) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      keys.add(i % 2 == 0 ? "k" + (i * (ENTRIES / BATCH) + round + 1) : "new" + round + "-" + i);
    }
    return keys;
  }

  private static void bulk(JdbcKvStore store, List<String> keys) {
    Map<String, Value> values = new LinkedHashMap<>();
    keys.forEach(k -> values.put(k, Value.string("x")));
    store.putAll("app", values, WriteOptions.none());
    assertThat(store.getAll("app", keys)).hasSize(BATCH);
    assertThat(store.deleteAll("app", keys)).isEqualTo(BATCH);
  }

  @Test
  void onPostgresqlNoStatementOfABulkOperationReadsTheNamespace() throws Exception {
    List<String> plans = new CopyOnWriteArrayList<>();
    DataSource raw = ((HikariDataSource) TestDatabases.postgres()).getDataSource();
    DataSource explained = ObservedDataSource.of(raw, c -> {
      try (Statement s = c.createStatement()) {
        s.execute("LOAD 'auto_explain'");
        s.execute("SET auto_explain.log_min_duration = 0");
        s.execute("SET auto_explain.log_analyze = on");
        s.execute("SET auto_explain.log_timing = off");
        s.execute("SET auto_explain.log_format = json");
        s.execute("SET auto_explain.log_level = notice");
      }
    }, (sql, ps) -> {
      // auto_explain sends each plan back as a notice, which the driver hangs on the statement.
      for (SQLWarning w = ps.getWarnings(); w != null; w = w.getNextWarning()) {
        int plan = w.getMessage().indexOf('{');
        if (w.getMessage().contains("\"Plan\"") && plan >= 0) {
          plans.add(w.getMessage().substring(plan));
        }
      }
      ps.clearWarnings();
    });
    String prefix = TestDatabases.freshPrefix();
    try (JdbcKvStore store = JdbcKvStore.builder(explained).clock(clock).tablePrefix(prefix).schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO).build();
         Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      store.namespaces().create("app", NamespaceSettings.defaults().withMaxVersions(1));
      for (String table : List.of("entries", "history")) {
        s.execute("ALTER TABLE " + prefix + table + " SET (autovacuum_enabled = false)");
      }
      s.execute("INSERT INTO " + prefix + "entries (namespace, entry_key, value_type, value_bytes, version, created_at,"
          + " updated_at, metadata, tags, change, principal, history_from) SELECT 'app', 'k' || g, 'STRING', 'v2'::bytea, 2,"
          + " 0, 0, '{}', '[]', 'UPDATED', 'loader', 1 FROM generate_series(1, " + ENTRIES + ") AS g");
      s.execute("INSERT INTO " + prefix + "history (namespace, entry_key, version, value_type, value_bytes, change, principal,"
          + " changed_at) SELECT 'app', 'k' || g, 1, 'STRING', 'v1'::bytea, 'CREATED', 'loader', 0"
          + " FROM generate_series(1, " + ENTRIES + ") AS g");
      assertThat(statisticsOf(s, prefix + "entries")).as("a table the planner knows nothing of").isFalse();

      bulk(store, batch(0));
      assertReadsOnlyTheBatch(plans, prefix);
      assertThat(countOf(s, "SELECT COUNT(*) FROM " + prefix + "history")).as("the record of version 1 trimmed")
          .isEqualTo(ENTRIES - BATCH / 2);

      s.execute("ANALYZE " + prefix + "entries");
      s.execute("ANALYZE " + prefix + "history");
      plans.clear();
      bulk(store, batch(1));
      assertReadsOnlyTheBatch(plans, prefix);
    }
  }

  /**
   * H2 and SQLite have no account of a statement's plan as it ran, so the statement that reads
   * rows by key is explained on its own, as the store builds it: H2 counts the rows each table
   * scan read, SQLite names the index columns it searched by.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "sqlite"})
  void onEmbeddedDatabasesRowsAreReadByKeyOneLookupPerKey(String database) throws Exception {
    try (HikariDataSource ds = database.equals("h2") ? TestDatabases.h2(dir) : TestDatabases.sqlite(dir.resolve("kv.db"));
         JdbcKvStore store = JdbcKvStore.builder(ds).clock(clock).tablePrefix(TestDatabases.freshPrefix())
             .schemaMode(SchemaMode.CREATE).sweepInterval(Duration.ZERO).build()) {
      int entries = 5_000;
      for (int from = 0; from < entries; from += 1_000) {
        Map<String, Value> values = new LinkedHashMap<>();
        for (int i = from; i < from + 1_000; i++) {
          values.put("k" + (i + 1), Value.string("v"));
        }
        store.putAll("app", values, WriteOptions.none());
      }
      Db db = JdbcStoreAccess.db(store);
      List<String> keys = batch(0);
      for (boolean lock : new boolean[] {false, true}) {
        String sql = (lock ? db.sql.lockedRowsByKey : db.sql.liveEntriesByKey).text(keys.size());
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement((database.equals("h2") ? "EXPLAIN ANALYZE " : "EXPLAIN QUERY PLAN ") + sql)) {
          db.bindByKeys(c, ps, "app", keys, lock ? Db.NO_EXPIRY : clock.millis());
          StringBuilder plan = new StringBuilder();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              plan.append(rs.getString(rs.getMetaData().getColumnCount())).append('\n');
            }
          }
          if (database.equals("h2")) {
            long scanned = 0;
            for (Matcher m = Pattern.compile("scanCount: (\\d+)").matcher(plan); m.find(); ) {
              scanned += Long.parseLong(m.group(1));
            }
            assertThat(scanned).as("rows scanned by %s", plan).isBetween((long) BATCH / 2, (long) ROWS_PER_KEY * BATCH);
          } else {
            assertThat(plan.toString()).as("the plan of %s", sql).contains("(namespace=? AND entry_key=?)").doesNotContain("SCAN");
          }
        }
      }
    }
  }

  private void assertReadsOnlyTheBatch(List<String> plans, String prefix) throws Exception {
    assertThat(plans).as("plans of the bulk operations' statements").isNotEmpty();
    for (String plan : plans) {
      JsonNode root = json.readTree(plan).path("Plan");
      assertThat(scans(root, prefix, "Seq Scan")).as("sequential scans in %s", plan).isZero();
      assertThat(rowsRead(root, prefix)).as("rows read of the entry and history tables by %s", plan)
          .isLessThanOrEqualTo(ROWS_PER_KEY * BATCH);
    }
  }

  private static boolean touches(JsonNode node, String prefix) {
    String table = node.path("Relation Name").asText(node.path("Index Name").asText(""));
    return table.startsWith(prefix + "entries") || table.startsWith(prefix + "history");
  }

  private static long scans(JsonNode node, String prefix, String type) {
    long n = node.path("Node Type").asText().equals(type) && touches(node, prefix) ? 1 : 0;
    for (JsonNode child : node.path("Plans")) {
      n += scans(child, prefix, type);
    }
    return n;
  }

  /** Rows each scan of the two tables returned or threw away, over all its loops. */
  private static long rowsRead(JsonNode node, String prefix) {
    long n = 0;
    if (touches(node, prefix)) {
      long perLoop = node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
          + node.path("Rows Removed by Index Recheck").asLong();
      n += perLoop * Math.max(1, node.path("Actual Loops").asLong());
    }
    for (JsonNode child : node.path("Plans")) {
      n += rowsRead(child, prefix);
    }
    return n;
  }

  private static boolean statisticsOf(Statement s, String table) throws SQLException {
    return countOf(s, "SELECT COUNT(*) FROM pg_stats WHERE tablename = '" + table + "'") > 0;
  }

  private static long countOf(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
