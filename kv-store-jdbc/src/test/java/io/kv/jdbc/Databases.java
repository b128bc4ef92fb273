package io.kv.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The real databases tests run on: H2 and SQLite files in a test's directory, and one embedded
 * PostgreSQL started once per test run and shared. Tests keep apart by table prefix.
 */
final class Databases {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private Databases() {}

  /** A table prefix no other test of this run uses. */
  static String uniquePrefix() {
    return "t" + PREFIXES.incrementAndGet() + "_";
  }

  /** The shared PostgreSQL, started on first use and stopped when the JVM exits. */
  static synchronized DataSource postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException e) {
          // The JVM is exiting.
        }
      }));
    }
    return postgres.getPostgresDatabase();
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
