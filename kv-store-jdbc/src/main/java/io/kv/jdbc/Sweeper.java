package io.kv.jdbc;

import io.kv.ChangeEvent;
import io.kv.ChangeType;
import io.kv.Principal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired rows and prunes the change log, in bounded batches, on one daemon thread per
 * store. A batch selects due rows through the {@code expires_at} index, then deletes each only if
 * it still has the version it was selected with (a row rewritten meanwhile stays), with its
 * history records if it has any, and logs an {@code EXPIRED} change for each deletion in the same
 * transaction. Thread-safe.
 */
final class Sweeper {
  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
  /** The most batches one run of the sweeper does, so that one run never holds the thread for long. */
  private static final int MAX_BATCHES_PER_RUN = 64;

  /** A row selected as due; {@code hasHistory} if the history table may hold records of it. */
  record Due(String namespace, String key, long version, long expiresAt, boolean hasHistory) {}

  private final StoreState state;
  private final Db db;
  private final int batchSize;
  private final LongAdder expiredDeleted = new LongAdder();
  private ScheduledExecutorService executor;

  Sweeper(StoreState state) {
    this.state = state;
    this.db = state.db;
    this.batchSize = state.config.sweepBatchSize();
  }

  synchronized void start(Duration interval) {
    if (interval.isZero()) {
      return;
    }
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "kv-jdbc-sweeper");
      t.setDaemon(true);
      return t;
    });
    long millis = Math.max(1, interval.toMillis());
    e.scheduleWithFixedDelay(this::run, millis, millis, TimeUnit.MILLISECONDS);
    executor = e;
  }

  synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }

  private void run() {
    // Before the sweep, so that it decides what is due by the database's time as measured now.
    state.clock.measureQuietly();
    try {
      sweepDue(state.clock.millis(), MAX_BATCHES_PER_RUN);
      pruneChanges(MAX_BATCHES_PER_RUN);
      if (db.dialect == Dialect.SQLITE) {
        incrementalVacuum();
      }
    } catch (RuntimeException e) {
      LOG.warn("kv sweep failed; it will run again", e);
    }
  }

  /** Everything due now and the change log past retention; returns how many entries expired. */
  int sweepAll() {
    int total = sweepDue(state.clock.millis(), Integer.MAX_VALUE);
    pruneChanges(Integer.MAX_VALUE);
    if (db.dialect == Dialect.SQLITE) {
      incrementalVacuum();
    }
    return total;
  }

  /**
   * Deletes the rows due by {@code dueBy}, batch by batch, until a selection comes back short of
   * a batch (nothing due is left) or {@code maxBatches} ran; returns how many it deleted. A batch
   * that deletes fewer rows than it selected does not end the sweep: the rows it left were
   * rewritten or deleted by others meanwhile, and the ones still due after that are selected again
   * with what they hold now. The bound is fixed at the start, so rows falling due while the sweep
   * runs do not keep it going; and a selection that comes back unchanged after deleting nothing
   * ends it, so rows that cannot be deleted (written by other software in a form the delete does
   * not match) cannot hold the thread forever.
   */
  int sweepDue(long dueBy, int maxBatches) {
    int total = 0;
    List<Due> previous = List.of();
    for (int batches = 0; batches < maxBatches; batches++) {
      List<Due> due = selectDue(dueBy, batchSize);
      int deleted = delete(due);
      total += deleted;
      expiredDeleted.add(deleted);
      if (due.size() < batchSize || (deleted == 0 && due.equals(previous))) {
        break;
      }
      previous = due;
    }
    return total;
  }

  /** How many expired entries this store's sweeps (scheduled or asked for) deleted since it started. */
  long expiredDeleted() {
    return expiredDeleted.sum();
  }

  /** Up to {@code max} rows due by {@code now}, soonest first, through the expires_at index. */
  List<Due> selectDue(long now, int max) {
    return state.tx.read(Tx.Op.of("selection of expired entries"), c -> {
      List<Due> due = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(db.sql.selectDue)) {
        ps.setLong(1, now);
        ps.setInt(2, max);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            due.add(new Due(rs.getString(1), db.getKey(rs, 2), rs.getLong(3), rs.getLong(4),
                Db.getNullableLong(rs, 5) != Db.NO_HISTORY));
          }
        }
      }
      return due;
    });
  }

  /** Deletes the rows of {@code due} that still have the version and expiry they were selected with. */
  int delete(List<Due> due) {
    if (due.isEmpty()) {
      return 0;
    }
    return state.commits.run(() -> lockFor(due), Tx.Op.of("expiry sweep of " + due.size() + " entries"), c -> {
      int[] counts;
      try (PreparedStatement ps = c.prepareStatement(db.sql.deleteDue)) {
        for (Due d : due) {
          ps.setString(1, d.namespace());
          db.setKey(ps, 2, d.key());
          ps.setLong(3, d.version());
          ps.setLong(4, d.expiresAt());
          // A restore may have given the same version a history meanwhile: then it waits for the next sweep.
          ps.setBoolean(5, d.hasHistory());
          ps.addBatch();
        }
        counts = ps.executeBatch();
      }
      int n = 0;
      List<ChangeEvent> events = new ArrayList<>();
      try (Db.Writes w = db.new Writes(c)) {
        for (int i = 0; i < due.size(); i++) {
          if (counts[i] > 0) {
            Due d = due.get(i);
            if (d.hasHistory()) {
              w.dropHistory(d.namespace(), d.key());
            }
            long revision = w.change(d.namespace(), d.key(), d.version(), ChangeType.EXPIRED, Principal.SYSTEM,
                d.expiresAt());
            events.add(new ChangeEvent(ChangeType.EXPIRED, d.namespace(), d.key(), d.version(),
                Instant.ofEpochMilli(d.expiresAt()), Principal.SYSTEM, revision));
            n++;
          }
        }
        w.flush();
      }
      return new Commits.Done<>(n, events);
    });
  }

  /** The stripes of the batch's keys: the version check keeps deletion correct; the locks keep event order. */
  private KeyLocks.Held lockFor(List<Due> due) {
    List<String> namespaces = new ArrayList<>(due.size());
    List<String> keys = new ArrayList<>(due.size());
    for (Due d : due) {
      namespaces.add(d.namespace());
      keys.add(d.key());
    }
    return state.locks.lockPairs(namespaces, keys);
  }

  /** Deletes change log rows older than the retention, oldest first, in batches. */
  int pruneChanges(int maxBatches) {
    long cutoff = state.clock.millis() - state.config.changeRetention().toMillis();
    int total = 0;
    for (int b = 0; b < maxBatches; b++) {
      int n = state.tx.run(Tx.Op.of("pruning of the change log"), c -> {
        try (PreparedStatement ps = c.prepareStatement(db.sql.pruneChanges)) {
          ps.setLong(1, cutoff);
          ps.setInt(2, batchSize);
          return ps.executeUpdate();
        }
      });
      total += n;
      if (n < batchSize) {
        break;
      }
    }
    return total;
  }

  private void incrementalVacuum() {
    state.tx.read(Tx.Op.of("incremental vacuum"), c -> {
      vacuum(c);
      return null;
    });
  }

  /**
   * Gives the free pages of an {@code auto_vacuum = INCREMENTAL} file back to the file system.
   * The pragma frees one page per step of its statement, and the driver steps once per execute,
   * so it runs until the free list is empty (bounded, so a file without incremental auto-vacuum
   * does not loop).
   */
  private static void vacuum(java.sql.Connection c) throws java.sql.SQLException {
    try (Statement s = c.createStatement()) {
      for (int i = 0; i < 100_000 && freePages(s) > 0; i++) {
        s.execute("PRAGMA incremental_vacuum");
      }
    }
  }

  private static long freePages(Statement s) throws java.sql.SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA freelist_count")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** See {@link JdbcKvStore#compact()}. */
  void compact() {
    state.tx.read(Tx.Op.of("compaction"), c -> {
        try (Statement s = c.createStatement()) {
          switch (db.dialect) {
            case SQLITE:
              try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rs.next();
              }
              s.execute("VACUUM");
              try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rs.next();
              }
              break;
            case H2:
              s.execute("CHECKPOINT SYNC");
              break;
            default:
              break;
          }
        }
        return null;
      });
  }

}
