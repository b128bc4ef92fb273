package io.kv.jdbc;

import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.StorageException;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.VersionRecord;
import io.kv.spi.StoredFields;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The SQL side of one store: its table names, its statement texts ({@link Statements}) and the
 * mapping between rows and kv types. Immutable and thread-safe.
 */
final class Db {
  /** The most bind parameters one IN list gets. */
  static final int IN_CHUNK = 500;
  static final long NO_EXPIRY = Long.MIN_VALUE;
  /** A null {@code history_from}: the history table holds no record of the entry. */
  static final long NO_HISTORY = Long.MIN_VALUE;

  final Dialect dialect;
  final String namespaces;
  final String entries;
  final String history;
  final String changes;
  final String channel;
  /** The sequence revisions are taken from; on SQLite its {@code sqlite_sequence} table. */
  final String revisions;
  /** The change log's table name without schema: its row in SQLite's {@code sqlite_sequence}. */
  final String changesName;
  /** Every statement text of the store but PostgreSQL's one-statement writes. */
  final Statements sql;
  private final String origin;

  /** The kind of a change-log row about a namespace declaration rather than an entry. */
  static final String NAMESPACE_CHANGE = "NAMESPACE";

  Db(Dialect dialect, String schema, String prefix, String origin) {
    this.dialect = dialect;
    String q = schema == null ? "" : schema + ".";
    this.namespaces = q + prefix + "namespaces";
    this.entries = q + prefix + "entries";
    this.history = q + prefix + "history";
    this.changes = q + prefix + "changes";
    this.channel = prefix + "changes";
    this.origin = origin;
    // Where revisions come from: the change log's sequence, or SQLite's AUTOINCREMENT counter.
    this.revisions = dialect == Dialect.SQLITE ? q + "sqlite_sequence" : q + prefix + "changes_seq";
    this.changesName = prefix + "changes";
    this.sql = new Statements(dialect, namespaces, entries, history, changes, revisions);
  }

  // ------------------------------------------------------------------ keys

  void setKey(PreparedStatement ps, int i, String key) throws SQLException {
    if (dialect.keysAsBytes()) {
      ps.setBytes(i, key.getBytes(StandardCharsets.UTF_8));
    } else {
      ps.setString(i, key);
    }
  }

  String getKey(ResultSet rs, int col) throws SQLException {
    return dialect.keysAsBytes() ? new String(rs.getBytes(col), StandardCharsets.UTF_8) : rs.getString(col);
  }

  static void setNullableLong(PreparedStatement ps, int i, long v) throws SQLException {
    if (v == NO_EXPIRY) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  static void setNullableString(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
    if (v.isPresent()) {
      ps.setString(i, v.get());
    } else {
      ps.setNull(i, Types.VARCHAR);
    }
  }

  static long getNullableLong(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? NO_EXPIRY : v;
  }

  static OptionalLong getOptionalLong(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
  }

  // ------------------------------------------------------------------ reads

  /** An entry from the columns {@link Statements#ENTRY_COLS}, starting at column 1. */
  Entry entry(String namespace, ResultSet rs) throws SQLException {
    String key = getKey(rs, 1);
    Value value = Value.of(ValueType.valueOf(rs.getString(2)), rs.getBytes(3));
    long expiresAt = getNullableLong(rs, 7);
    return new Entry(namespace, key, value, rs.getLong(4), Instant.ofEpochMilli(rs.getLong(5)),
        Instant.ofEpochMilli(rs.getLong(6)),
        expiresAt == NO_EXPIRY ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expiresAt)),
        stored(namespace, key, "metadata", () -> Codec.parseMetadata(rs.getString(8))),
        new java.util.HashSet<>(stored(namespace, key, "tags", () -> Codec.parseTags(rs.getString(9)))), rs.getLong(10));
  }

  /** A read of a column that other software writing the same table may have left unreadable. */
  @FunctionalInterface
  private interface Stored<T> {
    T read() throws SQLException;
  }

  private static <T> T stored(String namespace, String key, String column, Stored<T> read) throws SQLException {
    try {
      return read.read();
    } catch (IllegalArgumentException | InvalidInputException e) {
      throw new StorageException(namespace, key, "the " + column + " stored for key '" + key + "' in namespace '" + namespace
          + "' is unreadable: " + e.getMessage(), e);
    }
  }

  /**
   * What a write needs to know of the row it replaces.
   *
   * @param updatedAt when the row's version was written, the floor of the next one's time ({@link io.kv.spi.WriteTimes})
   * @param historyFrom the lowest version the history table may hold for the entry, {@link #NO_HISTORY} if none
   */
  record Current(long version, long createdAt, long updatedAt, long expiresAt, long historyFrom) {
    boolean expiredAt(long now) {
      return expiresAt != NO_EXPIRY && expiresAt <= now;
    }

    boolean hasHistory() {
      return historyFrom != NO_HISTORY;
    }
  }

  /** The row under {@code key}, locked for the rest of the transaction; null if absent. */
  Current lock(Connection c, String namespace, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.lockCurrent)) {
      ps.setString(1, namespace);
      setKey(ps, 2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? current(rs, 1) : null;
      }
    }
  }

  /** The rows under {@code keys}, locked; absent keys are not in the map. */
  Map<String, Current> lockAll(Connection c, String namespace, Collection<String> keys) throws SQLException {
    Map<String, Current> out = new HashMap<>();
    eachByKey(c, sql.lockedRowsByKey, namespace, keys, NO_EXPIRY, rs -> out.put(getKey(rs, 1), current(rs, 2)));
    return out;
  }

  /** What a caller does with each row a statement returns. */
  @FunctionalInterface
  interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  /**
   * Hands the rows {@code read} returns under {@code keys} in {@code namespace} to {@code each},
   * in no particular order, a chunk of keys at a time.
   *
   * @param liveAt the time rows must be live at if {@code read} reads only live rows, else {@link #NO_EXPIRY}
   */
  void eachByKey(Connection c, Statements.ByKeys read, String namespace, Collection<String> keys, long liveAt,
      RowReader each) throws SQLException {
    List<String> all = new ArrayList<>(keys);
    for (int from = 0; from < all.size(); from += IN_CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
      try (PreparedStatement ps = c.prepareStatement(read.text(chunk.size()))) {
        bindByKeys(c, ps, namespace, chunk, liveAt);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            each.read(rs);
          }
        }
      }
    }
  }

  /** Binds the parameters of a {@link Statements.ByKeys}: the keys, the namespace, and the time if live rows only. */
  void bindByKeys(Connection c, PreparedStatement ps, String namespace, List<String> keys, long liveAt) throws SQLException {
    int i = 1;
    switch (dialect) {
      case POSTGRESQL:
        ps.setArray(i++, c.createArrayOf("text", keys.toArray()));
        break;
      case H2:
        Object[] bytes = new Object[keys.size()];
        for (int k = 0; k < bytes.length; k++) {
          bytes[k] = keys.get(k).getBytes(StandardCharsets.UTF_8);
        }
        ps.setObject(i++, bytes);
        break;
      default:
        for (String key : keys) {
          setKey(ps, i++, key);
        }
    }
    ps.setString(i++, namespace);
    if (liveAt != NO_EXPIRY) {
      ps.setLong(i, liveAt);
    }
  }

  /** A {@link Current} from the columns version, created_at, updated_at, expires_at, history_from, from {@code col} on. */
  private static Current current(ResultSet rs, int col) throws SQLException {
    return new Current(rs.getLong(col), rs.getLong(col + 1), rs.getLong(col + 2), getNullableLong(rs, col + 3),
        getNullableLong(rs, col + 4));
  }

  /** A namespace's default TTL and history depth, as writes need them; defaults if undeclared. */
  record WriteDefaults(Optional<Duration> defaultTtl, int maxVersions) {
    static final WriteDefaults DEFAULTS = new WriteDefaults(Optional.empty(), 0);
  }

  WriteDefaults writeDefaults(Connection c, String namespace) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.writeDefaults)) {
      ps.setString(1, namespace);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return WriteDefaults.DEFAULTS;
        }
        return new WriteDefaults(StoredFields.defaultTtl(getOptionalLong(rs, 1)), rs.getInt(2));
      }
    }
  }

  /**
   * The value history holds for {@code version}, or null: the history table's record of it if
   * there is one (an earlier version, or a restored record of the current one), else the entry
   * row's value if {@code version} is the current one.
   */
  Value historyValue(Connection c, String namespace, String key, long version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.historyValue)) {
      for (int i = 0; i < 6; i += 3) {
        ps.setString(i + 1, namespace);
        setKey(ps, i + 2, key);
        ps.setLong(i + 3, version);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Value.of(ValueType.valueOf(rs.getString(2)), rs.getBytes(3)) : null;
      }
    }
  }

  /**
   * The rule every write over a live entry follows, in one place; {@link PgWrites} states it in
   * SQL. History keeps the versions from {@code next - maxVersions} up to the one being replaced:
   * the replaced one moves into history if the namespace keeps any, and the records below that
   * (those the previous write kept, down to {@code historyFrom}) are deleted. Returns the new
   * entry's {@code history_from}.
   */
  static long historyFromAfter(Current replaced, int maxVersions) {
    if (maxVersions == 0) {
      return NO_HISTORY;
    }
    long keepFrom = replaced.version() + 1 - maxVersions;
    return Math.max(replaced.hasHistory() ? replaced.historyFrom() : replaced.version(), keepFrom);
  }

  /** Who wrote an entry's current version, how and why: the entry row's record of it. */
  record Head(ChangeType change, Principal by, Optional<String> reason) {}

  /** A history record; a principal or reason an earlier build stored is repaired, not refused. */
  static VersionRecord record(ResultSet rs, int first) throws SQLException {
    return new VersionRecord(rs.getLong(first), Value.of(ValueType.valueOf(rs.getString(first + 1)), rs.getBytes(first + 2)),
        ChangeType.valueOf(rs.getString(first + 3)), StoredFields.principal(rs.getString(first + 4)),
        Instant.ofEpochMilli(rs.getLong(first + 5)), StoredFields.reason(rs.getString(first + 6)));
  }

  /**
   * A namespace's settings; a row an earlier build stored under looser rules is repaired, not
   * refused, so that one such row cannot make every namespace unreadable.
   */
  static NamespaceSettings namespaceSettings(ResultSet rs, int first) throws SQLException {
    return StoredFields.namespaceSettings(rs.getString(first), rs.getString(first + 1), rs.getBoolean(first + 2),
        getOptionalLong(rs, first + 3), rs.getInt(first + 4));
  }

  // ------------------------------------------------------------------ writes

  /** The statements of one transaction, batched and run in a safe order by {@link #flush()}. */
  final class Writes implements AutoCloseable {
    private final Connection c;
    private PreparedStatement dropHistory;
    private PreparedStatement keepHead;
    private PreparedStatement deleteEntry;
    private PreparedStatement updateEntry;
    private PreparedStatement insertEntry;
    private PreparedStatement insertHistory;
    private PreparedStatement trimHistory;
    private PreparedStatement insertChange;
    private PreparedStatement nextRevision;
    /** The revisions {@link #writeEntry} took for rows whose change-log row is still to come. */
    private final java.util.Map<CacheKey, Long> pending = new java.util.HashMap<>();
    private int changeRows;

    Writes(Connection c) {
      this.c = c;
    }

    private PreparedStatement prepare(PreparedStatement ps, String text) throws SQLException {
      return ps != null ? ps : c.prepareStatement(text);
    }

    /** Deletes every history record of the key (its entry was deleted or expired). */
    void dropHistory(String namespace, String key) throws SQLException {
      dropHistory = prepare(dropHistory, sql.dropHistory);
      dropHistory.setString(1, namespace);
      setKey(dropHistory, 2, key);
      dropHistory.addBatch();
    }

    void deleteEntry(String namespace, String key, long version) throws SQLException {
      deleteEntry = prepare(deleteEntry, sql.deleteEntry);
      deleteEntry.setString(1, namespace);
      setKey(deleteEntry, 2, key);
      deleteEntry.setLong(3, version);
      deleteEntry.addBatch();
    }

    /**
     * Writes the entry, with {@code head} as the record of its version, over the row at {@code
     * oldVersion}, or inserts it when {@code oldVersion} is 0.
     *
     * @param historyFrom the lowest version the history table may hold for it, {@link #NO_HISTORY} if none
     */
    long writeEntry(Entry e, long oldVersion, Value value, Head head, long historyFrom) throws SQLException {
      long revision = nextRevision();
      pending.put(new CacheKey(e.namespace(), e.key()), revision);
      long expires = e.expiresAt().map(Instant::toEpochMilli).orElse(NO_EXPIRY);
      PreparedStatement ps;
      int i;
      if (oldVersion == 0) {
        insertEntry = prepare(insertEntry, sql.insertEntry);
        ps = insertEntry;
        setKey(ps, 1, e.key());
        i = 2;
      } else {
        updateEntry = prepare(updateEntry, sql.updateEntry);
        ps = updateEntry;
        i = 1;
      }
      ps.setString(i++, value.type().name());
      ps.setBytes(i++, value.bytes());
      ps.setLong(i++, e.version());
      ps.setLong(i++, e.createdAt().toEpochMilli());
      ps.setLong(i++, e.updatedAt().toEpochMilli());
      setNullableLong(ps, i++, expires);
      ps.setString(i++, Codec.metadataJson(e.metadata()));
      ps.setString(i++, Codec.tagsJson(e.tags()));
      ps.setLong(i++, revision);
      ps.setString(i++, head.change().name());
      ps.setString(i++, head.by().name());
      setNullableString(ps, i++, head.reason());
      setNullableLong(ps, i++, historyFrom);
      ps.setString(i++, e.namespace());
      if (oldVersion != 0) {
        setKey(ps, i++, e.key());
        ps.setLong(i, oldVersion);
      }
      ps.addBatch();
      return revision;
    }

    /**
     * Prepares a write over the live row {@code replaced}: moves its version into history if the
     * namespace keeps earlier versions (unless history already holds a record of it) and deletes
     * the records that fall out, as {@link #historyFromAfter} says. Returns the new row's {@code
     * history_from}.
     */
    long supersede(String namespace, String key, Current replaced, int maxVersions) throws SQLException {
      long keepFrom = replaced.version() + 1 - maxVersions;
      if (replaced.hasHistory() && replaced.historyFrom() < keepFrom) {
        trimHistory = prepare(trimHistory, sql.trimHistory);
        trimHistory.setString(1, namespace);
        setKey(trimHistory, 2, key);
        trimHistory.setLong(3, replaced.historyFrom());
        trimHistory.setLong(4, keepFrom);
        trimHistory.addBatch();
      }
      if (maxVersions > 0) {
        keepHead = prepare(keepHead, sql.keepHead);
        keepHead.setString(1, namespace);
        setKey(keepHead, 2, key);
        keepHead.setLong(3, replaced.version());
        keepHead.addBatch();
      }
      return historyFromAfter(replaced, maxVersions);
    }

    /** Records a version in history as given (a restore), trimming nothing. */
    void record(String namespace, String key, VersionRecord r) throws SQLException {
      insertRecord(namespace, key, r.version(), r.value(), r.change(), r.changedBy(), r.changedAt().toEpochMilli(),
          r.reason());
    }

    private void insertRecord(String namespace, String key, long version, Value value, ChangeType change, Principal by,
        long at, Optional<String> reason) throws SQLException {
      insertHistory = prepare(insertHistory, sql.insertHistory);
      PreparedStatement ps = insertHistory;
      ps.setString(1, namespace);
      setKey(ps, 2, key);
      ps.setLong(3, version);
      ps.setString(4, value.type().name());
      ps.setBytes(5, value.bytes());
      ps.setString(6, change.name());
      ps.setString(7, by.name());
      ps.setLong(8, at);
      setNullableString(ps, 9, reason);
      ps.addBatch();
    }

    /**
     * Appends a row to the change log, under the revision {@link #writeEntry} gave the key's row
     * if it wrote one, else under a new revision.
     *
     * @return the change's revision
     */
    long change(String namespace, String key, long version, ChangeType change, Principal by, long at) throws SQLException {
      Long revision = pending.remove(new CacheKey(namespace, key));
      return logRow(revision == null ? nextRevision() : revision, namespace, key, version, change.name(), by, at);
    }

    /**
     * The next revision, taken now: the entry row and its change-log row must carry the same
     * number, and the row is batched before the log row is. The sequence hands out numbers in
     * the order writes ask, not the order they commit; {@link JdbcStore#revision()} explains how
     * a read deals with that.
     */
    private long nextRevision() throws SQLException {
      nextRevision = prepare(nextRevision, sql.nextRevision);
      if (dialect == Dialect.SQLITE) {
        nextRevision.setString(1, changesName);
      }
      try (ResultSet rs = nextRevision.executeQuery()) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
      // SQLite makes the counter's row at the table's first insert; before it, this makes it.
      try (PreparedStatement ps = c.prepareStatement(sql.firstRevision)) {
        ps.setString(1, changesName);
        ps.executeUpdate();
      }
      return 1;
    }

    /**
     * A change-log row saying that the declaration of {@code namespace} changed: kind {@value
     * Db#NAMESPACE_CHANGE}, empty key, version 0. Change feeds tell namespace watchers of it
     * instead of entry listeners.
     */
    void namespaceChange(String namespace, Principal by, long at) throws SQLException {
      logRow(nextRevision(), namespace, "", 0, NAMESPACE_CHANGE, by, at);
    }

    private long logRow(long revision, String namespace, String key, long version, String change, Principal by, long at)
        throws SQLException {
      insertChange = prepare(insertChange, sql.insertChange);
      PreparedStatement ps = insertChange;
      ps.setLong(1, revision);
      ps.setString(2, origin);
      ps.setString(3, namespace);
      ps.setString(4, key);
      ps.setLong(5, version);
      ps.setString(6, change);
      ps.setString(7, by.name());
      ps.setLong(8, at);
      ps.addBatch();
      changeRows++;
      return revision;
    }

    /**
     * Runs every batched statement; a row that moved meanwhile makes the transaction retry. A
     * replaced version is copied into history before its row is written over.
     */
    void flush() throws SQLException {
      run(dropHistory, false);
      run(keepHead, false);
      run(deleteEntry, true);
      run(updateEntry, true);
      run(insertEntry, false);
      run(insertHistory, false);
      run(trimHistory, false);
      run(insertChange, false);
      if (changeRows > 0 && dialect == Dialect.POSTGRESQL) {
        try (PreparedStatement ps = c.prepareStatement(sql.notify)) {
          ps.setString(1, channel);
          ps.executeQuery().close();
        }
      }
    }

    private void run(PreparedStatement ps, boolean eachOne) throws SQLException {
      if (ps == null) {
        return;
      }
      int[] counts = ps.executeBatch();
      if (eachOne) {
        for (int n : counts) {
          if (n == 0) {
            throw new SQLException("a row changed after it was read", "40001");
          }
        }
      }
    }

    @Override
    public void close() throws SQLException {
      for (PreparedStatement ps : new PreparedStatement[] {dropHistory, keepHead, deleteEntry, updateEntry, insertEntry, insertHistory,
          trimHistory, insertChange, nextRevision}) {
        if (ps != null) {
          ps.close();
        }
      }
    }
  }
}
