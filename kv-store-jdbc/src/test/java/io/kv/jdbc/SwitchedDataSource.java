package io.kv.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Connections to the run's embedded PostgreSQL server, or, after {@link #stop()}, to a port on
 * which no server listens, as if the server had stopped: a pool over it meets real connection
 * failures until {@link #start()}. {@link #stop()} also terminates every session this data source
 * opened, so that connections a pool holds die as they would with the server. Thread-safe.
 */
final class SwitchedDataSource extends ForwardingDataSource {
  private final String applicationName;
  private final DataSource stopped;
  private volatile boolean running = true;

  private SwitchedDataSource(DataSource live, DataSource stopped, String applicationName) {
    super(live);
    this.stopped = stopped;
    this.applicationName = applicationName;
  }

  /** Connections to the run's server, named {@code applicationName} in {@code pg_stat_activity}. */
  static SwitchedDataSource of(String applicationName) {
    return new SwitchedDataSource(new UrlDataSource(TestDatabases.postgresUrl(TestDatabases.postgresPort(), applicationName)),
        new UrlDataSource(TestDatabases.postgresUrl(freePort(), applicationName)), applicationName);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** New connections fail to connect, and the sessions open so far are terminated. */
  void stop() throws SQLException {
    running = false;
    try (Connection c = TestDatabases.postgres().getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, applicationName);
      ps.executeQuery().close();
    }
  }

  /** New connections reach the server again. */
  void start() {
    running = true;
  }

  @Override
  DataSource target() {
    return running ? delegate : stopped;
  }

  @Override
  Connection wrap(Connection c) {
    return c;
  }
}
