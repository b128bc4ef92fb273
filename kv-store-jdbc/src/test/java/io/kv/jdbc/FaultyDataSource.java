package io.kv.jdbc;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that breaks the database under a store at a chosen step, in the style of
 * {@link CountingDataSource}. A step is taking a connection or one round trip of the calling
 * thread: a statement execution, a batch execution or a commit (SQLite's {@code COMMIT} statement
 * included). Once {@link #arm armed}, the n-th step of the arming thread meets its {@link Fault}:
 * it fails without reaching the database, or the connection is closed under it (a connection
 * handed out closed, as a pool that does not validate would after the server dropped it), or
 * (PostgreSQL) its server process is terminated from another connection; either way the driver's
 * own error is what the store sees. One fault per arming. {@link #record()} lists the steps an
 * operation takes, so a test can sweep the fault over every one of them; {@link #open()} counts
 * the connections handed out and not closed yet, so a test can tell that none leaked.
 *
 * <p>Thread-safe; only the arming (or recording) thread's steps count.
 */
final class FaultyDataSource extends ForwardingDataSource {
  /** How a step fails. */
  enum Fault {
    /** The step throws an SQLException without reaching the database. */
    FAIL,
    /** The connection is closed under the step, which then meets the driver's error. */
    DROP,
    /** PostgreSQL: the connection's server process is terminated from another connection first. */
    KILL,
    /**
     * The step fails with a serialization failure (SQL state 40001) without reaching the database:
     * the database refused the transaction as a whole, so a store may run it again.
     */
    RETRYABLE
  }

  /** What a step is: taking a connection, or a round trip on one. */
  enum Step { CONNECT, STATEMENT, BATCH, COMMIT }

  private static final Set<String> EXECUTIONS =
      Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");

  private final DataSource admin;
  private final List<Step> recorded = new ArrayList<>();
  private Thread owner;
  private boolean recording;
  private Fault fault;
  private int faultAt;
  private int seen;
  private boolean fired;
  private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * @param delegate where connections come from
   * @param admin connections that terminate PostgreSQL server processes for {@link Fault#KILL};
   *     never broken by this data source
   */
  FaultyDataSource(DataSource delegate, DataSource admin) {
    super(delegate);
    this.admin = admin;
  }

  /** Starts listing the calling thread's steps. */
  synchronized void record() {
    reset(Thread.currentThread());
    recording = true;
  }

  /** Stops listing and returns the steps listed since {@link #record()}. */
  synchronized List<Step> recorded() {
    List<Step> out = List.copyOf(recorded);
    reset(null);
    return out;
  }

  /** The calling thread's {@code step}-th step from now (1-based) meets {@code fault}. */
  synchronized void arm(Fault fault, int step) {
    reset(Thread.currentThread());
    this.fault = fault;
    this.faultAt = step;
  }

  /** Disarms; returns whether the fault was injected since {@link #arm}. */
  synchronized boolean disarm() {
    boolean was = fired;
    reset(null);
    return was;
  }

  /** Connections handed out and not closed yet. */
  int open() {
    return open.get();
  }

  private void reset(Thread thread) {
    owner = thread;
    recording = false;
    recorded.clear();
    fault = null;
    seen = 0;
    fired = false;
  }

  /** The fault due at this step of the calling thread, or null. */
  private synchronized Fault step(Step step) {
    if (Thread.currentThread() != owner) {
      return null;
    }
    if (recording) {
      recorded.add(step);
      return null;
    }
    if (fault == null || ++seen != faultAt) {
      return null;
    }
    fired = true;
    return fault;
  }

  private void inject(Fault due, Connection pooled, int step) throws SQLException {
    switch (due) {
      case FAIL -> throw new SQLException("injected failure at step " + step, "58030");
      case RETRYABLE -> throw new SQLException("injected serialization failure at step " + step, "40001");
      case DROP -> {
        pooled.unwrap(Connection.class).close();
        if (delegate instanceof com.zaxxer.hikari.HikariDataSource pool) {
          pool.evictConnection(pooled); // as a pool that noticed would: the closed one is not reused
        }
      }
      case KILL -> terminate(pooled);
    }
  }

  private void terminate(Connection c) throws SQLException {
    int pid = c.unwrap(org.postgresql.PGConnection.class).getBackendPID();
    try (Connection a = admin.getConnection(); PreparedStatement ps = a.prepareStatement("SELECT pg_terminate_backend(?, 10000)")) {
      ps.setInt(1, pid);
      ps.executeQuery().close();
    }
  }

  @Override
  Connection wrap(Connection c) throws SQLException {
    Fault atConnect = step(Step.CONNECT);
    if (atConnect == Fault.FAIL || atConnect == Fault.RETRYABLE) {
      c.close();
      throw new SQLException("injected failure to connect at step " + faultAt, atConnect == Fault.FAIL ? "08001" : "40001");
    }
    if (atConnect != null) {
      inject(atConnect, c, faultAt);
    }
    open.incrementAndGet();
    boolean[] closed = new boolean[1];
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("close") && !closed[0]) {
            closed[0] = true;
            open.decrementAndGet();
          }
          if (method.getName().equals("commit")) {
            Fault due = step(Step.COMMIT);
            if (due != null) {
              inject(due, c, faultAt);
            }
          }
          Object result = invoke(c, method, args);
          if (result instanceof PreparedStatement s) {
            return statement(c, s, PreparedStatement.class, args[0] instanceof String sql ? sql : "");
          }
          if (result instanceof Statement s) {
            return statement(c, s, Statement.class, null);
          }
          return result;
        });
  }

  private Object statement(Connection c, Statement s, Class<? extends Statement> type, String prepared) {
    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      String name = method.getName();
      if (EXECUTIONS.contains(name)) {
        String sql = prepared != null ? prepared : args != null && args.length > 0 && args[0] instanceof String q ? q : "";
        Step kind = name.contains("Batch") ? Step.BATCH
            : sql.strip().toUpperCase(Locale.ROOT).equals("COMMIT") ? Step.COMMIT : Step.STATEMENT;
        Fault due = step(kind);
        if (due != null) {
          inject(due, c, faultAt);
        }
      }
      return invoke(s, method, args);
    });
  }
}
