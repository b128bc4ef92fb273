package io.kv.jdbc;

import io.kv.InputRules;
import io.kv.StorageException;
import io.kv.spi.ChangeListeners;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** What every principal view of one store shares. Thread-safe. */
final class StoreState {
  final Config config;
  final Db db;
  final Tx tx;
  /** The builder's clock, corrected to the database's time if the time source says so. */
  final DatabaseClock clock;
  final InputRules limits;
  final ChangeListeners listeners = new ChangeListeners();
  final io.kv.spi.NamespaceWatchers namespaceWatchers = new io.kv.spi.NamespaceWatchers();
  final KeyLocks locks;
  /** The lock, transaction, publish-after-commit sequence every write goes through. */
  final Commits commits;
  /** The read statements. */
  final Reads reads;
  /** The one-statement writes, on PostgreSQL only; null elsewhere. */
  final PgWrites pg;
  final Sweeper sweeper;
  /** The store's revisions and the subscriptions from one. */
  final Revisions revisions;

  private StoreState(Config config, Dialect dialect) {
    this.config = config;
    this.db = new Db(dialect, config.schema(), config.tablePrefix(), config.instanceId());
    this.tx = new Tx(config.dataSource(), dialect);
    this.clock = new DatabaseClock(config.clock(), config.timeSource(), config.maxClockSkew(), tx, dialect);
    this.limits = config.limits();
    this.locks = new KeyLocks(dialect.singleWriter());
    this.commits = new Commits(tx, listeners, namespaceWatchers);
    this.pg = dialect == Dialect.POSTGRESQL ? new PgWrites(db, config.instanceId()) : null;
    this.reads = new Reads(this);
    this.sweeper = new Sweeper(this);
    this.revisions = new Revisions(this);
  }

  static StoreState open(Config config) {
    StoreState state = new StoreState(config, firstConnection(config));
    Schema.prepare(config, state.db);
    state.clock.measure();
    state.sweeper.start(config.sweepInterval());
    return state;
  }

  /**
   * Connects once before anything else, so that a wrong password, an unreachable server or a
   * missing driver is reported as what it is, not as the failure of whatever step happened to
   * connect first; and detects the dialect on that connection when none was given.
   */
  private static Dialect firstConnection(Config config) {
    DataSource ds = config.dataSource();
    Connection c;
    try {
      c = ds.getConnection();
    } catch (SQLException e) {
      throw ConnectionFailures.refused(ds, e);
    } catch (RuntimeException e) {
      throw ConnectionFailures.broken(ds, e);
    }
    try (c) {
      return config.dialect() != null ? config.dialect() : Dialect.detect(c.getMetaData());
    } catch (SQLException e) {
      throw new StorageException("connected, but cannot read the database's metadata to detect the dialect: SQL state "
          + e.getSQLState(), e);
    }
  }

  void close() {
    revisions.close();
    sweeper.stop();
  }
}
