package io.kv.jdbc;

import io.kv.ConfigurationException;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The databases a {@link JdbcKvStore} runs on. Each has its own schema script and the few SQL
 * differences the store needs: row locks, how keys are stored so that they sort in Unicode code
 * point order, and which errors mean "try again".
 */
public enum Dialect {
  /** PostgreSQL 12 or later (and compatible engines); the production engine. */
  POSTGRESQL("postgresql"),
  /** H2 2.x, embedded and persistent in a file. */
  H2("h2"),
  /** SQLite 3.35 or later (xerial sqlite-jdbc), embedded and persistent in a file. */
  SQLITE("sqlite");

  private final String directory;

  Dialect(String directory) {
    this.directory = directory;
  }

  /**
   * The classpath resource of this dialect's schema script, such as {@code io/kv/jdbc/schema/h2/V1__kv_schema.sql}.
   *
   * @return the classpath resource of this dialect's schema script, such as {@code
   *     io/kv/jdbc/schema/h2/V1__kv_schema.sql}
   */
  public String schemaScript() {
    return "io/kv/jdbc/schema/" + directory + "/V1__kv_schema.sql";
  }

  /**
   * The dialect of the database behind {@code metaData}.
   *
   * @throws ConfigurationException if the product is none of the supported ones
   * @throws SQLException if the metadata cannot be read
   */
  static Dialect detect(DatabaseMetaData metaData) throws SQLException {
    String product = metaData.getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("postgres")) {
      return POSTGRESQL;
    }
    if (product.contains("h2")) {
      return H2;
    }
    if (product.contains("sqlite")) {
      return SQLITE;
    }
    throw new ConfigurationException("unsupported database '" + metaData.getDatabaseProductName()
        + "'; give the dialect to the builder if it is compatible with one of " + java.util.Arrays.toString(values()));
  }

  /** The row lock clause of a SELECT that decides a write; SQLite locks the whole file instead. */
  String forUpdate() {
    return this == SQLITE ? "" : " FOR UPDATE";
  }

  /**
   * Whether keys are stored as UTF-8 bytes: H2 compares VARCHAR in UTF-16 order, which differs
   * from code point order for supplementary characters; VARBINARY compares unsigned bytes.
   */
  boolean keysAsBytes() {
    return this == H2;
  }

  /**
   * A query of one row and column: the database's current time in epoch milliseconds. For the
   * embedded engines this is the host's time, read by the engine.
   */
  String databaseTimeQuery() {
    return switch (this) {
      // clock_timestamp(), not now(): the time of the query, not of its transaction's start.
      case POSTGRESQL -> "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
      case H2 -> "SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
      case SQLITE -> "SELECT CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)";
    };
  }

  /** Whether one process may only have one writer at a time (SQLite locks the whole database). */
  boolean singleWriter() {
    return this == SQLITE;
  }

  /**
   * Whether a failure is worth running the whole transaction again: the database refused it as
   * a whole, before commit, so running it again is safe. A lost connection is not retried: it
   * may have been lost during the commit, and a write must not be applied twice.
   */
  boolean isRetryable(SQLException e) {
    for (SQLException s = e; s != null; s = next(s)) {
      String state = s.getSQLState();
      int code = s.getErrorCode();
      if (state != null && (state.equals("40001") || state.equals("40P01") || state.equals("55P03"))) {
        return true; // serialization failure, deadlock, lock not available
      }
      if (isUniqueViolation(s)) {
        return true; // a racing INSERT won: run again, and the decision sees its row
      }
      if (this == H2 && (code == 50200 || code == 90131 || code == 40001)) {
        return true; // lock timeout, concurrent update
      }
      if (this == SQLITE && ((code & 0xff) == 5 || (code & 0xff) == 6)) {
        return true; // SQLITE_BUSY, SQLITE_LOCKED
      }
      if (this == SQLITE && s.getMessage() != null && s.getMessage().contains("SQLITE_BUSY")) {
        return true;
      }
    }
    return false;
  }

  /** Whether a failure is a unique (or primary key) violation. */
  boolean isUniqueViolation(SQLException e) {
    for (SQLException s = e; s != null; s = next(s)) {
      if ("23505".equals(s.getSQLState())) {
        return true;
      }
      if (this == SQLITE) {
        int code = s.getErrorCode();
        String msg = s.getMessage() == null ? "" : s.getMessage();
        if (code == 1555 || code == 2067 || msg.contains("SQLITE_CONSTRAINT_PRIMARYKEY") || msg.contains("SQLITE_CONSTRAINT_UNIQUE")) {
          return true;
        }
      }
    }
    return false;
  }

  private static SQLException next(SQLException s) {
    SQLException n = s.getNextException();
    if (n != null && n != s) {
      return n;
    }
    Throwable c = s.getCause();
    return c instanceof SQLException && c != s ? (SQLException) c : null;
  }
}
