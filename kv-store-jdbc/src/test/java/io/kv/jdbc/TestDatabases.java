package io.kv.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The real databases of the tests: one embedded PostgreSQL server per test run (each test gets
 * its own table prefix on it), and H2 and SQLite files in a directory a test gives.
 */
final class TestDatabases {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private TestDatabases() {}

  private static final class Postgres {
    static final EmbeddedPostgres SERVER = start();
    static final HikariDataSource POOL = pool(SERVER.getPostgresDatabase(), 24);

    private static EmbeddedPostgres start() {
      try {
        EmbeddedPostgres pg = EmbeddedPostgres.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            pg.close();
          } catch (IOException ignored) {
            // the run is over
          }
        }));
        return pg;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
    }
  }

  /** A pool on the shared embedded PostgreSQL server, started on first use. */
  static DataSource postgres() {
    return Postgres.POOL;
  }

  /** The shared embedded PostgreSQL server itself, unpooled: a new session per connection. */
  static DataSource postgresServer() {
    return Postgres.SERVER.getPostgresDatabase();
  }

  /**
   * The JDBC URL of the shared server on {@code port} (its own, or one where nothing listens),
   * for a session that names itself {@code applicationName} in {@code pg_stat_activity}.
   */
  static String postgresUrl(int port, String applicationName) {
    EmbeddedPostgres pg = Postgres.SERVER;
    return pg.getJdbcUrl("postgres", "postgres").replace(":" + pg.getPort() + "/", ":" + port + "/")
        + "&ApplicationName=" + applicationName + "&connectTimeout=2";
  }

  /** The port of the shared server. */
  static int postgresPort() {
    return Postgres.SERVER.getPort();
  }

  /** A table prefix no other test of this run uses. */
  static String freshPrefix() {
    return "t" + PREFIXES.incrementAndGet() + "_";
  }

  static HikariDataSource h2(Path dir) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl("jdbc:h2:file:" + dir.resolve("kv").toAbsolutePath() + ";LOCK_TIMEOUT=10000");
    c.setMaximumPoolSize(8);
    c.setMinimumIdle(1);
    return new HikariDataSource(c);
  }

  static HikariDataSource sqlite(Path file) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
    c.addDataSourceProperty("busy_timeout", "10000");
    c.setConnectionInitSql("PRAGMA busy_timeout = 10000");
    c.setMaximumPoolSize(8);
    c.setMinimumIdle(1);
    return new HikariDataSource(c);
  }

  static HikariDataSource pool(DataSource ds, int size) {
    HikariConfig c = new HikariConfig();
    c.setDataSource(ds);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(1);
    return new HikariDataSource(c);
  }
}
