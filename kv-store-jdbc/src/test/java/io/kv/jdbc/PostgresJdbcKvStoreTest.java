package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.NamespaceSettings;
import io.kv.Value;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JdbcKvStore on PostgreSQL: change log, sweeper, schema, failures")
class PostgresJdbcKvStoreTest extends JdbcKvStoreTest {
  @Override
  protected DataSource dataSource() {
    return TestDatabases.postgres();
  }

  @Test
  void everyKindOfWriteNotifiesTheChangesChannel() throws SQLException {
    store.namespaces().create("kept", NamespaceSettings.defaults().withMaxVersions(3));
    try (java.sql.Connection listener = dataSource().getConnection(); java.sql.Statement s = listener.createStatement()) {
      s.execute("LISTEN " + prefix + "changes");
      org.postgresql.PGConnection pg = listener.unwrap(org.postgresql.PGConnection.class);
      Map<String, Runnable> writes = new LinkedHashMap<>();
      writes.put("put", () -> store.put("app", "k", Value.string("v")));
      writes.put("put over", () -> store.put("app", "k", Value.string("w")));
      writes.put("put with history", () -> store.put("kept", "k", Value.string("v")));
      writes.put("put over with history", () -> store.put("kept", "k", Value.string("w")));
      writes.put("create", () -> store.create("app", "c", Value.string("v")));
      writes.put("update", () -> store.update("app", "c", Value.string("w")));
      writes.put("compare-and-set", () -> store.compareAndSet("app", "c", 2, Value.string("x")));
      writes.put("delete if version", () -> store.deleteIfVersion("app", "c", 3));
      writes.put("delete", () -> store.delete("app", "k"));
      writes.put("put all", () -> store.putAll("app", Map.of("a", Value.string("1"), "b", Value.string("2"))));
      writes.put("transaction", () -> store.transaction("app").put("t", Value.string("1")).delete("a").commit());
      writes.put("delete all", () -> store.deleteAll("app", List.of("b", "t")));
      for (Map.Entry<String, Runnable> write : writes.entrySet()) {
        assertThat(pg.getNotifications(1)).as("nothing pending before %s", write.getKey()).isNullOrEmpty();
        write.getValue().run();
        org.postgresql.PGNotification[] got = pg.getNotifications(10_000);
        assertThat(got).as(write.getKey()).isNotEmpty();
        assertThat(got[0].getName()).isEqualTo(prefix + "changes");
        assertThat(got[0].getParameter()).isEmpty();
      }
      assertThat(store.count("app")).isZero();
      s.execute("UNLISTEN *");
    }
  }

  @Test
  void tablesCanLiveInTheirOwnSchema() throws SQLException {
    String schema = "s" + prefix;
    execute("CREATE SCHEMA " + schema);
    try (JdbcKvStore inSchema = JdbcKvStore.builder(dataSource()).schema(schema).schemaMode(SchemaMode.CREATE).build()) {
      inSchema.put("app", "k", Value.string("v"));

      assertThat(inSchema.get("app", "k")).isPresent();
      assertThat(queryLong("SELECT COUNT(*) FROM " + schema + ".kv_entries")).isEqualTo(1);
      assertThat(queryLong("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + schema + "'")).isEqualTo(4);
      assertThat(queryLong("SELECT COUNT(*) FROM pg_indexes WHERE schemaname = '" + schema
          + "' AND indexname = 'kv_entries_expires_at'")).isEqualTo(1);
    }
    try (JdbcKvStore validated = JdbcKvStore.builder(dataSource()).schema(schema).build()) {
      assertThat(validated.get("app", "k")).isPresent();
    }
  }
}
