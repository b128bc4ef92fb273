package io.kv.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The database a parameterized test names: {@code "postgres"}, the run's shared embedded server;
 * {@code "h2"}, a pool on an H2 file in the test's directory; or {@code "sqlite"}, a pool on a
 * SQLite file there. The pools are made on first use and closed by {@link #close()}. Not
 * thread-safe.
 */
final class NamedDatabases implements AutoCloseable {
  private final Path dir;
  private HikariDataSource h2;
  private HikariDataSource sqlite;

  NamedDatabases(Path dir) {
    this.dir = dir;
  }

  DataSource get(String name) {
    switch (name) {
      case "postgres":
        return TestDatabases.postgres();
      case "h2":
        if (h2 == null) {
          h2 = TestDatabases.h2(dir);
        }
        return h2;
      case "sqlite":
        if (sqlite == null) {
          sqlite = TestDatabases.sqlite(dir.resolve("kv.db"));
        }
        return sqlite;
      default:
        throw new IllegalArgumentException("no test database named " + name);
    }
  }

  @Override
  public void close() {
    if (h2 != null) {
      h2.close();
    }
    if (sqlite != null) {
      sqlite.close();
    }
  }
}
