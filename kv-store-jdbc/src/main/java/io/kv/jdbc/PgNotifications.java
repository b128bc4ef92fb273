package io.kv.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * LISTEN on one PostgreSQL connection. The only class that touches the PostgreSQL driver; it is
 * loaded only once the database said it is PostgreSQL, so the driver stays optional.
 *
 * <p>Not thread-safe: only the feed's thread uses it.
 */
final class PgNotifications {
  private final PGConnection pg;

  private PgNotifications(PGConnection pg) {
    this.pg = pg;
  }

  /**
   * Starts listening on {@code channel} on {@code connection}, which must be in auto-commit mode.
   * The channel is a checked identifier (the table prefix and {@code changes}); quoted, since the
   * writers notify it by its exact name.
   *
   * @return the listener, or null if the connection is not a pgjdbc connection
   */
  static PgNotifications listen(Connection connection, String channel) throws SQLException {
    if (!connection.isWrapperFor(PGConnection.class)) {
      return null;
    }
    PGConnection pg = connection.unwrap(PGConnection.class);
    try (Statement s = connection.createStatement()) {
      s.execute("LISTEN \"" + channel + "\"");
    }
    return new PgNotifications(pg);
  }

  /**
   * Stops listening on {@code connection} and drops the notifications it queued, so that a pooled
   * connection goes back to its pool as it came: otherwise the next borrower would keep receiving
   * (and its driver keep queueing) this feed's notifications.
   */
  static void unlisten(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("UNLISTEN *");
    }
    if (connection.isWrapperFor(PGConnection.class)) {
      connection.unwrap(PGConnection.class).getNotifications();
    }
  }

  /**
   * Waits up to {@code millis} for a notification.
   *
   * @return whether one arrived
   */
  boolean await(long millis) throws SQLException {
    PGNotification[] got = pg.getNotifications((int) Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
    return got != null && got.length > 0;
  }
}
