package io.kv.jdbc;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every SQL text a store runs on its tables, built once from its dialect and table names, so that
 * an operation prepares a string it did not have to assemble: this saves the concatenation on
 * every call, and lets a driver's per-connection statement cache (pgjdbc's) find the same string
 * each time. The one-statement writes of PostgreSQL live in {@link PgWrites}, which builds them
 * once in the same way; the schema's DDL lives in the dialect's script. Identifiers come from the
 * checked prefix and schema, never from input; every value is a bind parameter. Immutable and
 * thread-safe (the only mutable part is a cache of identical strings).
 */
final class Statements {
  /** The columns {@link Db#entry} reads, in its order. */
  static final String ENTRY_COLS =
      "entry_key, value_type, value_bytes, version, created_at, updated_at, expires_at, metadata, tags, revision";
  /** {@link #ENTRY_COLS} and the entry row's record of its own version, as written. */
  static final String ENTRY_ROW_COLS = ENTRY_COLS + ", change, principal, reason, history_from";
  /** The columns {@link Db#record} reads, of the history table under the alias {@code h}. */
  static final String HISTORY_COLS = "h.version, h.value_type, h.value_bytes, h.change, h.principal, h.changed_at, h.reason";
  private static final String LIVE = " AND (expires_at IS NULL OR expires_at > ?)";
  private static final String NAMESPACE_COLS =
      "name, description, owner, secret, default_ttl_ms, max_versions, created_at, updated_at";
  private static final String HISTORY_ROW_COLS =
      "namespace, entry_key, version, value_type, value_bytes, change, principal, changed_at, reason";

  // ------------------------------------------------------------------ entry reads

  /** The live entry under a key: namespace, key, now. */
  final String get;
  /** A page of a listing, by {@link #listPage(boolean, boolean)}. */
  private final String[] listPages = new String[4];
  /** How many live entries a namespace holds: namespace, now. */
  final String count;
  /** A live entry's versions, the entry row's first: (namespace, key, now) twice. */
  final String history;
  /** The entry row under a key, expired or not, locked: namespace, key. */
  final String lockedEntry;
  /** Every history record of a key, newest first: namespace, key. */
  final String historyRecords;
  /** Live entries by key, as {@link Db#entry} reads them. */
  final ByKeys liveEntriesByKey;
  /** The rows a bulk write replaces, locked: key and what {@link Db.Current} holds. */
  final ByKeys lockedRowsByKey;

  // ------------------------------------------------------------------ what writes read

  /** What a write needs of the row it replaces, locked: namespace, key. */
  final String lockCurrent;
  /** A namespace's default TTL and history depth: name. */
  final String writeDefaults;
  /** The value history holds for a version, its own record first: (namespace, key, version) twice. */
  final String historyValue;

  // ------------------------------------------------------------------ entry writes, in Db.Writes

  /** namespace, key. */
  final String dropHistory;
  /** namespace, key, version. */
  final String deleteEntry;
  /** {@link #ENTRY_ROW_COLS}, namespace. */
  final String insertEntry;
  /** {@link #ENTRY_ROW_COLS} but the key, then namespace, key, the version written over. */
  final String updateEntry;
  /** namespace, key, the lowest and the first kept version. */
  final String trimHistory;
  /** Copies the entry row's version into history unless it holds a record of it: namespace, key, version. */
  final String keepHead;
  /** {@link #HISTORY_ROW_COLS}. */
  final String insertHistory;
  /** seq, origin, namespace, entry_key, version, change, principal, changed_at. */
  final String insertChange;
  /**
   * Takes the next revision (change-log seq) for a write about to be made: nothing on PostgreSQL
   * and H2 (their sequence); on SQLite, the table's name in {@code sqlite_sequence}, whose counter
   * it moves under the write lock the transaction holds. A row answers with the number; on
   * SQLite no row means the counter has no row yet ({@link #firstRevision} makes it).
   */
  final String nextRevision;
  /** SQLite: starts the table's counter at 1: the table's name. Null elsewhere. */
  final String firstRevision;
  /** The newest change-log rows, newest first: seq and changed_at of at most {@link #RECENT_CHANGES}. */
  final String recentChanges;
  /** The lowest seq the change log still holds, null when it is empty. */
  final String oldestChange;
  /** Wakes the change feeds listening on a channel: the channel. PostgreSQL only. */
  final String notify = "SELECT pg_notify(?, '')";

  // ------------------------------------------------------------------ rewrites

  /** type, bytes, namespace, key, version. */
  final String rewriteEntryValue;
  /** type, bytes, namespace, key, version. */
  final String rewriteHistoryValue;

  // ------------------------------------------------------------------ namespaces

  /** {@link #NAMESPACE_COLS}. */
  final String insertNamespace;
  /** A namespace's row: name. */
  final String namespace;
  /** A namespace's row, locked: name. */
  final String lockedNamespace;
  /** Every namespace's row. */
  final String allNamespaces;
  /** description, owner, secret, default TTL, max versions, updated_at, name. */
  final String updateNamespace;
  /** The entries of a namespace in key order, locked, as its deletion needs them: namespace. */
  final String lockedNamespaceEntries;
  /** namespace. */
  final String deleteNamespaceHistory;
  /** namespace. */
  final String deleteNamespaceEntries;
  /** name. */
  final String deleteNamespace;

  // ------------------------------------------------------------------ sweeping

  /** Rows due by a time, soonest first, through the expires_at index: the time, the most rows. */
  final String selectDue;
  /**
   * A due row if it still has the version and expiry it was selected with, and a history only if
   * it had one then: namespace, key, version, expiry, whether it had a history.
   */
  final String deleteDue;
  /** Change-log rows older than a time, oldest first: the time, the most rows. */
  final String pruneChanges;

  /** How many of the newest change-log rows {@link #recentChanges} reads. */
  static final int RECENT_CHANGES = 256;

  Statements(Dialect dialect, String namespaces, String entries, String history, String changes, String revisions) {
    String forUpdate = dialect.forUpdate();
    String byKey = " WHERE namespace = ? AND entry_key = ?";

    this.get = "SELECT " + ENTRY_COLS + " FROM " + entries + byKey + LIVE;
    for (int page = 0; page < listPages.length; page++) {
      boolean after = (page & 1) != 0;
      boolean upper = (page & 2) != 0;
      listPages[page] = "SELECT " + ENTRY_COLS + " FROM " + entries + " WHERE namespace = ? AND entry_key "
          + (after ? "> ?" : ">= ?") + (upper ? " AND entry_key < ?" : "") + LIVE + " ORDER BY entry_key LIMIT ?";
    }
    this.count = "SELECT COUNT(*) FROM " + entries + " WHERE namespace = ?" + LIVE;
    // The current version's record from the entry row, the earlier ones from the history table.
    // A record the history table holds of the current version (a restore gave one that differs
    // from the entry) comes first in the order and stands for it.
    String liveEntry = " WHERE e.namespace = ? AND e.entry_key = ? AND (e.expires_at IS NULL OR e.expires_at > ?)";
    this.history = "SELECT 0 AS src, e.version, e.value_type, e.value_bytes, e.change,"
        + " e.principal, e.updated_at, e.reason FROM " + entries + " e" + liveEntry
        + " UNION ALL SELECT 1 AS src, " + HISTORY_COLS + " FROM " + entries + " e JOIN " + history
        + " h ON h.namespace = e.namespace AND h.entry_key = e.entry_key" + liveEntry + " AND e.history_from IS NOT NULL"
        + " ORDER BY 2 DESC, 1 DESC";
    this.lockedEntry = "SELECT " + ENTRY_COLS + " FROM " + entries + byKey + forUpdate;
    this.historyRecords = "SELECT " + HISTORY_COLS + " FROM " + history
        + " h WHERE h.namespace = ? AND h.entry_key = ? ORDER BY h.version DESC";
    this.liveEntriesByKey = new ByKeys(dialect, entries, ENTRY_COLS, true, false);
    this.lockedRowsByKey = new ByKeys(dialect, entries, "entry_key, version, created_at, updated_at, expires_at, history_from",
        false, true);

    this.lockCurrent = "SELECT version, created_at, updated_at, expires_at, history_from FROM " + entries + byKey + forUpdate;
    this.writeDefaults = "SELECT default_ttl_ms, max_versions FROM " + namespaces + " WHERE name = ?";
    this.historyValue = "SELECT 1 AS src, value_type, value_bytes FROM " + history + byKey + " AND version = ?"
        + " UNION ALL SELECT 0 AS src, value_type, value_bytes FROM " + entries + byKey + " AND version = ? ORDER BY 1 DESC";

    this.dropHistory = "DELETE FROM " + history + byKey;
    this.deleteEntry = "DELETE FROM " + entries + byKey + " AND version = ?";
    this.insertEntry = "INSERT INTO " + entries + " (" + ENTRY_ROW_COLS + ", namespace) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    this.updateEntry = "UPDATE " + entries + " SET value_type = ?, value_bytes = ?, version = ?,"
        + " created_at = ?, updated_at = ?, expires_at = ?, metadata = ?, tags = ?, revision = ?, change = ?, principal = ?,"
        + " reason = ?, history_from = ?" + byKey + " AND version = ?";
    this.trimHistory = "DELETE FROM " + history + byKey + " AND version >= ? AND version < ?";
    this.keepHead = "INSERT INTO " + history + " (" + HISTORY_ROW_COLS + ")"
        + " SELECT e.namespace, e.entry_key, e.version, e.value_type, e.value_bytes, e.change, e.principal, e.updated_at,"
        + " e.reason FROM " + entries + " e WHERE e.namespace = ? AND e.entry_key = ? AND e.version = ?"
        + " AND NOT EXISTS (SELECT 1 FROM " + history + " h WHERE h.namespace = e.namespace"
        + " AND h.entry_key = e.entry_key AND h.version = e.version)";
    this.insertHistory = "INSERT INTO " + history + " (" + HISTORY_ROW_COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    this.insertChange = "INSERT INTO " + changes
        + " (seq, origin, namespace, entry_key, version, change, principal, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    switch (dialect) {
      case POSTGRESQL:
        this.nextRevision = "SELECT nextval('" + revisions + "')";
        this.firstRevision = null;
        break;
      case H2:
        this.nextRevision = "SELECT NEXT VALUE FOR " + revisions;
        this.firstRevision = null;
        break;
      default:
        this.nextRevision = "UPDATE " + revisions + " SET seq = seq + 1 WHERE name = ? RETURNING seq";
        this.firstRevision = "INSERT INTO " + revisions + " (name, seq) VALUES (?, 1)";
    }
    this.recentChanges = "SELECT seq, changed_at FROM " + changes + " ORDER BY seq DESC LIMIT " + RECENT_CHANGES;
    this.oldestChange = "SELECT MIN(seq) FROM " + changes;

    String setValue = " SET value_type = ?, value_bytes = ?" + byKey + " AND version = ?";
    this.rewriteEntryValue = "UPDATE " + entries + setValue;
    this.rewriteHistoryValue = "UPDATE " + history + setValue;

    this.insertNamespace = "INSERT INTO " + namespaces + " (" + NAMESPACE_COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    this.namespace = "SELECT " + NAMESPACE_COLS + " FROM " + namespaces + " WHERE name = ?";
    this.lockedNamespace = namespace + forUpdate;
    this.allNamespaces = "SELECT " + NAMESPACE_COLS + " FROM " + namespaces;
    this.updateNamespace = "UPDATE " + namespaces
        + " SET description = ?, owner = ?, secret = ?, default_ttl_ms = ?, max_versions = ?, updated_at = ? WHERE name = ?";
    // In key order, so the change log and the events list a namespace's entries the same way every time.
    this.lockedNamespaceEntries = "SELECT entry_key, version, expires_at FROM " + entries
        + " WHERE namespace = ? ORDER BY entry_key" + forUpdate;
    this.deleteNamespaceHistory = "DELETE FROM " + history + " WHERE namespace = ?";
    this.deleteNamespaceEntries = "DELETE FROM " + entries + " WHERE namespace = ?";
    this.deleteNamespace = "DELETE FROM " + namespaces + " WHERE name = ?";

    this.selectDue = "SELECT namespace, entry_key, version, expires_at, history_from FROM " + entries
        + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ?";
    this.deleteDue = "DELETE FROM " + entries + byKey + " AND version = ? AND expires_at = ? AND (history_from IS NULL OR ?)";
    this.pruneChanges = "DELETE FROM " + changes + " WHERE seq IN (SELECT seq FROM " + changes
        + " WHERE changed_at < ? ORDER BY seq LIMIT ?)";
  }

  /**
   * A page of live entries in key order: namespace, the prefix or the key it follows, the first
   * key past the prefix if {@code upper}, now, the most entries.
   *
   * @param after whether the page starts after a key rather than at the prefix
   * @param upper whether the prefix has an upper bound
   */
  String listPage(boolean after, boolean upper) {
    return listPages[(after ? 1 : 0) + (upper ? 2 : 0)];
  }

  /**
   * A read of rows by key, run by {@link Db#eachByKey}: the keys, the namespace, and the time if
   * {@link #live}. Its cost must follow the number of keys, never the size of the namespace, even
   * on a table the planner has no statistics of yet (a new store's first bulk write): an IN list
   * on the key leaves PostgreSQL and H2 free to read every index entry of the namespace and
   * filter, which their planners do when they underestimate the namespace. So each key is looked
   * up on its own through the primary key: on PostgreSQL a lateral subquery per key (a LIMIT
   * keeps it from being flattened into a join the planner could hash), in key order, which is the
   * order rows are locked in; on H2 a join from the unnested keys, which H2 runs as one index
   * lookup per key; SQLite's planner already turns the IN list into one lookup per key.
   */
  static final class ByKeys {
    /** Whether only live rows are read, so that the time is bound last. */
    final boolean live;
    /** The text for any number of keys; null on SQLite, whose text depends on it. */
    private final String any;
    private final String head;
    private final String tail;
    /** SQLite's texts by the number of keys, built once each: a chunk has one of few sizes. */
    private final AtomicReferenceArray<String> bySize;

    ByKeys(Dialect dialect, String entries, String columns, boolean live, boolean lock) {
      this.live = live;
      String liveCondition = live ? LIVE : "";
      switch (dialect) {
        case POSTGRESQL:
          any = "SELECT e.* FROM (SELECT k FROM unnest(CAST(? AS text[])) AS u (k) ORDER BY k COLLATE \"C\") AS u"
              + " CROSS JOIN LATERAL (SELECT " + columns + " FROM " + entries + " WHERE namespace = ? AND entry_key = u.k"
              + liveCondition + " LIMIT 1" + (lock ? " FOR UPDATE" : "") + ") AS e";
          break;
        case H2:
          any = "SELECT " + columns + " FROM UNNEST(CAST(? AS VARBINARY ARRAY)) AS u (k) JOIN " + entries
              + " ON namespace = ? AND entry_key = u.k" + liveCondition + (lock ? " FOR UPDATE" : "");
          break;
        default:
          any = null;
      }
      this.head = "SELECT " + columns + " FROM " + entries + " WHERE entry_key IN (";
      this.tail = ") AND namespace = ?" + liveCondition + (lock ? dialect.forUpdate() : "");
      this.bySize = any == null ? new AtomicReferenceArray<>(Db.IN_CHUNK + 1) : null;
    }

    /**
     * The text for {@code n} keys.
     *
     * @param n how many keys, 1 to {@link Db#IN_CHUNK}
     */
    String text(int n) {
      if (any != null) {
        return any;
      }
      String sql = bySize.get(n);
      if (sql == null) {
        // Two threads may build the same string; either copy is right.
        sql = head + marks(n) + tail;
        bySize.set(n, sql);
      }
      return sql;
    }

    private static String marks(int n) {
      StringBuilder sb = new StringBuilder(n * 2);
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "?" : ",?");
      }
      return sb.toString();
    }
  }
}
