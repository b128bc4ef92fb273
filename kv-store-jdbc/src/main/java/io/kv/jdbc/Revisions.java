package io.kv.jdbc;

import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.RevisionCompactedException;
import io.kv.Subscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's revisions: the change log's {@code seq}, which every write takes from one sequence
 * shared by all instances on the database.
 *
 * <h2>Which revision a read is "as of"</h2>
 * A sequence hands out numbers when writes ask, and their transactions commit in another order:
 * while seq 10 is still uncommitted, seq 11 may be visible. A read that said "as of 11" would
 * not show 10, and a subscriber resuming after 11 would never be told of it. So a read is as of
 * the <em>settled</em> revision: the highest seq below which every number is either committed or
 * given up. A number is given up once a higher row has been visible for {@link #GAP_TIMEOUT}
 * (a rollback, a number a failed statement took, a sequence cache lost at a restart), the change
 * feed's default rule, timed from the latest {@code changed_at} of the rows above the hole (for
 * an {@code EXPIRED} row that is the expiry instant, which the sweeper may write late: a hole
 * with nothing but expiry rows above it can be given up up to one sweep interval early). It is
 * found from the newest {@value Statements#RECENT_CHANGES} rows of the log; holes below those
 * count as settled. A listing reads the revision before its rows, so
 * every change up to it is in the listing; changes above it that committed before the listing
 * may be in it too, and a subscription from the revision tells them again (each with the
 * revision the entry then carries, so a caller can tell them apart).
 *
 * <h2>Subscriptions from a revision</h2>
 * Each is a change feed of its own over the log ({@link PollingChangeFeed#startFrom}): one
 * thread and one connection, telling every instance's changes in revision order and holding
 * changes back behind a number still missing until it commits or is given up, so that the last
 * revision a subscriber was told is settled and a restarted subscriber resumes from it.
 *
 * <p>Thread-safe.
 */
final class Revisions {
  /** How long a missing number is waited for: the change feed's default gap timeout. */
  static final Duration GAP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final int BATCH = 500;

  private final StoreState state;
  private final Set<PollingChangeFeed> feeds = ConcurrentHashMap.newKeySet();

  Revisions(StoreState state) {
    this.state = state;
  }

  /** The settled revision (see the class comment); 0 when the log is empty. */
  long settled() {
    return state.tx.read(Tx.Op.of("reading the store's revision"), this::settled);
  }

  /** The settled revision, read on {@code c}; a listing reads it so, before its rows. */
  long settled(Connection c) throws SQLException {
    List<long[]> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(state.db.sql.recentChanges); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
      }
    }
    return settled(rows, state.clock.millis());
  }

  /**
   * The settled revision of the newest rows of the log, newest first ({seq, changed_at} each):
   * the row below the lowest hole that is not yet given up, else the newest row.
   */
  static long settled(List<long[]> newestFirst, long nowMillis) {
    if (newestFirst.isEmpty()) {
      return 0;
    }
    long settled = newestFirst.get(0)[0];
    // The latest time a row above the hole was written: the hole's numbers were taken before
    // every row above it, so their transactions have been open at least since then.
    long latestAbove = newestFirst.get(0)[1];
    for (int i = 1; i < newestFirst.size(); i++) {
      long above = newestFirst.get(i - 1)[0];
      long below = newestFirst.get(i)[0];
      if (above - below > 1 && nowMillis - latestAbove < GAP_TIMEOUT.toMillis()) {
        settled = below;
      }
      latestAbove = Math.max(latestAbove, newestFirst.get(i)[1]);
    }
    return settled;
  }

  /**
   * Tells {@code listener} every change after {@code fromRevision} passing {@code filter}, then
   * live ones, on a feed of its own.
   *
   * @throws RevisionCompactedException if the log no longer holds the rows after {@code fromRevision}
   */
  Subscription subscribe(ChangeFilter filter, long fromRevision, ChangeListener listener) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(listener, "listener");
    if (fromRevision < 0) {
      throw new IllegalArgumentException("fromRevision must not be negative");
    }
    Long oldest = state.tx.read(Tx.Op.of("subscription from a revision: reading the change log"), c -> {
      try (PreparedStatement ps = c.prepareStatement(state.db.sql.oldestChange); ResultSet rs = ps.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    });
    // The sweeper prunes from the oldest row up; a log starting above fromRevision + 1 lost rows
    // the subscriber has not seen. (A log it emptied entirely cannot say; it is taken as whole.)
    if (oldest != null && oldest > fromRevision + 1) {
      throw new RevisionCompactedException(fromRevision, oldest);
    }
    Config config = state.config;
    FeedConfig feedConfig = new FeedConfig(config.dataSource(), config.instanceId(), config.schema(),
        config.tablePrefix(), POLL_INTERVAL, GAP_TIMEOUT, BATCH, state.clock);
    PollingChangeFeed feed = PollingChangeFeed.startFrom(feedConfig, fromRevision, filter, listener);
    feeds.add(feed);
    return () -> {
      feeds.remove(feed);
      feed.close();
    };
  }

  /** Stops every subscription's feed; the store is closing. */
  void close() {
    for (PollingChangeFeed feed : List.copyOf(feeds)) {
      feeds.remove(feed);
      feed.close();
    }
  }
}
