package io.kv.audit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kv.jdbc.Dialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Real databases for the audit tests: H2 and SQLite files in a test's directory, and one
 * embedded PostgreSQL server per run on which each test takes its own table prefix.
 */
final class AuditDatabases {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private AuditDatabases() {}

  /** Started on first use, closed when the JVM exits. */
  private static final class Server {
    static final HikariDataSource POOL = start();

    private static HikariDataSource start() {
      try {
        EmbeddedPostgres pg = EmbeddedPostgres.start();
        HikariDataSource pool = pool(c -> c.setDataSource(pg.getPostgresDatabase()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          pool.close();
          try {
            pg.close();
          } catch (IOException ignored) {
            // the run is over either way
          }
        }));
        return pool;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
    }
  }

  /** A table prefix that no other test of this run has used. */
  static String prefix() {
    return "a" + PREFIXES.incrementAndGet() + "_";
  }

  /** A pooled data source of {@code dialect}; the embedded ones keep their file in {@code dir}. */
  static DataSource open(Dialect dialect, Path dir) {
    return switch (dialect) {
      case POSTGRESQL -> Server.POOL;
      case H2 -> pool(c -> c.setJdbcUrl("jdbc:h2:file:" + dir.resolve("audit").toAbsolutePath() + ";LOCK_TIMEOUT=10000"));
      case SQLITE -> pool(c -> {
        c.setJdbcUrl("jdbc:sqlite:" + dir.resolve("audit.db").toAbsolutePath());
        c.setConnectionInitSql("PRAGMA busy_timeout = 10000");
      });
    };
  }

  /** {@code delegate}, counting the connections taken on {@code watched}'s thread. */
  static DataSource counting(DataSource delegate, Thread watched, AtomicInteger count) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getConnection") && Thread.currentThread() == watched) {
            count.incrementAndGet();
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static HikariDataSource pool(java.util.function.Consumer<HikariConfig> settings) {
    HikariConfig c = new HikariConfig();
    settings.accept(c);
    c.setMaximumPoolSize(6);
    c.setMinimumIdle(1);
    return new HikariDataSource(c);
  }
}
