package io.kv.audit.jdbc;

import io.kv.Principal;
import io.kv.StorageException;
import io.kv.core.AuditAction;
import io.kv.core.AuditRecord;
import io.kv.core.AuditSink;
import io.kv.core.TransactionalAuditSink;
import io.kv.jdbc.Dialect;
import io.kv.jdbc.JdbcTransactions;
import io.kv.jdbc.SchemaMode;
import io.kv.spi.BuilderChecks;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * An {@link AuditSink} that keeps audit records in the table {@code {prefix}audit} of a
 * PostgreSQL, H2 or SQLite database, tamper-evident, with a query API and retention.
 *
 * <p><b>Chains.</b> Each sink instance writes its own chain, named by a random id made when it is
 * built and started by a START row (sequence 0). Every row holds its chain, its sequence number
 * in the chain, the previous row's hash and its own: SHA-256 over its canonical form, which
 * encodes every field, the previous hash included, each with its length or a fixed size (the
 * 10 ASCII bytes {@code kv-audit/1}, then chain, seq, kind, time, principal, action, namespace,
 * key, success, error kind, read count, last read time, anchor chain, anchor seq, anchor hash,
 * previous hash; a string as a 4-byte big-endian UTF-8 length, or -1 when absent, then its bytes;
 * a number as 8 bytes big-endian, an optional one as a byte 0 when absent or 1 then the number; a
 * boolean as one byte). Instances and sinks never wait for one another; within one
 * sink, writes are serialized so that the chain's order is the order of its rows. A row never
 * holds a value.
 *
 * <p><b>What {@link #verify()} proves.</b> That no row of a chain was altered, deleted from the
 * middle or the start, inserted or moved, by anyone who cannot also recompute every later hash
 * of the chain. The hash needs no key: someone with write access to the table who knows this
 * encoding can rewrite a chain from the edited row to its end, and can delete a chain's newest
 * rows (or a whole chain) unseen. Against both, keep {@link #heads()} somewhere the database's
 * users cannot write (a log shipped elsewhere, say every few minutes), and compare: a head whose
 * row is missing or whose hash changed shows the edit.
 *
 * <p><b>Retention.</b> {@link #purgeOlderThan} deletes, per chain and in batches, the rows before
 * the chain's first row that is not older than the age, keeping at least each chain's newest row.
 * Before it deletes, it writes an ANCHOR row into this sink's chain naming the other chain's new
 * first row and that row's previous hash; the anchor is itself chained, so the chain verifies from
 * its new oldest row, and a deletion of further old rows is still seen.
 *
 * <p><b>Batched reads.</b> By default each record is committed before {@code record} returns, in
 * its own transaction. With {@link Builder#batchReads}, the record of an action that changes
 * nothing ({@link AuditAction#changesData()} false: reads, lists, counts) is queued instead and
 * written by one daemon thread, in batches of one transaction each, in queue order, chained like
 * any other row; so an audited read, a near-cache hit say, runs no SQL on its thread. The flusher
 * writes what waits every {@code maxDelay}, and at once when {@code maxBatch} records wait. At most
 * {@code 2 * maxBatch} records wait: a read that finds the queue full writes the queue and its own
 * record on its own thread, so no record is dropped. A record that changes data is still
 * committed before {@code record} returns, and first writes, in the same transaction, every read
 * queued before it, so the chain holds records in the order the sink received them. A crash loses
 * at most the queued reads: at most {@code 2 * maxBatch} records, none received longer ago than
 * {@code maxDelay} plus the time the database takes to write one batch (while it answers; a batch
 * that fails stays queued and is retried at the next round). {@link #close()} writes them; an
 * application closes the sink when it shuts down, after the store.
 *
 * <p><b>Summarized reads.</b> With {@link Builder#summarizeReads} instead, a read is accounted
 * for by count, not by a row of its own: the records of actions that change nothing are counted
 * in memory per group (principal, action, namespace, key, success, error kind), and the daemon
 * thread writes, every {@code interval}, one row per group that had reads: the group's fields, the
 * time of its first read as the row's time, the time of its last read, and how many reads it
 * stands for ({@link StoredAuditRecord#count()}, {@link StoredAuditRecord#lastAt()}); every read
 * counted lies between those two times. The rows of one round are chained like any other row and
 * written in one transaction. Counting a read of a pending group takes no lock and allocates one
 * small key. A record that changes data is still committed before {@code record} returns, and
 * first writes, in the same transaction, the summaries of every read counted before it: no
 * summary row counts a read that the sink received after a later row's record. When
 * {@code maxGroups} groups are pending, a read that would start another writes the summaries on
 * its own thread first, so no read is dropped. A crash loses at most the counts not yet written:
 * those of reads received since the last round began, about {@code interval} plus the time the
 * database takes to write one round (while it answers; a round that fails keeps its rows and
 * retries them first at the next). {@link #flush()} and {@link #close()} write them.
 *
 * <p><b>Records committed with the change.</b> When this sink and a {@link io.kv.jdbc.JdbcKvStore}
 * share one {@code DataSource} (the same object), the audit layer (under {@link
 * io.kv.core.AuditFailurePolicy#FAIL_OPERATION}, its default) hands this sink the records of a
 * change before it runs ({@link #enlist}), and the store inserts them on its own connection just
 * before its commit: a change and its records commit together or not at all, and a change whose
 * record cannot be written fails and changes nothing. These records go to joined chains of this
 * sink, one per concurrent writer, not to its main chain ({@link #chainId()}), so writers do not
 * wait for one another's commits; rows of different chains are ordered by their time only. A
 * change on another store, or one the store does not commit (a failed compare), is recorded by
 * {@link #record} afterwards, as with any sink.
 *
 * <p>Thread-safe. {@link #record} throws {@link StorageException} when the database fails; the
 * audit layer's {@link io.kv.core.AuditFailurePolicy} decides what the caller sees.
 */
public final class JdbcAuditSink implements TransactionalAuditSink, AutoCloseable {
  private static final String SYSTEM = Principal.SYSTEM.name();

  private final AuditTable table;
  private final Clock clock;
  private final Duration retention;
  private final int purgeBatchSize;
  private final ReentrantLock lock = new ReentrantLock();
  // The main chain; where it stands is guarded by lock.
  private final Chain main = new Chain();
  // Guarded by lock: reads taken from the queue whose batch failed, written first next time.
  private final List<Row> carried = new ArrayList<>();

  // Batched reads; flusher is null when they are off.
  private final Duration batchDelay;
  private final int batchSize;
  private final ConcurrentLinkedQueue<Row> queued = new ConcurrentLinkedQueue<>();
  // Reads accepted and not yet committed (queued or carried); bounds what a crash can lose.
  private final AtomicInteger pending = new AtomicInteger();
  // Summarized reads; null when they are off.
  private final ReadSummaries summaries;
  private final Thread flusher;
  private volatile boolean closed;

  // Chains of records committed in stores' transactions, not in use by one right now.
  private final ConcurrentLinkedDeque<Chain> idleChains = new ConcurrentLinkedDeque<>();

  private JdbcAuditSink(Builder b) {
    Dialect dialect = b.dialect != null ? b.dialect : AuditTable.detect(b.dataSource);
    this.table = new AuditTable(b.dataSource, dialect, b.schema, b.tablePrefix == null ? "kv_" : b.tablePrefix);
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.retention = b.retention;
    this.purgeBatchSize = b.purgeBatchSize == null ? 1000 : b.purgeBatchSize;
    SchemaMode mode = b.schemaMode == null ? SchemaMode.VALIDATE : b.schemaMode;
    if (mode == SchemaMode.CREATE) {
      table.create();
    }
    if (mode != SchemaMode.NONE) {
      table.validate();
    }
    append(Row.marker(Row.START, clock.millis(), SYSTEM, null, null, null));
    this.batchDelay = b.batchDelay != null ? b.batchDelay : b.summaryInterval;
    this.batchSize = b.batchSize;
    this.summaries = b.summaryInterval == null ? null : new ReadSummaries(b.maxGroups);
    if (batchDelay == null) {
      this.flusher = null;
    } else {
      this.flusher = new Thread(this::flushLoop, "kv-audit-flusher-" + main.id.substring(0, 8));
      flusher.setDaemon(true);
      flusher.start();
    }
  }

  /**
   * Settings for a sink writing through {@code dataSource}, which may be the store's or another.
   *
   * @param dataSource where the audit table is
   * @return a new builder
   * @throws NullPointerException if {@code dataSource} is null
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * The id of this sink's main chain, which holds the records given to {@link #record} and the
   * anchors of retention; records committed in a store's transactions are in the sink's joined
   * chains (see {@link #enlist}).
   *
   * @return the id of this sink's main chain, a random UUID
   */
  public String chainId() {
    return main.id;
  }

  /**
   * Appends {@code record} to this sink's chain and commits it. Its time is kept to the
   * millisecond.
   *
   * @param record what happened
   * @throws NullPointerException if {@code record} is null
   * @throws StorageException if the database fails; the chain is then as it was before the call
   */
  @Override
  public void record(AuditRecord record) {
    Objects.requireNonNull(record, "record");
    boolean read = !record.action().changesData();
    try {
      if (summaries != null && read && !closed) {
        count(record);
        return;
      }
      Row draft = draftOf(record);
      if (summaries == null && flusher != null && !closed && read && enqueue(draft)) {
        return;
      }
      append(draft);
    } catch (StorageException e) {
      throw new StorageException(record.namespace().orElse(""), record.key().orElse(""),
          "cannot write the audit record of " + record.action() + " to " + table.table, e.getCause());
    }
  }

  /** Counts a read in its group; when the groups are full, writes them on this thread first. */
  private void count(AuditRecord record) {
    while (!summaries.add(record)) {
      append(null);
    }
    if (closed) {
      // close() may have written the summaries before this read was counted: write it here.
      append(null);
    }
  }

  /** {@code record} as a row of no chain yet. */
  private static Row draftOf(AuditRecord record) {
    return Row.draft(Row.RECORD, record.timestamp().toEpochMilli(), record.principal().name(),
        record.action().name(), record.namespace().orElse(null), record.key().orElse(null), record.success(),
        record.errorKind().orElse(null), 1, null);
  }

  /**
   * Offers {@code records} to the next write transaction that a {@link io.kv.jdbc.JdbcKvStore}
   * built on this sink's {@code DataSource} (the same object) commits on the calling thread,
   * through {@link JdbcTransactions}: the rows are inserted on the store's connection just before
   * it commits, so they commit with the change or not at all. They go to a chain of their own,
   * taken from this sink's idle joined chains or started in that transaction (its START row
   * commits with the first records): so concurrent writers never wait for one another's
   * commits, and a sink has about as many joined chains as it had concurrent writers. A
   * transaction that rolls back leaves its chain unused from then on, since its outcome may be
   * unknown (a commit that failed on the network); the chain ends with its last committed row.
   *
   * @param records the records of the change if it succeeds
   * @return the enlistment; {@link Enlistment#committed()} says whether the records committed
   * @throws NullPointerException if {@code records} is null or holds null
   */
  @Override
  public Enlistment enlist(List<AuditRecord> records) {
    List<Row> drafts = new ArrayList<>(records.size());
    for (AuditRecord r : records) {
      drafts.add(draftOf(Objects.requireNonNull(r, "record")));
    }
    Joined joined = new Joined(drafts);
    joined.enlistment = JdbcTransactions.enlist(table.dataSource, joined);
    return joined;
  }

  /**
   * Where one chain of this sink stands: its id, next sequence number and newest hash. Used by
   * one writer at a time (the main chain under the sink's lock, a joined chain by the transaction
   * that took it).
   */
  private static final class Chain {
    final String id = UUID.randomUUID().toString();
    final MessageDigest digest = Row.sha256();
    /** The next sequence number; 0 until its START row committed. */
    long nextSeq;
    String lastHash = Row.GENESIS;

    /** {@code drafts} as this chain's next rows, linked and sealed; the chain itself does not move. */
    List<Row> place(List<Row> drafts) {
      List<Row> rows = new ArrayList<>(drafts.size());
      long seq = nextSeq;
      String prev = lastHash;
      for (Row d : drafts) {
        Row row = d.placed(id, seq++, prev, digest);
        rows.add(row);
        prev = row.hash();
      }
      return rows;
    }

    /** Moves this chain past {@code placed}, rows from {@link #place} that committed. */
    void advance(List<Row> placed) {
      Row newest = placed.get(placed.size() - 1);
      nextSeq = newest.seq() + 1;
      lastHash = newest.hash();
    }
  }

  /** The records of one change, offered to its transaction. */
  private final class Joined implements JdbcTransactions.Participant, Enlistment {
    private final List<Row> drafts;
    private JdbcTransactions.Enlistment enlistment;
    // Set by beforeCommit for afterCompletion: the chain in use and the rows placed on it.
    private Chain chain;
    private List<Row> placed;

    Joined(List<Row> drafts) {
      this.drafts = drafts;
    }

    @Override
    public void beforeCommit(Connection connection) throws SQLException {
      Chain c = idleChains.pollFirst();
      chain = c != null ? c : new Chain();
      List<Row> rows = drafts;
      if (chain.nextSeq == 0) {
        // A new chain starts in the transaction of its first records.
        rows = new ArrayList<>(drafts.size() + 1);
        rows.add(Row.marker(Row.START, clock.millis(), SYSTEM, null, null, null));
        rows.addAll(drafts);
      }
      placed = chain.place(rows);
      table.insertOn(connection, placed);
    }

    @Override
    public void afterCompletion(boolean committed) {
      Chain c = chain;
      chain = null;
      if (committed) {
        c.advance(placed);
        idleChains.addFirst(c);
      }
    }

    @Override
    public boolean committed() {
      return enlistment.committed();
    }

    @Override
    public void close() {
      enlistment.close();
    }
  }

  /** Queues a read's row unless {@code 2 * batchSize} already wait; false when it is full. */
  private boolean enqueue(Row draft) {
    int waiting = pending.incrementAndGet();
    if (waiting > 2 * batchSize) {
      pending.decrementAndGet();
      return false;
    }
    queued.add(draft);
    if (closed) {
      // close() may have written the queue before this row arrived: write it here instead.
      flush();
    } else if (waiting >= batchSize) {
      LockSupport.unpark(flusher);
    }
    return true;
  }

  /**
   * Appends the rows of reads that wait (carried from a failed round, queued, summarized), then
   * {@code draft} if not null, as the chain's next rows, in one transaction: their sequence
   * numbers and links are set here.
   */
  private void append(Row draft) {
    lock.lock();
    try {
      List<Row> drafts = new ArrayList<>(carried);
      // pending counts the carried and queued rows; summaries join it only if this round fails.
      int counted = drafts.size();
      for (Row r = queued.poll(); r != null; r = queued.poll()) {
        drafts.add(r);
        counted++;
      }
      if (summaries != null) {
        drafts.addAll(summaries.drain());
      }
      int reads = drafts.size();
      if (draft != null) {
        drafts.add(draft);
      }
      if (drafts.isEmpty()) {
        return;
      }
      List<Row> rows = main.place(drafts);
      try {
        if (rows.size() == 1) {
          table.insert(rows.get(0));
        } else {
          table.insertAll(rows);
        }
      } catch (SQLException e) {
        // Nothing was committed: the reads wait for the next batch, the chain is as it was.
        carried.clear();
        carried.addAll(drafts.subList(0, reads));
        pending.addAndGet(reads - counted);
        throw new StorageException("cannot append to audit chain " + main.id + " in " + table.table
            + ": SQL state " + e.getSQLState(), e);
      }
      carried.clear();
      main.advance(rows);
      pending.addAndGet(-counted);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The flusher's loop: writes what waits every batch delay (or summary interval), or when woken
   * by a full batch.
   */
  private void flushLoop() {
    long delay = batchDelay.toNanos();
    while (!closed) {
      LockSupport.parkNanos(this, delay);
      if (closed) {
        return;
      }
      if (pending.get() > 0 || (summaries != null && !summaries.isEmpty())) {
        try {
          append(null);
        } catch (RuntimeException e) {
          // The batch stays queued and is retried next round; once the queue is full, readers
          // write their own records and see the failure through the audit failure policy.
        }
      }
    }
  }

  /**
   * Writes the queued read records, or the pending read summaries, now, on the calling thread, in
   * one transaction. Does nothing when reads are neither batched nor summarized, or none wait.
   *
   * @throws StorageException if the database fails; the records then stay queued, and summaries
   *     taken are kept and written first next time
   */
  public void flush() {
    append(null);
  }

  /**
   * Stops the flusher thread and writes the read records still queued or the summaries still
   * pending. Idempotent. The sink
   * stays usable after it: every later record is written before {@code record} returns.
   * Applications close the sink when they shut down, after the store, or lose at most the bound
   * described in the class documentation.
   *
   * @throws StorageException if the database fails while writing the queued records
   */
  @Override
  public void close() {
    stopFlusher();
    flush();
  }

  /** Stops the flusher thread and waits for it to end, keeping the caller's interrupt status. */
  private void stopFlusher() {
    closed = true;
    if (flusher == null) {
      return;
    }
    LockSupport.unpark(flusher);
    boolean interrupted = false;
    while (flusher.isAlive()) {
      try {
        flusher.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A crash, for tests: the flusher stops and the queued reads or pending counts are dropped unwritten. */
  void crashForTest() {
    stopFlusher();
    lock.lock();
    try {
      queued.clear();
      if (summaries != null) {
        summaries.clear();
      }
      carried.clear();
      pending.set(0);
    } finally {
      lock.unlock();
    }
  }

  /**
   * One page of the records that {@code query} selects, in the order (time, chain, sequence).
   *
   * @param query which records, and where the page starts
   * @return the page, with the cursor of the next one unless it is the last
   * @throws NullPointerException if {@code query} is null
   * @throws StorageException if the database fails
   */
  public AuditPage query(AuditQuery query) {
    Objects.requireNonNull(query, "query");
    StringBuilder sql = new StringBuilder("SELECT " + AuditTable.COLUMNS + " FROM " + table.table + " WHERE kind = ?");
    List<Object> params = new ArrayList<>(List.of(Row.RECORD));
    query.namespace().ifPresent(ns -> filter(sql, params, " AND namespace = ?", ns));
    query.keyPrefix().ifPresent(p -> {
      // H2 counts UTF-16 units, the others code points.
      int length = table.dialect == Dialect.H2 ? p.length() : p.codePointCount(0, p.length());
      filter(sql, params, " AND SUBSTR(entry_key, 1, ?) = ?", length, p);
    });
    query.principal().ifPresent(p -> filter(sql, params, " AND principal = ?", p));
    query.action().ifPresent(a -> filter(sql, params, " AND action = ?", a.name()));
    query.from().ifPresent(t -> filter(sql, params, " AND at_ms >= ?", t.toEpochMilli()));
    query.to().ifPresent(t -> filter(sql, params, " AND at_ms < ?", t.toEpochMilli()));
    query.after().ifPresent(c -> filter(sql, params,
        " AND (at_ms > ? OR (at_ms = ? AND (chain_id > ? OR (chain_id = ? AND seq > ?))))",
        c.epochMillis(), c.epochMillis(), c.chain(), c.chain(), c.seq()));
    sql.append(" ORDER BY at_ms, chain_id, seq LIMIT ?");
    params.add(query.limit() + 1);
    List<Row> rows = read(() -> table.rows(sql.toString(), params.toArray()));
    List<StoredAuditRecord> out = new ArrayList<>();
    for (Row r : rows.subList(0, Math.min(rows.size(), query.limit()))) {
      out.add(new StoredAuditRecord(r.chain(), r.seq(), new AuditRecord(Instant.ofEpochMilli(r.atMillis()),
          Principal.of(r.principal()), AuditAction.valueOf(r.action()), Optional.ofNullable(r.namespace()),
          Optional.ofNullable(r.key()), r.success(), Optional.ofNullable(r.errorKind())), r.readCount(),
          Optional.ofNullable(r.lastAtMillis()).map(Instant::ofEpochMilli)));
    }
    Optional<AuditCursor> next = rows.size() > query.limit()
        ? Optional.of(out.get(out.size() - 1).cursor()) : Optional.empty();
    return new AuditPage(out, next);
  }

  private static void filter(StringBuilder sql, List<Object> params, String condition, Object... values) {
    sql.append(condition);
    params.addAll(List.of(values));
  }

  /**
   * Verifies every chain in the table from its oldest row to its newest.
   *
   * @return the number of chains and rows checked, and the first problem found if any
   * @throws StorageException if the database fails
   */
  public AuditVerification verify() {
    return check(read(() -> table.chains("")), true);
  }

  /**
   * Verifies the rows written at or after {@code from} and before {@code to}, in each chain that
   * has some: every row between the chain's first and last row in that time, with one row of
   * context either side. A chain whose oldest row falls in the range is checked from its start.
   *
   * @param from the first time included
   * @param to the first time excluded
   * @return the number of chains and rows checked, and the first problem found if any
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code to} is before {@code from}
   * @throws StorageException if the database fails
   */
  public AuditVerification verify(Instant from, Instant to) {
    if (to.isBefore(Objects.requireNonNull(from, "from"))) {
      throw new IllegalArgumentException("to must not be before from");
    }
    return check(read(() -> table.chains(" WHERE at_ms >= ? AND at_ms < ?", from.toEpochMilli(), to.toEpochMilli())),
        false);
  }

  private AuditVerification check(Map<String, long[]> ranges, boolean whole) {
    MessageDigest sha256 = Row.sha256();
    long checked = 0;
    for (Map.Entry<String, long[]> e : ranges.entrySet()) {
      String id = e.getKey();
      long lo = e.getValue()[0];
      long hi = e.getValue()[1];
      long oldest = whole ? lo : read(() -> table.number("SELECT MIN(seq) FROM " + table.table + " WHERE chain_id = ?", id));
      List<Row> rows = read(() -> table.rows("SELECT " + AuditTable.COLUMNS + " FROM " + table.table
          + " WHERE chain_id = ? AND seq >= ? AND seq <= ? ORDER BY seq", id, lo - 1, hi + 1));
      if (rows.isEmpty()) {
        continue; // purged since the chains were listed
      }
      checked += rows.size();
      Optional<AuditTamper> problem = ChainCheck.check(rows, rows.get(0).seq() == oldest,
          read(() -> table.anchors(id)), sha256);
      if (problem.isPresent()) {
        return new AuditVerification(ranges.size(), checked, problem);
      }
    }
    return new AuditVerification(ranges.size(), checked, Optional.empty());
  }

  /**
   * The newest row of every chain in the table: keep them elsewhere to detect later truncation.
   *
   * @return one head per chain, in chain id order
   * @throws StorageException if the database fails
   */
  public List<ChainHead> heads() {
    List<Row> rows = read(() -> table.rows("SELECT " + AuditTable.COLUMNS + " FROM " + table.table
        + " a WHERE seq = (SELECT MAX(seq) FROM " + table.table + " b WHERE b.chain_id = a.chain_id) ORDER BY chain_id"));
    return rows.stream().map(r -> new ChainHead(r.chain(), r.seq(), r.hash())).toList();
  }

  /**
   * Deletes the rows older than the configured {@link Builder#retention}.
   *
   * @return how many rows were deleted
   * @throws IllegalStateException if no retention was configured
   * @throws StorageException if the database fails
   */
  public long purge() {
    if (retention == null) {
      throw new IllegalStateException("no retention configured; use purgeOlderThan or Builder.retention");
    }
    return purgeOlderThan(retention);
  }

  /**
   * Deletes, in every chain, the rows before its first row that is not older than {@code age}
   * (keeping at least its newest row), in batches of the configured size, each in its own
   * transaction. First writes the anchors that let each chain verify from its new oldest row. A
   * purge stopped by a failure leaves the table verifiable; running it again finishes it.
   *
   * @param age how old a row must be, by this sink's clock, to be deleted
   * @return how many rows were deleted
   * @throws NullPointerException if {@code age} is null
   * @throws IllegalArgumentException if {@code age} is negative
   * @throws StorageException if the database fails
   */
  public long purgeOlderThan(Duration age) {
    if (Objects.requireNonNull(age, "age").isNegative()) {
      throw new IllegalArgumentException("age must not be negative");
    }
    long cutoff = clock.millis() - age.toMillis();
    String t = table.table;
    Map<String, long[]> deletions = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : read(() -> table.chains("")).entrySet()) {
      String id = e.getKey();
      long lo = e.getValue()[0];
      long hi = e.getValue()[1];
      Long firstKept = read(() -> table.number("SELECT MIN(seq) FROM " + t + " WHERE chain_id = ? AND at_ms >= ?", id, cutoff));
      long start = firstKept == null ? hi : Math.min(firstKept, hi);
      // A chain that no longer starts at 0 needs an anchor that this purge does not delete.
      Long kept = start > lo || lo == 0 ? null : read(() -> table.number("SELECT COUNT(*) FROM " + t
          + " WHERE kind = ? AND anchor_chain = ? AND anchor_seq = ? AND at_ms >= ?", Row.ANCHOR, id, lo, cutoff));
      if (start > lo || (kept != null && kept == 0)) {
        List<Row> firsts = read(() -> table.rows("SELECT " + AuditTable.COLUMNS + " FROM " + t
            + " WHERE chain_id = ? AND seq = ?", id, start));
        if (firsts.isEmpty()) {
          continue; // a gap where the new first row should be: leave the chain for verify() to report
        }
        Row first = firsts.get(0);
        if (start > lo) {
          deletions.put(id, new long[] {lo, start});
        }
        append(Row.marker(Row.ANCHOR, clock.millis(), SYSTEM, id, start, first.prevHash()));
      }
    }
    long deleted = 0;
    for (Map.Entry<String, long[]> e : deletions.entrySet()) {
      long end = e.getValue()[1];
      for (long from = e.getValue()[0]; from < end; from += purgeBatchSize) {
        long batchFrom = from;
        long batchEnd = Math.min(from + purgeBatchSize, end);
        deleted += read(() -> (long) table.update("DELETE FROM " + t + " WHERE chain_id = ? AND seq >= ? AND seq < ?",
            e.getKey(), batchFrom, batchEnd));
      }
    }
    return deleted;
  }

  private interface SqlCall<T> {
    T call() throws SQLException;
  }

  private <T> T read(SqlCall<T> call) {
    try {
      return call.call();
    } catch (SQLException e) {
      throw new StorageException("audit table " + table.table + " failed: SQL state " + e.getSQLState(), e);
    }
  }

  /**
   * Settings of a {@link JdbcAuditSink}, like those of {@link io.kv.jdbc.JdbcKvStore.Builder}.
   * Each is checked at once and may be given once. Not thread-safe.
   */
  public static final class Builder {
    private static final Pattern PREFIX = Pattern.compile("[a-z_][a-z0-9_]{0,30}");
    private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final DataSource dataSource;
    private Dialect dialect;
    private String tablePrefix;
    private String schema;
    private SchemaMode schemaMode;
    private Clock clock;
    private Duration retention;
    private Integer purgeBatchSize;
    private Duration batchDelay;
    private int batchSize;
    private Duration summaryInterval;
    private int maxGroups;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    private static int between(int given, int max, String name) {
      if (given < 1 || given > max) {
        throw new IllegalArgumentException(name + " must be between 1 and " + max + " (was " + given + ")");
      }
      return given;
    }

    /** Checks a name that goes into SQL text: given once, and of the pattern's shape only. */
    private static String identifier(String current, String given, Pattern shape, String name) {
      BuilderChecks.once(current, name);
      if (!shape.matcher(Objects.requireNonNull(given, name)).matches()) {
        throw new IllegalArgumentException(name + " must match " + shape.pattern());
      }
      return given;
    }

    /**
     * The database's dialect; detected from the connection's metadata when not given.
     *
     * @param dialect the database's dialect
     * @return this builder
     * @throws NullPointerException if {@code dialect} is null
     * @throws IllegalStateException if already given
     */
    public Builder dialect(Dialect dialect) {
      BuilderChecks.once(this.dialect, "dialect");
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * The prefix of the table name ({@code {prefix}audit}); default {@code kv_}, the store's.
     *
     * @param tablePrefix what the table name starts with
     * @return this builder
     * @throws NullPointerException if {@code tablePrefix} is null
     * @throws IllegalArgumentException unless it matches {@code [a-z_][a-z0-9_]{0,30}}
     * @throws IllegalStateException if already given
     */
    public Builder tablePrefix(String tablePrefix) {
      this.tablePrefix = identifier(this.tablePrefix, tablePrefix, PREFIX, "tablePrefix");
      return this;
    }

    /**
     * The schema of the table; default the connection's current one.
     *
     * @param schema the database schema that holds the table
     * @return this builder
     * @throws NullPointerException if {@code schema} is null
     * @throws IllegalArgumentException unless it is a plain identifier
     * @throws IllegalStateException if already given
     */
    public Builder schema(String schema) {
      this.schema = identifier(this.schema, schema, SCHEMA, "schema");
      return this;
    }

    /**
     * What to do with the table on start; default {@link SchemaMode#VALIDATE}. The scripts are
     * {@code io/kv/audit/jdbc/schema/<dialect>/V1__audit_schema.sql} in this module's jar.
     *
     * @param schemaMode what to do with the table on start
     * @return this builder
     * @throws NullPointerException if {@code schemaMode} is null
     * @throws IllegalStateException if already given
     */
    public Builder schemaMode(SchemaMode schemaMode) {
      BuilderChecks.once(this.schemaMode, "schemaMode");
      this.schemaMode = Objects.requireNonNull(schemaMode, "schemaMode");
      return this;
    }

    /**
     * The clock of anchor rows and of retention; default {@link Clock#systemUTC()}. A record's
     * time is the one the audit layer gives it.
     *
     * @param clock the sink's clock
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if already given
     */
    public Builder clock(Clock clock) {
      BuilderChecks.once(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How old a row must be for {@link JdbcAuditSink#purge()} to delete it; none by default. The
     * application schedules {@code purge()}.
     *
     * @param retention the age after which rows are deleted
     * @return this builder
     * @throws NullPointerException if {@code retention} is null
     * @throws IllegalArgumentException unless positive
     * @throws IllegalStateException if already given
     */
    public Builder retention(Duration retention) {
      BuilderChecks.once(this.retention, "retention");
      this.retention = BuilderChecks.positive(retention, "retention");
      return this;
    }

    /**
     * How many rows one purge transaction deletes at most; default 1000.
     *
     * @param purgeBatchSize rows per delete
     * @return this builder
     * @throws IllegalArgumentException unless positive
     * @throws IllegalStateException if already given
     */
    public Builder purgeBatchSize(int purgeBatchSize) {
      BuilderChecks.once(this.purgeBatchSize, "purgeBatchSize");
      if (purgeBatchSize < 1) {
        throw new IllegalArgumentException("purgeBatchSize must be positive (was " + purgeBatchSize + ")");
      }
      this.purgeBatchSize = purgeBatchSize;
      return this;
    }

    /**
     * Records reads in batches, written by one daemon thread, instead of each on the calling
     * thread; off by default. Only records of actions that change nothing are batched; see the
     * class documentation for the order of records and what a crash can lose (at most
     * {@code 2 * maxBatch} reads, received within about {@code maxDelay}). Close the sink to
     * write what is queued and stop the thread.
     *
     * @param maxDelay how long a read record waits at most before the thread writes it
     * @param maxBatch how many waiting records make the thread write at once; twice as many may
     *     wait, after which readers write on their own thread
     * @return this builder
     * @throws NullPointerException if {@code maxDelay} is null
     * @throws IllegalArgumentException unless {@code maxDelay} is positive and {@code maxBatch}
     *     is between 1 and 100000
     * @throws IllegalStateException if already given, or if {@link #summarizeReads} was
     */
    public Builder batchReads(Duration maxDelay, int maxBatch) {
      BuilderChecks.once(this.batchDelay, "batchReads");
      if (summaryInterval != null) {
        throw new IllegalStateException("batchReads and summarizeReads exclude each other");
      }
      Duration delay = BuilderChecks.positive(maxDelay, "maxDelay");
      this.batchSize = between(maxBatch, 100_000, "maxBatch");
      this.batchDelay = delay;
      return this;
    }

    /**
     * Records reads by count, one summary row per group of alike reads every {@code interval},
     * written by one daemon thread, instead of one row per read; off by default. Only records of
     * actions that change nothing are counted; see the class documentation for the groups, the
     * order of rows and what a crash can lose (the counts of about the last {@code interval}).
     * Close the sink to write what is pending and stop the thread.
     *
     * @param interval how often the thread writes the pending summaries
     * @param maxGroups how many groups may be pending; a read that would start one more writes
     *     the summaries on its own thread first
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException unless {@code interval} is positive and {@code maxGroups}
     *     is between 1 and 1000000
     * @throws IllegalStateException if already given, or if {@link #batchReads} was
     */
    public Builder summarizeReads(Duration interval, int maxGroups) {
      BuilderChecks.once(this.summaryInterval, "summarizeReads");
      if (batchDelay != null) {
        throw new IllegalStateException("batchReads and summarizeReads exclude each other");
      }
      Duration checked = BuilderChecks.positive(interval, "interval");
      this.maxGroups = between(maxGroups, 1_000_000, "maxGroups");
      this.summaryInterval = checked;
      return this;
    }

    /**
     * Prepares the table as the schema mode says, and starts this sink's chain with its START row.
     *
     * @return the sink
     * @throws StorageException if the table is missing or the database fails
     * @throws IllegalArgumentException if the database is not PostgreSQL, H2 or SQLite
     */
    public JdbcAuditSink build() {
      return new JdbcAuditSink(this);
    }
  }
}
