package io.kv.jdbc;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.ChangeType;
import io.kv.KvException;
import io.kv.Principal;
import io.kv.StorageException;
import io.kv.Subscription;
import io.kv.spi.ChangeListeners;
import io.kv.spi.NamespaceWatchers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChangeFeed}: one daemon thread that polls the change-log table on a connection it
 * holds, and on PostgreSQL waits for notifications on that connection between polls. See {@link
 * ChangeFeed} for the guarantees.
 */
final class PollingChangeFeed implements ChangeFeed {
  private static final Logger LOG = LoggerFactory.getLogger(PollingChangeFeed.class);
  /** How many numbers below the start position are checked for transactions still open. */
  private static final int START_LOOKBACK = 256;
  /** The most gaps asked for by one query. */
  private static final int GAPS_PER_QUERY = 100;
  /** The longest one wait for a notification blocks, so close() is noticed. */
  private static final long LISTEN_SLICE_MILLIS = 250;
  private static final String COLUMNS = "seq, origin, namespace, entry_key, version, change, principal, changed_at";

  private final FeedConfig config;
  private final String selectNew;
  private final ChangeListeners listeners = new ChangeListeners();
  private final NamespaceWatchers namespaceWatchers = new NamespaceWatchers();
  private final SeqTracker tracker;
  /**
   * Whether this is a subscription from a revision ({@link #startFrom}): it tells every row,
   * this instance's own too, strictly in seq order, holding back the rows above a pending gap
   * until the gap is filled or given up, so that the last revision it told is one a restarted
   * subscriber can resume from.
   */
  private final boolean ordered;
  /** Rows an ordered feed holds back behind a pending gap, by seq. Feed thread only. */
  private final java.util.TreeMap<Long, ChangeRow> held = new java.util.TreeMap<>();
  private final FeedFigures figures = new FeedFigures();
  private final Thread thread;
  private final Object wake = new Object();
  private volatile boolean closed;

  // Used by the feed's thread only.
  private Connection connection;
  private PgNotifications notifications;

  private PollingChangeFeed(FeedConfig config, SeqTracker tracker, boolean ordered) {
    this.config = config;
    this.tracker = tracker;
    this.ordered = ordered;
    this.selectNew = "SELECT " + COLUMNS + " FROM " + config.table() + " WHERE seq > ? ORDER BY seq LIMIT " + config.batchSize();
    this.thread = new Thread(this::run, "kv-change-feed-" + config.instanceId());
    this.thread.setDaemon(true);
  }

  static PollingChangeFeed start(FeedConfig config) {
    SeqTracker tracker;
    try (Connection c = config.dataSource().getConnection()) {
      tracker = startPosition(c, config);
    } catch (SQLException e) {
      throw new StorageException("cannot read the change log " + config.table(), e);
    }
    PollingChangeFeed feed = new PollingChangeFeed(config, tracker, false);
    feed.thread.start();
    return feed;
  }

  /**
   * A feed that tells {@code listener} every change-log row after {@code fromRevision} that
   * passes {@code filter}, of every instance, in seq order (see {@link #ordered}): first the rows
   * the log holds, then new ones as they commit. The numbers missing above {@code fromRevision}
   * are gaps from the start, so a transaction that took a lower number and commits late is still
   * told, in its place.
   */
  static PollingChangeFeed startFrom(FeedConfig config, long fromRevision, ChangeFilter filter, ChangeListener listener) {
    PollingChangeFeed feed = new PollingChangeFeed(config, new SeqTracker(fromRevision), true);
    feed.listeners.add(filter, listener);
    feed.thread.start();
    return feed;
  }

  /**
   * The newest number at start, with the numbers missing just below it as gaps: their
   * transactions may still be open, and will commit after the feed started.
   */
  private static SeqTracker startPosition(Connection c, FeedConfig config) throws SQLException {
    long max;
    try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM " + config.table());
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      max = rs.getLong(1);
    }
    SeqTracker tracker = new SeqTracker(max);
    long from = Math.max(0, max - START_LOOKBACK);
    List<Long> present = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM " + config.table() + " WHERE seq > ? ORDER BY seq")) {
      ps.setLong(1, from);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          present.add(rs.getLong(1));
        }
      }
    }
    // Numbers below the first row present may have been pruned; only gaps between rows count.
    if (!present.isEmpty()) {
      long now = config.clock().millis();
      int i = 0;
      for (long s = present.get(0); s <= max; s++) {
        if (i < present.size() && present.get(i) == s) {
          i++;
        } else {
          tracker.addGap(s, now);
        }
      }
    }
    return tracker;
  }

  @Override
  public String instanceId() {
    return config.instanceId();
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    return listeners.add(filter, listener);
  }

  @Override
  public ChangeFeedStats stats() {
    return figures;
  }

  @Override
  public Subscription watchNamespaces(Consumer<String> listener) {
    return namespaceWatchers.add(listener).orElseThrow();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // No interrupt: an interrupt in the middle of a file read can close an embedded database's
    // file channel. The thread wakes from its wait, or from its PostgreSQL wait within one poll.
    synchronized (wake) {
      wake.notifyAll();
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join(Math.min(config.pollInterval().toMillis(), LISTEN_SLICE_MILLIS) + TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the feed's thread is still running; for tests. */
  boolean isRunning() {
    return thread.isAlive();
  }

  @Override
  public String toString() {
    return "ChangeFeed[" + config.table() + ", instance " + config.instanceId() + "]";
  }

  // ---------------------------------------------------------------- the feed's thread

  private void run() {
    int failures = 0;
    while (!closed) {
      try {
        connect();
        while (!closed && pollOnce()) {
          // A full batch: read on at once.
        }
        if (failures > 0) {
          LOG.info("change feed on {} recovered after {} failed attempts", config.table(), failures);
          failures = 0;
        }
        if (!closed) {
          await(config.pollInterval().toMillis());
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          break;
        }
        // Warn once per outage, not once per poll.
        if (failures++ == 0) {
          LOG.warn("change feed on {} failed; retrying every {} ms", config.table(), config.pollInterval().toMillis(), e);
        } else {
          LOG.debug("change feed on {} failed again", config.table(), e);
        }
        disconnect();
        sleepQuietly(config.pollInterval().toMillis());
      }
    }
    disconnect();
  }

  private void connect() throws SQLException {
    if (connection != null) {
      return;
    }
    Connection c = config.dataSource().getConnection();
    try {
      c.setAutoCommit(true);
      String product = c.getMetaData().getDatabaseProductName();
      if (product != null && product.toLowerCase(Locale.ROOT).contains("postgres")) {
        notifications = listen(c);
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    connection = c;
  }

  private PgNotifications listen(Connection c) throws SQLException {
    try {
      PgNotifications n = PgNotifications.listen(c, config.channel());
      if (n == null) {
        LOG.info("change feed on {}: not a pgjdbc connection, polling only", config.table());
      }
      return n;
    } catch (LinkageError e) {
      LOG.info("change feed on {}: the PostgreSQL driver is not readable, polling only", config.table());
      return null;
    }
  }

  private void disconnect() {
    boolean listened = notifications != null;
    notifications = null;
    if (connection != null) {
      try {
        if (listened && !connection.isClosed()) {
          PgNotifications.unlisten(connection);
        }
      } catch (SQLException e) {
        LOG.debug("stopping the change feed's LISTEN failed", e);
      }
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing the change feed's connection failed", e);
      }
      connection = null;
    }
  }

  /** Waits {@code millis}, or less if a notification arrives or the feed is closed. */
  private void await(long millis) throws SQLException {
    if (notifications == null) {
      sleepQuietly(millis);
      return;
    }
    // In slices, so that close() is noticed soon even with a long poll interval.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!closed) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0 || notifications.await(Math.min(left, LISTEN_SLICE_MILLIS))) {
        return;
      }
    }
  }

  private void sleepQuietly(long millis) {
    synchronized (wake) {
      if (closed) {
        return;
      }
      try {
        wake.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
    }
  }

  /**
   * One round: new rows first, then the gaps (including those the new rows just opened). A row
   * of a key is visible only after the earlier rows of that key committed, so asking for the gaps
   * after the new rows finds every earlier row of the same key, and delivering in seq order keeps
   * each key in version order.
   *
   * @return whether the new rows filled a batch, so there may be more
   */
  private boolean pollOnce() throws SQLException {
    long now = config.clock().millis();
    List<ChangeRow> fresh = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(selectNew)) {
      ps.setLong(1, tracker.cursor());
      read(ps, fresh);
    }
    List<Long> gaps = tracker.gapsWith(fresh);
    List<ChangeRow> found = new ArrayList<>();
    for (int i = 0; i < gaps.size(); i += GAPS_PER_QUERY) {
      readGaps(gaps.subList(i, Math.min(gaps.size(), i + GAPS_PER_QUERY)), found);
    }
    // Every query succeeded: only now does the tracker move, so a failed round is read again.
    List<ChangeRow> rows = new ArrayList<>(tracker.acceptNew(fresh, now, ordered));
    int lost = 0;
    if (!gaps.isEmpty()) {
      rows.addAll(tracker.acceptGapRows(found));
      rows.sort((a, b) -> Long.compare(a.seq(), b.seq()));
      lost = tracker.expire(now, config.gapTimeout().toMillis());
      if (lost > 0) {
        LOG.debug("change feed on {}: gave up {} sequence numbers that never became visible", config.table(), lost);
      }
    }
    figures.gaps(tracker, lost);
    if (ordered) {
      rows = releasable(rows);
    }
    for (ChangeRow row : rows) {
      if (closed) {
        break;
      }
      deliver(row);
    }
    return fresh.size() == config.batchSize();
  }

  /** Of the held rows and {@code rows}, those below the lowest pending gap, in seq order; the rest stay held. */
  private List<ChangeRow> releasable(List<ChangeRow> rows) {
    for (ChangeRow row : rows) {
      held.put(row.seq(), row);
    }
    List<ChangeRow> out = new ArrayList<>(held.headMap(tracker.lowestGap()).values());
    held.headMap(tracker.lowestGap()).clear();
    return out;
  }

  private void readGaps(List<Long> seqs, List<ChangeRow> into) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM ").append(config.table()).append(" WHERE seq IN (");
    for (int i = 0; i < seqs.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    sql.append(')');
    try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < seqs.size(); i++) {
        ps.setLong(i + 1, seqs.get(i));
      }
      read(ps, into);
    }
  }

  private static void read(PreparedStatement ps, List<ChangeRow> into) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        into.add(new ChangeRow(
            rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getLong(5), rs.getString(6), rs.getString(7), rs.getLong(8)));
      }
    }
  }

  private void deliver(ChangeRow row) {
    if (!ordered && Objects.equals(row.origin(), config.instanceId())) {
      return;
    }
    figures.delivered(row.changedAt(), config.clock().millis());
    if (Db.NAMESPACE_CHANGE.equals(row.change())) {
      namespaceWatchers.changed(row.namespace());
      return;
    }
    if (listeners.isEmpty()) {
      return;
    }
    ChangeEvent event;
    try {
      event = new ChangeEvent(
          ChangeType.valueOf(row.change()),
          row.namespace(),
          row.key(),
          row.version(),
          Instant.ofEpochMilli(row.changedAt()),
          Principal.of(row.principal()),
          row.seq());
    } catch (IllegalArgumentException | NullPointerException | KvException e) {
      LOG.warn("change feed on {}: skipped unreadable row seq {}", config.table(), row.seq(), e);
      return;
    }
    listeners.publish(event);
  }
}
