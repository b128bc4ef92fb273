package io.kv.jdbc;

import io.kv.ConfigurationException;
import io.kv.KvException;
import io.kv.StorageException;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Turns a failure to connect while the store is built into the kv exception that names its true
 * cause. Messages name the data source by its class only: a {@link DataSource} does not expose
 * its URL, and what a pool prints of itself may carry it, credentials included.
 */
final class ConnectionFailures {
  private ConnectionFailures() {}

  /**
   * The database or the driver refused the connection. SQL state class 28 (invalid authorization)
   * is a wrong user or password: a configuration error. Anything else (a server that does not
   * answer, a database that does not exist) is a storage failure, which a caller may retry.
   */
  static KvException refused(DataSource ds, SQLException e) {
    String state = e.getSQLState();
    if (state != null && state.startsWith("28")) {
      return new ConfigurationException("the database refused the credentials of " + name(ds) + " (SQL state " + state
          + "): check the user and password it connects with", e);
    }
    return new StorageException("connection to the database through " + name(ds) + " failed: SQL state " + state, e);
  }

  /**
   * The data source failed before it reached the database: a pool that cannot start, a JDBC
   * driver that is not on the class path. The cause is the deepest {@link SQLException} in the
   * chain when there is one, not the pool's wrapper: pools quote the JDBC URL in their own
   * messages, and a URL can hold a password.
   */
  static ConfigurationException broken(DataSource ds, RuntimeException e) {
    SQLException sql = null;
    String missing = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException s) {
        sql = s;
      }
      if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) {
        // The message of either is the name of the class, never a credential.
        missing = t.getMessage();
      }
    }
    StringBuilder m = new StringBuilder("cannot connect to the database: ").append(name(ds))
        .append(" failed with ").append(e.getClass().getName()).append(" before reaching it");
    if (missing != null) {
      m.append("; class ").append(missing).append(" is not on the class path");
    } else if (sql != null) {
      m.append(" (SQL state ").append(sql.getSQLState()).append(")");
    }
    m.append("; check that the JDBC driver for its URL is on the class path and that the pool is configured");
    return new ConfigurationException(m.toString(), sql != null ? sql : e);
  }

  private static String name(DataSource ds) {
    return "data source " + ds.getClass().getName();
  }
}
