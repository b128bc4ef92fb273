package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.Value;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Flyway recipe, run as written: kv's bundled scripts applied by Flyway in a history
 * table of their own, beside an application's own {@code V1}, then a store that only validates
 * the tables Flyway made.
 */
@DisplayName("kv's schema scripts under Flyway, beside an application's own migrations")
class SchemaFlywayTest {
  private static final String APP_MIGRATIONS = "classpath:io/kv/jdbc/flyway/app";

  @TempDir
  Path dir;

  @Test
  void h2() throws SQLException {
    try (HikariDataSource ds = TestDatabases.h2(dir)) {
      // H2's default schema; Flyway names it to keep the two configurations alike.
      assertRecipeWorks(ds, "PUBLIC", "h2");
    }
  }

  @Test
  void postgres() throws SQLException {
    // A schema of its own: the shared server holds other tests' tables in public.
    assertRecipeWorks(TestDatabases.postgres(), "fly" + TestDatabases.freshPrefix().replace("_", ""), "postgresql");
  }

  private void assertRecipeWorks(DataSource ds, String schema, String dialectDirectory) throws SQLException {
    Flyway app = Flyway.configure().dataSource(ds).schemas(schema).locations(APP_MIGRATIONS).load();
    Flyway kv = kvFlyway(ds, schema, dialectDirectory);

    assertThat(app.migrate().migrationsExecuted).isEqualTo(1);
    MigrateResult kvFirst = kv.migrate();
    assertThat(kvFirst.migrationsExecuted).isEqualTo(1);
    assertThat(kvFirst.targetSchemaVersion).isEqualTo("1");
    // A second deployment finds both histories current and runs nothing.
    assertThat(app.migrate().migrationsExecuted).isZero();
    assertThat(kv.migrate().migrationsExecuted).isZero();
    assertThat(app.info().current().getVersion().getVersion()).isEqualTo("1");
    assertThat(kv.info().current().getVersion().getVersion()).isEqualTo("1");

    try (JdbcKvStore store = JdbcKvStore.builder(ds).schema(schema).schemaMode(SchemaMode.VALIDATE).build()) {
      store.put("app", "config/database/host", Value.string("db.internal"));

      assertThat(store.get("app", "config/database/host").orElseThrow().value().asString()).isEqualTo("db.internal");
    }
    assertThat(count(ds, schema + ".kv_entries")).isEqualTo(1);
    assertThat(count(ds, schema + ".orders")).isZero();
  }

  /** The recipe's second Flyway: kv's scripts only, their own history table, the prefix set. */
  private static Flyway kvFlyway(DataSource ds, String schema, String dialectDirectory) {
    return Flyway.configure()
        .dataSource(ds)
        .schemas(schema)
        .locations("classpath:io/kv/jdbc/schema/" + dialectDirectory)
        .table("flyway_kv_history")
        .placeholders(Map.of("prefix", "kv_"))
        // The schema already holds the application's tables; version 0 as the baseline lets kv's V1 run.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }

  private static long count(DataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
