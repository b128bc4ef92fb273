package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Value;
import java.sql.SQLException;
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
  void aWriteNotifiesTheChangesChannel() throws SQLException {
    try (java.sql.Connection listener = dataSource().getConnection(); java.sql.Statement s = listener.createStatement()) {
      s.execute("LISTEN " + prefix + "changes");
      store.put("app", "k", Value.string("v"));
      org.postgresql.PGNotification[] got = listener.unwrap(org.postgresql.PGConnection.class).getNotifications(10_000);
      assertThat(got).isNotEmpty();
      assertThat(got[0].getName()).isEqualTo(prefix + "changes");
      assertThat(got[0].getParameter()).isEmpty();
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
