package io.kv.spring.boot;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** One real embedded PostgreSQL server for the tests of this module, started on first use. */
final class TestPostgres {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private TestPostgres() {}

  private static final class Server {
    static final HikariDataSource POOL = start();

    private static HikariDataSource start() {
      EmbeddedPostgres pg;
      try {
        pg = EmbeddedPostgres.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      HikariConfig config = new HikariConfig();
      config.setDataSource(pg.getPostgresDatabase());
      config.setMaximumPoolSize(8);
      HikariDataSource pool = new HikariDataSource(config);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        pool.close();
        try {
          pg.close();
        } catch (IOException ignored) {
          // the run is over either way
        }
      }));
      return pool;
    }
  }

  /** The pool on the shared server. */
  static HikariDataSource pool() {
    return Server.POOL;
  }

  /**
   * The shared pool as a bean may hold it: only its {@code DataSource} face, so the context a test
   * closes does not close the pool (a context closes an {@code AutoCloseable} bean).
   */
  static DataSource dataSource() {
    HikariDataSource pool = Server.POOL;
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          try {
            return method.invoke(pool, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** A table prefix that no other test of this run uses, so tests share the server safely. */
  static String freshPrefix() {
    return "boot" + PREFIXES.incrementAndGet() + "_";
  }
}
