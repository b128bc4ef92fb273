package io.kv.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The database a parameterized test names: {@code "postgres"}, the run's shared embedded server,
 * or {@code "h2"}, a pool on an H2 file in the test's directory, made on first use and closed by
 * {@link #close()}. Not thread-safe.
 */
final class NamedDatabases implements AutoCloseable {
  private final Path dir;
  private HikariDataSource h2;

  NamedDatabases(Path dir) {
    this.dir = dir;
  }

  DataSource get(String name) {
    if (name.equals("postgres")) {
      return TestDatabases.postgres();
    }
    if (h2 == null) {
      h2 = TestDatabases.h2(dir);
    }
    return h2;
  }

  @Override
  public void close() {
    if (h2 != null) {
      h2.close();
    }
  }
}
