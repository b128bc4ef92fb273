package io.kv.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Lets other code commit its own rows in the transaction of a {@link JdbcKvStore} write: what an
 * audit table needs to promise "no change without its record, no record of a change that rolled
 * back" when it lives in the store's database.
 *
 * <p>A caller {@linkplain #enlist enlists} a {@link Participant} on its thread for one
 * {@link DataSource}, then calls the store. The first write transaction that a {@code
 * JdbcKvStore} built on <em>that same</em> {@code DataSource} object is about to commit on this
 * thread runs {@link Participant#beforeCommit} on its connection, after the store's own
 * statements; then the transaction commits or rolls back, and {@link
 * Participant#afterCompletion} says which. A store write that is one statement in autocommit
 * mode runs as a transaction instead while a participant waits, so that the participant's rows
 * join it. When the store retries the transaction (a serialization failure, a deadlock, a busy
 * database), the participant is called again for the new attempt, after an {@code
 * afterCompletion(false)} for the failed one. Once a transaction with the participant committed,
 * later transactions on the thread run without it; {@link Enlistment#committed()} tells whether
 * that happened. A store on another {@code DataSource}, a read, or a write that commits nothing
 * (say, a failed compare) leaves the participant uncalled; the caller then records its rows on
 * its own.
 *
 * <p>Enlistments are per thread and nest: an enlistment made while another is open hides it until
 * it is closed. Close every enlistment on the thread that made it, in a {@code
 * try}-with-resources block. Thread-safe in that sense; a participant is only ever called on the
 * thread that enlisted it.
 */
public final class JdbcTransactions {
  private static final ThreadLocal<Enlistment> CURRENT = new ThreadLocal<>();

  private JdbcTransactions() {}

  /**
   * Rows to commit with the next write transaction of a store over a given {@link DataSource}.
   * Called only on the thread that enlisted it.
   */
  public interface Participant {
    /**
     * Writes the participant's rows on the transaction's connection. Must not commit, roll back
     * or change the connection's auto-commit mode.
     *
     * @param connection the store's connection, in its open transaction
     * @throws SQLException if a statement fails; the store's transaction then rolls back, and is
     *     retried or fails like any failure of its own statements
     */
    void beforeCommit(Connection connection) throws SQLException;

    /**
     * Tells how the transaction that ran {@link #beforeCommit} ended. Called once after every
     * call of {@code beforeCommit}, even when it threw.
     *
     * @param committed true if the transaction committed; false if it rolled back, or if its
     *     commit failed so that the outcome is unknown to the store
     */
    void afterCompletion(boolean committed);
  }

  /**
   * Enlists {@code participant} for the next write transaction on this thread of a store built on
   * {@code dataSource}.
   *
   * @param dataSource the store's {@code DataSource}, compared by identity
   * @param participant what to run in the transaction
   * @return the enlistment, to close once the store call returned
   * @throws NullPointerException if an argument is null
   */
  public static Enlistment enlist(DataSource dataSource, Participant participant) {
    Enlistment e = new Enlistment(Objects.requireNonNull(dataSource, "dataSource"),
        Objects.requireNonNull(participant, "participant"), CURRENT.get());
    CURRENT.set(e);
    return e;
  }

  /** The open participant of this thread for {@code dataSource} that has not committed yet, or null. */
  static Enlistment pending(DataSource dataSource) {
    Enlistment e = CURRENT.get();
    return e != null && !e.committed && !e.closed && e.dataSource == dataSource ? e : null;
  }

  /**
   * One participant enlisted on one thread, until {@link #close()}. Not thread-safe: used on the
   * thread that enlisted it.
   */
  public static final class Enlistment implements AutoCloseable {
    private final DataSource dataSource;
    private final Participant participant;
    private final Enlistment outer;
    private boolean committed;
    private boolean closed;

    private Enlistment(DataSource dataSource, Participant participant, Enlistment outer) {
      this.dataSource = dataSource;
      this.participant = participant;
      this.outer = outer;
    }

    /**
     * Whether a transaction committed with the participant's rows.
     *
     * @return true once a store transaction that ran the participant committed
     */
    public boolean committed() {
      return committed;
    }

    /**
     * Runs the participant on {@code c}, then {@code commit}; tells the participant the outcome.
     * Called by the store in place of its own commit.
     */
    void commitWith(Connection c, SqlAction commit) throws SQLException {
      boolean ok = false;
      try {
        participant.beforeCommit(c);
        commit.run();
        ok = true;
      } finally {
        committed = ok;
        participant.afterCompletion(ok);
      }
    }

    /** Ends the enlistment; the one it hid, if any, is current again. Idempotent. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (CURRENT.get() == this) {
        if (outer == null) {
          CURRENT.remove();
        } else {
          CURRENT.set(outer);
        }
      }
    }
  }

  /** A commit, as the store runs it. */
  @FunctionalInterface
  interface SqlAction {
    void run() throws SQLException;
  }
}
