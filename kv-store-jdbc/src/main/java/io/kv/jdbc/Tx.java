package io.kv.jdbc;

import io.kv.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Runs units of work in one transaction each: commit on success; on failure roll back and close
 * the connection, so nothing is left half-written. A unit that is one statement may run in
 * autocommit instead, as its own transaction with no round trip for begin or commit; a unit may
 * also decline by its result to commit. A retryable failure (serialization failure, deadlock,
 * busy database, a racing INSERT that won) runs the whole unit again, a bounded number of times
 * with a jitter of at most a few milliseconds; then, like any other SQL failure, it surfaces as a
 * {@link StorageException} that names what failed. Thread-safe.
 */
final class Tx {
  /** How often a unit runs at most. */
  static final int MAX_ATTEMPTS = 8;

  /** A unit of work on a connection in a transaction. It may throw kv exceptions to refuse. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * What a unit of work does, for the {@link StorageException} of a failure: an action and, where
   * it concerns one, the namespace and the key, which the exception reports. Never a value.
   *
   * @param action what is done, such as {@code "write of"} or {@code "expiry sweep of 12 entries"}
   * @param namespace the namespace concerned, or null
   * @param key the key concerned, or null
   */
  record Op(String action, String namespace, String key) {
    /** An operation on no particular namespace. */
    static Op of(String action) {
      return new Op(action, null, null);
    }

    /** An operation on a namespace as a whole. */
    static Op of(String action, String namespace) {
      return new Op(action, namespace, null);
    }

    /** An operation on one entry. */
    static Op of(String action, String namespace, String key) {
      return new Op(action, namespace, key);
    }

    String describe() {
      if (namespace == null) {
        return action;
      }
      return key == null ? action + " namespace '" + namespace + "'" : action + " '" + namespace + "/" + key + "'";
    }

    StorageException failed(SQLException e) {
      // The SQL state and the driver's error code: drivers do not echo bound values in them.
      return new StorageException(namespace, key,
          describe() + " failed: SQL state " + e.getSQLState() + ", error " + e.getErrorCode(), e);
    }
  }

  private final DataSource dataSource;
  private final Dialect dialect;

  Tx(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /**
   * Runs {@code work} in a transaction.
   *
   * @param what what is being done, for the exception of a failure
   */
  <T> T run(Op what, Work<T> work) {
    return retrying(() -> what, () -> once(work, r -> true));
  }

  /**
   * Runs {@code work} in a transaction that commits only if the work returns a result; on an
   * empty result it rolls back and returns empty (the work found a case it does not handle).
   *
   * @param what what is being done, for the exception of a failure
   */
  <T> Optional<T> runIfPresent(Supplier<Op> what, Work<Optional<T>> work) {
    return retrying(what, () -> once(work, Optional::isPresent));
  }

  /**
   * Runs {@code work}, one statement, on a connection in autocommit mode (in a transaction if the
   * pool hands out connections that are not), so that the statement commits by itself with no
   * round trip for begin or commit. Retried like {@link #run}. While a {@link JdbcTransactions}
   * participant waits, it runs in a transaction instead, which commits, with the participant's
   * rows, only if {@code wrote} accepts the result: a statement that changed nothing rolls back
   * and leaves the participant for the transaction that will.
   *
   * @param what what is being done, for the exception of a failure
   * @param wrote whether a result says the statement changed something
   */
  <T> T autocommit(Supplier<Op> what, Work<T> work, Predicate<T> wrote) {
    return retrying(what, () -> {
      // The connection is closed however it fails: one that is broken when the pool hands it
      // out fails at the first call on it, here, and must not leak from the pool.
      // A participant's rows must join the write, so it runs as a transaction while one waits.
      if (JdbcTransactions.pending(dataSource) == null) {
        try (Connection c = dataSource.getConnection()) {
          if (c.getAutoCommit()) {
            return work.run(c);
          }
        }
      }
      return once(work, wrote);
    });
  }

  private interface Attempt<T> {
    T once() throws SQLException;
  }

  private <T> T retrying(Supplier<Op> what, Attempt<T> attempt) {
    SQLException last = null;
    for (int i = 1; i <= MAX_ATTEMPTS; i++) {
      try {
        return attempt.once();
      } catch (SQLException e) {
        last = e;
        if (!dialect.isRetryable(e)) {
          break;
        }
        if (i < MAX_ATTEMPTS) {
          // Up to ~3 ms: long enough to let the winner commit, short enough to never matter.
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50_000, 1_000_000L * Math.min(i, 3)));
        }
      }
    }
    throw what.get().failed(last);
  }

  /** Runs {@code work} on a connection in autocommit mode (reads): no retry. */
  <T> T read(Op what, Work<T> work) {
    return read(() -> what, work);
  }

  /** Like {@link #read(Op, Work)}, describing what is done only if it fails. */
  <T> T read(Supplier<Op> what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw what.get().failed(e);
    }
  }

  /** One attempt: commits if {@code commit} accepts the result, else rolls back. */
  private <T> T once(Work<T> work, Predicate<T> commit) throws SQLException {
    return dialect == Dialect.SQLITE ? onceImmediate(work, commit) : onceJdbc(work, commit);
  }

  private <T> T onceJdbc(Work<T> work, Predicate<T> commit) throws SQLException {
    Connection c = dataSource.getConnection();
    boolean done = false;
    try {
      c.setAutoCommit(false);
      T result = work.run(c);
      if (commit.test(result)) {
        commit(c, c::commit);
        done = true;
      }
      return result;
    } finally {
      if (!done) {
        rollbackQuietly(c);
      }
      try {
        c.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the connection is broken; closing it is all that is left
      }
      c.close();
    }
  }

  /**
   * SQLite: {@code BEGIN IMMEDIATE} takes the database's write lock before the first read, waiting
   * through the connection's busy timeout. A deferred transaction would read first and could then
   * fail to upgrade (SQLITE_BUSY_SNAPSHOT, without waiting) whenever another connection wrote in
   * between. The driver stays in autocommit mode, so the transaction is ours to end.
   */
  private <T> T onceImmediate(Work<T> work, Predicate<T> commit) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      execute(c, "BEGIN IMMEDIATE");
      boolean done = false;
      try {
        T result = work.run(c);
        if (commit.test(result)) {
          commit(c, () -> execute(c, "COMMIT"));
          done = true;
        }
        return result;
      } finally {
        if (!done) {
          try {
            execute(c, "ROLLBACK");
          } catch (SQLException ignored) {
            // SQLite may have rolled back already; the connection is closed next either way
          }
        }
      }
    }
  }

  /** Commits, with the rows of this thread's {@link JdbcTransactions} participant if one waits. */
  private void commit(Connection c, JdbcTransactions.SqlAction commit) throws SQLException {
    JdbcTransactions.Enlistment participant = JdbcTransactions.pending(dataSource);
    if (participant == null) {
      commit.run();
    } else {
      participant.commitWith(c, commit);
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // a broken connection has no transaction left to roll back; it is closed next
    }
  }
}
