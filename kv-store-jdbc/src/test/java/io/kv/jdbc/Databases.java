package io.kv.jdbc;

import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The real databases tests run on: H2 and SQLite files in a test's directory, and one embedded
 * PostgreSQL started once per test run and shared. Tests keep apart by table prefix.
 */
final class Databases {

  private Databases() {}

  /** A table prefix no other test of this run uses. */
  static String uniquePrefix() {
    return TestDatabases.freshPrefix();
  }

  /** The shared PostgreSQL of the run (the JDBC store's tests start it once). */
  static DataSource postgres() {
    return TestDatabases.postgres();
  }

  /** An H2 database in a file under {@code dir}. */
  static DataSource h2(Path dir) {
    return new UrlDataSource("jdbc:h2:file:" + dir.resolve("kv").toAbsolutePath());
  }

  /** A SQLite database in a file under {@code dir}. */
  static DataSource sqlite(Path dir) {
    return new UrlDataSource("jdbc:sqlite:" + dir.resolve("kv.db").toAbsolutePath());
  }
}
