package io.kv.jdbc;

import io.kv.ChangeType;
import io.kv.Principal;
import io.kv.Transaction;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.spi.Expiry;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The common entry writes on PostgreSQL, each as one statement whose data-modifying CTEs do the
 * whole write: read the namespace's default TTL and history depth, write the entry with the
 * record of its version, move the version it replaces into history and delete the records that
 * fall out (both only where history is kept or left over), append the change-log row and notify
 * the change channel. A single write runs in autocommit, so it costs one round trip; {@code
 * putAll} runs one statement over array parameters ({@code unnest}) and its commit, and so does a
 * transaction, whose statement first locks every key it names and checks its compares, and writes
 * only if they all hold; a transaction of puts alone, with nothing to check, leaves the locking to
 * its upsert.
 *
 * <p>A put in a namespace that kept no earlier versions at its last write here runs a smaller
 * statement that leaves out the history CTEs and the snapshot's row (measured: about a third of
 * what the full statement costs beyond a bare upsert, even when they find nothing to do): it
 * writes only if the namespace still keeps no earlier versions and the row it locks has no
 * history, and otherwise writes nothing, so that the full statement runs next. A transaction of
 * puts does the same, and falls back to the general path. The hint is per namespace and never
 * decides a write, only which statement is tried first.
 *
 * <p>A statement writes only in the common case and otherwise writes nothing and reports what it
 * saw, so that the caller throws the exception the general path would, or runs the general path
 * ({@code SELECT ... FOR UPDATE} and one statement per table): when the row it would write over
 * has expired (it must be expired in place first), when the default TTL is out of range (the
 * general path throws), and when the row changed between the statement's snapshot and the moment
 * it locked the row. In READ COMMITTED, the CTEs that trim or drop history see the snapshot taken
 * when the statement started, while the entry's row is locked and written as it is at the time of
 * writing; so a statement writes over a row only if it is the very row version of its snapshot
 * ({@code xmin} unchanged), which makes the snapshot's history of the key the current one.
 *
 * <p>Thread-safe: the statements are immutable, the hints a concurrent map.
 */
final class PgWrites {
  /** The kinds of single writes done here; rollback to a history version is not. */
  enum Kind { PUT, CREATE, UPDATE, COMPARE_AND_SET }

  /**
   * What a single-write statement saw and did.
   *
   * @param at the time of the write, as the store's clock gave it
   * @param settingsOk whether the namespace's default TTL (if used) is in range
   * @param seenVersion the version of the row in the statement's snapshot, 0 if there was none
   * @param seenExpiresAt that row's expiry, {@link Db#NO_EXPIRY} if none
   * @param version the version written, 0 if nothing was written
   * @param createdAt the written entry's creation time
   * @param updatedAt the written entry's update time: {@code at}, or the replaced version's if later
   * @param expiresAt the written entry's expiry, {@link Db#NO_EXPIRY} if none
   * @param revision the written entry's revision, 0 if nothing was written
   */
  record Written(long at, boolean settingsOk, long seenVersion, long seenExpiresAt, long version, long createdAt,
      long updatedAt, long expiresAt, long revision) {
    boolean seenLiveAt(long now) {
      return seenVersion > 0 && (seenExpiresAt == Db.NO_EXPIRY || seenExpiresAt > now);
    }
  }

  /**
   * What a delete statement saw and did.
   *
   * @param seenVersion the version of the row in the statement's snapshot, 0 if there was none
   * @param seenExpiresAt that row's expiry, {@link Db#NO_EXPIRY} if none
   * @param deleted the version deleted, 0 if nothing was deleted
   * @param revision the deletion's revision, 0 if nothing was deleted
   */
  record Deleted(long seenVersion, long seenExpiresAt, long deleted, long revision) {
    boolean seenLiveAt(long now) {
      return seenVersion > 0 && (seenExpiresAt == Db.NO_EXPIRY || seenExpiresAt > now);
    }
  }

  /** One entry a bulk statement wrote. */
  record Row(long version, long createdAt, long updatedAt, long expiresAt, long revision) {}

  /**
   * What a transaction statement saw and did.
   *
   * @param fresh whether every row it locked was the row of its snapshot; if not, it wrote nothing
   * @param applied whether every check held so that it wrote; a put over a row another
   *     transaction inserted meanwhile is still left out of {@code written}
   * @param locked the rows it locked, by key
   * @param written the entries it wrote, by key
   * @param deleted the entries it deleted, by key: the version deleted and the deletion's revision
   */
  record Transacted(boolean fresh, boolean applied, Map<String, Locked> locked, Map<String, Row> written,
      Map<String, Row> deleted) {
    /** The live version of {@code key} at {@code now}, 0 if it has no live entry. */
    long liveVersion(String key, long now) {
      Locked row = locked.get(key);
      return row == null || (row.expiresAt() != Db.NO_EXPIRY && row.expiresAt() <= now) ? 0 : row.version();
    }
  }

  /** A row a transaction statement locked: its version and expiry ({@link Db#NO_EXPIRY} if none). */
  record Locked(long version, long expiresAt) {}

  private final String origin;
  private final String channel;
  private final Map<Kind, Named> writes = new HashMap<>();
  private final Named delete;
  private final Named deleteIfVersion;
  private final Named putAll;
  private final Named plainPut;
  private final Named transaction;
  private final Named putsOnly;
  private final Named plainPutsOnly;
  /**
   * Whether each namespace kept earlier versions at its last put or transaction here: a hint that
   * picks which put or puts-only transaction statement to try first. Each statement checks the
   * namespace's settings itself, so a stale hint costs a second statement (or the general path),
   * never a wrong write.
   */
  private final Map<String, Boolean> keepsHistory = new ConcurrentHashMap<>();

  PgWrites(Db db, String origin) {
    this.origin = origin;
    this.channel = db.channel;
    // The entry row takes its revision from the change log's sequence and the log row is written
    // under the same number, so that both say the same revision.
    String nextRevision = "nextval('" + db.revisions + "')";
    String settings = "s AS (SELECT COALESCE(:own_expiry, :now + n.default_ttl_ms) AS expires_at,"
        + " COALESCE(n.max_versions, 0) AS max_versions,"
        + " (:own_expiry IS NOT NULL OR n.default_ttl_ms IS NULL OR n.default_ttl_ms BETWEEN 1 AND :max_ttl) AS ok"
        + " FROM (VALUES (1)) AS one (x) LEFT JOIN " + db.namespaces + " n ON n.name = :ns)";
    String seen = "seen AS (SELECT xmin AS xm, version, expires_at, value_type, value_bytes, change, principal, updated_at,"
        + " reason, history_from FROM " + db.entries + " WHERE namespace = :ns AND entry_key = :key)";
    // The entry row's history_from after a write over the row e: Db.historyFromAfter in SQL.
    String max = "(SELECT max_versions FROM s)";
    String historyFrom = "CASE WHEN " + max + " > 0 THEN GREATEST(COALESCE(e.history_from, e.version), e.version + 1 - "
        + max + ") END";
    String insert = "INSERT INTO " + db.entries + " AS e (namespace, " + Statements.ENTRY_ROW_COLS + ")"
        + " SELECT :ns, :key, :type, :bytes, 1, :now, :now, s.expires_at, :metadata, :tags, " + nextRevision
        + ", 'CREATED', :principal, :reason,"
        + " NULL FROM s WHERE s.ok";
    // updated_at never goes back, whatever the clock did: io.kv.spi.WriteTimes.updatedAt, in SQL.
    String overwriteRow = " ON CONFLICT (namespace, entry_key) DO UPDATE SET value_type = EXCLUDED.value_type,"
        + " value_bytes = EXCLUDED.value_bytes, version = e.version + 1, updated_at = GREATEST(EXCLUDED.updated_at, e.updated_at),"
        + " expires_at = EXCLUDED.expires_at, metadata = EXCLUDED.metadata, tags = EXCLUDED.tags, change = :change,"
        + " principal = EXCLUDED.principal, reason = EXCLUDED.reason, revision = EXCLUDED.revision";
    String overwriteLive = " WHERE (e.expires_at IS NULL OR e.expires_at > EXCLUDED.updated_at)";
    String overwrite = overwriteRow + ", history_from = " + historyFrom + overwriteLive;
    String update = "UPDATE " + db.entries + " AS e SET value_type = :type, value_bytes = :bytes, version = e.version + 1,"
        + " updated_at = GREATEST(:now, e.updated_at), expires_at = s.expires_at, metadata = :metadata, tags = :tags, change = :change,"
        + " revision = " + nextRevision + ", principal = :principal, reason = :reason, history_from = " + historyFrom + " FROM s, seen"
        + " WHERE e.namespace = :ns AND e.entry_key = :key AND e.xmin = seen.xm AND s.ok"
        + " AND (e.expires_at IS NULL OR e.expires_at > :now)";
    String returning = " RETURNING e.version, e.created_at, e.updated_at, e.expires_at, e.revision";
    String kind = "CASE WHEN up.version = 1 THEN 'CREATED' ELSE :change END";
    // The row written over is the snapshot's (seen): its version moves into history if the
    // namespace keeps any (a record history already holds of it, from a restore, stays), and the
    // records from its history_from up to what the namespace keeps are deleted.
    String rest = ", h AS (INSERT INTO " + db.history
        + " (namespace, entry_key, version, value_type, value_bytes, change, principal, changed_at, reason)"
        + " SELECT :ns, :key, seen.version, seen.value_type, seen.value_bytes, seen.change, seen.principal, seen.updated_at,"
        + " seen.reason FROM up, seen, s WHERE up.version = seen.version + 1 AND s.max_versions > 0 ON CONFLICT DO NOTHING)"
        + ", t AS (DELETE FROM " + db.history + " WHERE namespace = :ns AND entry_key = :key"
        + " AND version >= (SELECT seen.history_from FROM up, seen WHERE up.version = seen.version + 1)"
        + " AND version < (SELECT up.version - s.max_versions FROM up, s))"
        + ", ch AS (INSERT INTO " + db.changes + " (seq, origin, namespace, entry_key, version, change, principal, changed_at)"
        + " SELECT up.revision, :origin, :ns, :key, up.version, " + kind + ", :principal, :now FROM up"
        + " RETURNING pg_notify(:channel, ''))"
        + " SELECT s.ok, seen.version, seen.expires_at, up.version, up.created_at, up.expires_at,"
        + " s.max_versions, up.updated_at, up.revision FROM s LEFT JOIN seen ON true LEFT JOIN up ON true";
    String head = "WITH " + settings + ", " + seen + ", up AS (";
    writes.put(Kind.PUT, Named.parse(head + insert + overwrite + " AND e.xmin = (SELECT xm FROM seen)" + returning + ")" + rest));
    writes.put(Kind.CREATE, Named.parse(head + insert + " ON CONFLICT (namespace, entry_key) DO NOTHING" + returning + ")" + rest));
    writes.put(Kind.UPDATE, Named.parse(head + update + returning + ")" + rest));
    writes.put(Kind.COMPARE_AND_SET, Named.parse(head + update + " AND e.version = :expected" + returning + ")" + rest));
    // A put in a namespace keeping no earlier versions, over a row without history: the entry,
    // the change log and nothing else. It writes only if both still hold; the row it locks
    // decides, so no snapshot is involved. It returns the written row or no row, and nothing
    // else, so that PostgreSQL sets up as few plan nodes as it can on each execution (most of
    // what a cached plan costs beyond the raw upsert's): s, read once, is folded into the
    // insert, and the notification is the change-log insert's RETURNING, which runs whether or
    // not anything reads it.
    this.plainPut = Named.parse("WITH " + settings + ", up AS (" + insert + " AND s.max_versions = 0" + overwriteRow
        + overwriteLive + " AND e.history_from IS NULL" + returning + ")"
        + ", ch AS (INSERT INTO " + db.changes + " (seq, origin, namespace, entry_key, version, change, principal, changed_at)"
        + " SELECT up.revision, :origin, :ns, :key, up.version, " + kind + ", :principal, :now FROM up"
        + " RETURNING pg_notify(:channel, ''))"
        + " SELECT up.version, up.created_at, up.expires_at, up.updated_at, up.revision FROM up");

    String deleteSeen = "seen AS (SELECT xmin AS xm, version, expires_at FROM " + db.entries
        + " WHERE namespace = :ns AND entry_key = :key)";
    String deleteHead = "WITH " + deleteSeen + ", d AS (DELETE FROM " + db.entries + " AS e USING seen"
        + " WHERE e.namespace = :ns AND e.entry_key = :key AND e.xmin = seen.xm AND (e.expires_at IS NULL OR e.expires_at > :now)";
    String deleteRest = " RETURNING e.version, e.history_from)"
        + ", h AS (DELETE FROM " + db.history + " WHERE namespace = :ns AND entry_key = :key"
        + " AND version >= (SELECT history_from FROM d))"
        + ", ch AS (INSERT INTO " + db.changes + " (origin, namespace, entry_key, version, change, principal, changed_at)"
        + " SELECT :origin, :ns, :key, d.version, 'DELETED', :principal, :now FROM d RETURNING seq, pg_notify(:channel, ''))"
        + " SELECT seen.version, seen.expires_at, d.version, (SELECT seq FROM ch)"
        + " FROM (VALUES (1)) AS one (x) LEFT JOIN seen ON true LEFT JOIN d ON true";
    this.delete = Named.parse(deleteHead + deleteRest);
    this.deleteIfVersion = Named.parse(deleteHead + " AND e.version = :expected" + deleteRest);

    String bulkKind = "CASE WHEN up.version = 1 THEN 'CREATED' ELSE 'UPDATED' END";
    // Written over only if the row is the snapshot's (see the class comment); a row another
    // transaction inserted after the snapshot is not, so its key is left out of up.
    String bulkReturning = " RETURNING e.entry_key, e.version, e.created_at, e.expires_at, e.updated_at, e.revision";
    String overwriteSeen = overwrite + " AND e.xmin = (SELECT x.xmin FROM " + db.entries + " AS x"
        + " WHERE x.namespace = EXCLUDED.namespace AND x.entry_key = EXCLUDED.entry_key)" + bulkReturning + ")";
    // The rows written over, as the snapshot holds them (the statement's own writes are not in it),
    // each looked up by its key: a lateral subquery with a LIMIT is not flattened into a join,
    // which the planner could run as a hash join over the whole namespace (see Statements.ByKeys).
    String bulkHistory = ", o AS (SELECT x.* FROM up CROSS JOIN LATERAL (SELECT entry_key, version, value_type, value_bytes, change,"
        + " principal, updated_at, reason, history_from FROM " + db.entries + " WHERE namespace = :ns"
        + " AND entry_key = up.entry_key AND version = up.version - 1 LIMIT 1) AS x"
        + " WHERE up.version > 1 AND (" + max + " > 0 OR x.history_from IS NOT NULL))"
        + ", h AS (INSERT INTO " + db.history
        + " (namespace, entry_key, version, value_type, value_bytes, change, principal, changed_at, reason)"
        + " SELECT :ns, o.entry_key, o.version, o.value_type, o.value_bytes, o.change, o.principal, o.updated_at, o.reason"
        + " FROM o, s WHERE s.max_versions > 0 ON CONFLICT DO NOTHING)"
        // The records that fall out, found per key like o and deleted by row address, so that no
        // join between o and the history table is left for the planner to choose. FOR UPDATE
        // returns the address of a record's newest version if another transaction rewrote it
        // after this statement's snapshot, which a delete by the old address would miss.
        + ", t AS (DELETE FROM " + db.history + " WHERE ctid = ANY (ARRAY(SELECT y.ctid FROM o CROSS JOIN s"
        + " CROSS JOIN LATERAL (SELECT ctid FROM " + db.history + " WHERE namespace = :ns AND entry_key = o.entry_key"
        + " AND version >= o.history_from AND version < o.version + 1 - s.max_versions OFFSET 0 FOR UPDATE) AS y)))";
    String changeCols = ", ch AS (INSERT INTO " + db.changes
        + " (seq, origin, namespace, entry_key, version, change, principal, changed_at)";
    String notifyOnce = ", nt AS (SELECT pg_notify(:channel, '') FROM (SELECT 1 FROM ch LIMIT 1) AS one (x))";
    this.putAll = Named.parse("WITH " + settings
        + ", v AS (SELECT * FROM unnest(CAST(:keys AS text[]), CAST(:types AS text[]), CAST(:values AS bytea[]))"
        + " WITH ORDINALITY AS v (entry_key, value_type, value_bytes, ord))"
        + ", up AS (INSERT INTO " + db.entries + " AS e (namespace, " + Statements.ENTRY_ROW_COLS + ")"
        + " SELECT :ns, v.entry_key, v.value_type, v.value_bytes, 1, :now, :now, s.expires_at, :metadata, :tags, " + nextRevision
        + ", 'CREATED',"
        + " :principal, :reason, NULL FROM v, s WHERE s.ok ORDER BY v.entry_key COLLATE \"C\"" // one lock order for every bulk write
        + overwriteSeen + bulkHistory + changeCols
        + " SELECT up.revision, :origin, :ns, up.entry_key, up.version, " + bulkKind + ", :principal, :now"
        + " FROM up JOIN v ON v.entry_key = up.entry_key ORDER BY v.ord RETURNING 1)" + notifyOnce
        + " SELECT up.entry_key, up.version, up.created_at, up.expires_at, (SELECT count(*) FROM nt), up.updated_at,"
        + " up.revision FROM s LEFT JOIN up ON true");
    this.transaction = Named.parse(transactionSql(db, nextRevision, overwriteSeen, bulkHistory, changeCols, notifyOnce));
    this.putsOnly = Named.parse(putsOnlySql(nextRevision, db, "", overwriteSeen + bulkHistory, changeCols, notifyOnce));
    // The transaction of puts in a namespace keeping no earlier versions, over rows without
    // history, as plainPut is the put: no history CTEs, and no snapshot to compare the rows with,
    // since nothing reads it. A key whose row it may not write over is left out, which sends the
    // transaction to the general path, and so does a namespace that keeps versions now.
    this.plainPutsOnly = Named.parse(putsOnlySql(nextRevision, db, " WHERE s.max_versions = 0",
        overwriteRow + overwriteLive + " AND e.history_from IS NULL" + bulkReturning + ")", changeCols, notifyOnce));
  }

  /**
   * A transaction's puts (v), each under its revision from r, written in key order, followed by
   * {@code rest}: the upsert's conflict clause and the CTEs after it (for history: o, h, t).
   *
   * @param keys the name of the parameter that lists the keys put
   * @param filter a condition on s that every put needs, as a WHERE clause, or empty
   */
  private static String transactionPuts(Db db, String keys, String filter, String rest) {
    return ", v AS (SELECT * FROM unnest(CAST(:" + keys + " AS text[]), CAST(:types AS text[]), CAST(:values AS bytea[]),"
        + " CAST(:expiries AS bigint[]), CAST(:metadata AS text[]), CAST(:tags AS text[]), CAST(:reasons AS text[]))"
        + " AS v (entry_key, value_type, value_bytes, own_expiry, metadata, tags, reason))"
        + ", up AS (INSERT INTO " + db.entries + " AS e (namespace, " + Statements.ENTRY_ROW_COLS + ")"
        + " SELECT :ns, v.entry_key, v.value_type, v.value_bytes, 1, :now, :now, COALESCE(v.own_expiry, :now + s.ttl),"
        + " v.metadata, v.tags, r.rev, 'CREATED', :principal, v.reason, NULL FROM v JOIN r ON r.k = v.entry_key CROSS JOIN s"
        + filter + " ORDER BY v.entry_key COLLATE \"C\"" + rest;
  }

  /** A transaction's namespace settings: the default TTL, the versions kept, whether the TTL is in range where needed. */
  private static String transactionSettings(Db db) {
    return "s AS (SELECT n.default_ttl_ms AS ttl, COALESCE(n.max_versions, 0) AS max_versions,"
        + " (NOT :needs_default OR n.default_ttl_ms IS NULL OR n.default_ttl_ms BETWEEN 1 AND :max_ttl) AS ok"
        + " FROM (VALUES (1)) AS one (x) LEFT JOIN " + db.namespaces + " n ON n.name = :ns)";
  }

  /**
   * The statement of {@link #transaction} when it only puts: no compare to check and no entry to
   * delete, so nothing has to be locked before the writes. The upsert takes the row locks itself,
   * in key order like every bulk write, and writes over a row only if it is live and the row of
   * the statement's snapshot; a key it leaves out sends the transaction to the general path, as a
   * stale or expired row does in the full statement. Measured on a transaction of 10 puts over
   * existing rows: leaving out the lock and check CTEs (each key looked up twice more, each row
   * locked twice) cuts the server's CPU time per transaction by about a quarter. Its rows are
   * those of the full statement without kinds 1 and 3.
   *
   * @param filter a condition on s for every put (see {@link #transactionPuts}), or empty
   * @param rest the upsert's conflict clause and the CTEs after it
   */
  private static String putsOnlySql(String nextRevision, Db db, String filter, String rest, String changeCols,
      String notifyOnce) {
    return "WITH " + transactionSettings(db)
        + ", r AS (SELECT w.k, " + nextRevision + " AS rev FROM unnest(CAST(:keys AS text[])) WITH ORDINALITY AS w (k, ord)"
        + " WHERE (SELECT ok FROM s) ORDER BY w.ord)"
        + transactionPuts(db, "keys", filter, rest)
        + changeCols + " SELECT up.revision, :origin, :ns, up.entry_key, up.version,"
        + " CASE WHEN up.version = 1 THEN 'CREATED' ELSE 'UPDATED' END, :principal, :now FROM up ORDER BY up.revision RETURNING 1)"
        + notifyOnce
        + " SELECT 0 AS kind, CAST(NULL AS text), 1, CASE WHEN s.ok THEN 1 ELSE 0 END, (SELECT count(*) FROM nt),"
        + " CAST(s.max_versions AS bigint), CAST(NULL AS bigint) FROM s"
        + " UNION ALL SELECT 2, up.entry_key, up.version, up.created_at, up.updated_at, up.expires_at, up.revision FROM up";
  }

  /**
   * The statement of {@link #transaction}: lock, check, then write, each CTE gated by the check.
   * Its rows: one of kind 0 (whether every locked row is the snapshot's, whether it wrote, and in
   * its sixth column the namespace's history depth, for the hint), one of kind 1 per locked row
   * (key, version, expiry), one of kind 2 per entry written (key, version, created, updated,
   * expiry, revision), one of kind 3 per entry deleted (key, version, revision).
   */
  private static String transactionSql(Db db, String nextRevision, String overwriteSeen, String bulkHistory,
      String changeCols, String notifyOnce) {
    String liveVersion = "COALESCE((SELECT CASE WHEN lk.expires_at IS NULL OR lk.expires_at > :now THEN lk.version ELSE 0 END"
        + " FROM lk WHERE lk.entry_key = c.k), 0)";
    String go = "(SELECT go FROM g)";
    return "WITH " + transactionSettings(db)
        // Every key named, locked in the order every bulk write locks in. FOR UPDATE returns a
        // row's newest version, so the compares see what is committed once the lock is held.
        + ", lk AS (SELECT l.* FROM (SELECT k FROM unnest(CAST(:locked AS text[])) AS u (k) ORDER BY k COLLATE \"C\") AS u"
        + " CROSS JOIN LATERAL (SELECT entry_key, xmin AS xm, ctid AS at, version, expires_at FROM " + db.entries
        + " WHERE namespace = :ns AND entry_key = u.k LIMIT 1 FOR UPDATE) AS l)"
        // The check reads every locked row, so every lock is held before anything is written.
        // fresh: each locked row is the snapshot's, so history as the snapshot holds it is current.
        + ", g AS (SELECT f.fresh, f.fresh AND f.compared AND f.unexpired AND s.ok AS go FROM s CROSS JOIN (SELECT"
        + " NOT EXISTS (SELECT 1 FROM lk WHERE NOT COALESCE((SELECT x.xmin = lk.xm FROM " + db.entries + " AS x"
        + " WHERE x.namespace = :ns AND x.entry_key = lk.entry_key), false)) AS fresh,"
        // A compare's expected version: -1 for PRESENT, 0 for ABSENT.
        + " NOT EXISTS (SELECT 1 FROM unnest(CAST(:compared AS text[]), CAST(:expected AS bigint[])) AS c (k, v)"
        + " WHERE NOT (CASE WHEN c.v < 0 THEN " + liveVersion + " > 0 ELSE " + liveVersion + " = c.v END)) AS compared,"
        // An expired row written over or deleted must be expired in place first: the general path does that.
        + " NOT EXISTS (SELECT 1 FROM lk WHERE lk.expires_at <= :now AND lk.entry_key = ANY (CAST(:keys AS text[])))"
        // OFFSET 0 keeps f a subquery of its own, so that each check runs once.
        + " AS unexpired OFFSET 0) AS f)"
        // One revision per change, in the order of the writes: every put, and each delete of a live entry.
        + ", r AS (SELECT w.k, " + nextRevision + " AS rev FROM unnest(CAST(:keys AS text[]), CAST(:deletes AS boolean[]))"
        + " WITH ORDINALITY AS w (k, del, ord) WHERE " + go
        + " AND (NOT w.del OR EXISTS (SELECT 1 FROM lk WHERE lk.entry_key = w.k)) ORDER BY w.ord)"
        + transactionPuts(db, "put_keys", "", overwriteSeen + bulkHistory)
        // Deleted by the address of the row locked, so that the cost follows the keys deleted:
        // a condition on the key would leave the planner free to read the whole namespace.
        + ", d AS (DELETE FROM " + db.entries + " AS e WHERE " + go + " AND e.ctid = ANY (ARRAY(SELECT lk.at FROM lk"
        + " WHERE lk.entry_key = ANY (CAST(:deleted AS text[]))))"
        + " RETURNING e.entry_key, e.version, e.history_from)"
        + ", dh AS (DELETE FROM " + db.history + " WHERE ctid = ANY (ARRAY(SELECT y.ctid FROM d"
        + " CROSS JOIN LATERAL (SELECT ctid FROM " + db.history + " WHERE namespace = :ns AND entry_key = d.entry_key"
        + " AND version >= d.history_from OFFSET 0 FOR UPDATE) AS y)))"
        + ", gone AS (SELECT d.entry_key, d.version, r.rev FROM d JOIN r ON r.k = d.entry_key)"
        + changeCols + " SELECT x.rev, :origin, :ns, x.k, x.version, x.change, :principal, :now FROM ("
        + "SELECT up.revision AS rev, up.entry_key AS k, up.version,"
        + " CASE WHEN up.version = 1 THEN 'CREATED' ELSE 'UPDATED' END AS change FROM up"
        + " UNION ALL SELECT gone.rev, gone.entry_key, gone.version, 'DELETED' FROM gone) AS x ORDER BY x.rev RETURNING 1)"
        + notifyOnce
        + " SELECT 0 AS kind, CAST(NULL AS text), CASE WHEN g.fresh THEN 1 ELSE 0 END, CASE WHEN g.go THEN 1 ELSE 0 END,"
        + " (SELECT count(*) FROM nt), CAST((SELECT max_versions FROM s) AS bigint), CAST(NULL AS bigint) FROM g"
        + " UNION ALL SELECT 1, lk.entry_key, lk.version, lk.expires_at, NULL, NULL, NULL FROM lk"
        + " UNION ALL SELECT 2, up.entry_key, up.version, up.created_at, up.updated_at, up.expires_at, up.revision FROM up"
        + " UNION ALL SELECT 3, gone.entry_key, gone.version, NULL, NULL, NULL, gone.rev FROM gone";
  }

  /**
   * Writes one entry if the case is common; see the class comment.
   *
   * @param ownExpiry the expiry the write's own TTL gives, or {@link Db#NO_EXPIRY} to apply the namespace's default
   * @param expected the version a compare-and-set expects; ignored by the other kinds
   * @param change the change a write over a live entry records (a write of a new entry records {@code CREATED})
   */
  Written write(Connection c, Kind kind, String namespace, String key, Value value, WriteOptions options, long expected,
      ChangeType change, Principal by, long now, long ownExpiry) throws SQLException {
    if (kind == Kind.PUT && Boolean.FALSE.equals(keepsHistory.get(namespace))) {
      Written plain = plainPut(c, namespace, key, value, options, change, by, now, ownExpiry);
      if (plain != null) {
        return plain;
      }
    }
    Named sql = writes.get(kind);
    try (PreparedStatement ps = c.prepareStatement(sql.text)) {
      Binder b = new Binder(sql, ps);
      bindEntry(b, namespace, key, value, options, now, ownExpiry);
      if (kind == Kind.COMPARE_AND_SET) {
        b.longValue("expected", expected);
      }
      b.string("change", change.name());
      written(b, by, options.reason());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        learn(namespace, rs.getInt(7));
        return new Written(now, rs.getBoolean(1), rs.getLong(2), Db.getNullableLong(rs, 3), rs.getLong(4), rs.getLong(5),
            rs.getLong(8), Db.getNullableLong(rs, 6), rs.getLong(9));
      }
    }
  }

  /** Binds what every single-entry write statement takes: the entry's row and the namespace settings' inputs. */
  private static void bindEntry(Binder b, String namespace, String key, Value value, WriteOptions options, long now,
      long ownExpiry) throws SQLException {
    b.string("ns", namespace);
    b.string("key", key);
    b.string("type", value.type().name());
    b.bytes("bytes", value.bytes());
    settings(b, now, ownExpiry);
    b.string("metadata", Codec.metadataJson(options.metadata()));
    b.string("tags", Codec.tagsJson(options.tags()));
  }

  /**
   * The put of {@link #plainPut}: what it wrote, or null if it wrote nothing and the full
   * statement must decide (the namespace keeps earlier versions now, its default TTL is out of
   * range, the row has expired or has history). The full statement also corrects the hint.
   */
  private Written plainPut(Connection c, String namespace, String key, Value value, WriteOptions options, ChangeType change,
      Principal by, long now, long ownExpiry) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(plainPut.text)) {
      Binder b = new Binder(plainPut, ps);
      bindEntry(b, namespace, key, value, options, now, ownExpiry);
      b.string("change", change.name());
      written(b, by, options.reason());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Written(now, true, 0, Db.NO_EXPIRY, rs.getLong(1), rs.getLong(2), rs.getLong(4),
            Db.getNullableLong(rs, 3), rs.getLong(5));
      }
    }
  }

  private void learn(String namespace, int maxVersions) {
    Boolean keeps = maxVersions > 0;
    if (!keeps.equals(keepsHistory.get(namespace))) {
      if (keepsHistory.size() >= 4096) {
        keepsHistory.clear(); // namespaces are few; this only bounds a store written to under endless names
      }
      keepsHistory.put(namespace, keeps);
    }
  }

  /**
   * Deletes one live entry whose row has not changed since the statement's snapshot.
   *
   * @param expected the version the entry must have, or 0 for any
   */
  Deleted delete(Connection c, String namespace, String key, long expected, Principal by, long now) throws SQLException {
    Named sql = expected > 0 ? deleteIfVersion : delete;
    try (PreparedStatement ps = c.prepareStatement(sql.text)) {
      Binder b = new Binder(sql, ps);
      b.string("ns", namespace);
      b.string("key", key);
      if (expected > 0) {
        b.longValue("expected", expected);
      }
      b.longValue("now", now);
      b.string("origin", origin);
      b.string("principal", by.name());
      b.string("channel", channel);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Deleted(rs.getLong(1), Db.getNullableLong(rs, 2), rs.getLong(3), rs.getLong(4));
      }
    }
  }

  /**
   * Writes every entry of {@code values}, or reports that it cannot: the caller must then roll
   * back, as some rows may have been written.
   *
   * @return the rows written by key, or empty if some key needs the general path
   */
  Optional<Map<String, Row>> putAll(Connection c, String namespace, Map<String, Value> values, WriteOptions options,
      Principal by, long now, long ownExpiry) throws SQLException {
    int n = values.size();
    String[] keys = new String[n];
    String[] types = new String[n];
    byte[][] bytes = new byte[n][];
    int i = 0;
    for (Map.Entry<String, Value> e : values.entrySet()) {
      keys[i] = e.getKey();
      types[i] = e.getValue().type().name();
      bytes[i] = e.getValue().bytes();
      i++;
    }
    List<Array> arrays = new ArrayList<>(3);
    try (PreparedStatement ps = c.prepareStatement(putAll.text)) {
      Binder b = new Binder(putAll, ps);
      b.string("ns", namespace);
      b.array("keys", arrays, () -> c.createArrayOf("text", keys));
      b.array("types", arrays, () -> c.createArrayOf("text", types));
      b.array("values", arrays, () -> c.createArrayOf("bytea", bytes));
      settings(b, now, ownExpiry);
      b.string("metadata", Codec.metadataJson(options.metadata()));
      b.string("tags", Codec.tagsJson(options.tags()));
      b.string("change", ChangeType.UPDATED.name());
      written(b, by, options.reason());
      Map<String, Row> rows = new HashMap<>(n * 2);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1);
          if (key != null) {
            rows.put(key, new Row(rs.getLong(2), rs.getLong(3), rs.getLong(6), Db.getNullableLong(rs, 4), rs.getLong(7)));
          }
        }
      }
      return rows.size() == n ? Optional.of(rows) : Optional.empty();
    } finally {
      for (Array a : arrays) {
        a.free();
      }
    }
  }

  /**
   * Runs {@code t} in one statement if the case is common: every key it names locked in key
   * order, every compare checked against the locked rows, and only if all hold (and no row
   * written over or deleted has expired, and no row changed since the statement's snapshot) the
   * entries, history records and change-log rows of all its writes, each change under its own
   * revision in the order of the writes. The caller must roll back unless it commits what the
   * result says was written.
   *
   * @param ownExpiries per write, the expiry its own TTL gives, or {@link Db#NO_EXPIRY} to apply
   *     the namespace's default
   */
  Transacted transaction(Connection c, String namespace, Transaction t, long[] ownExpiries, Principal by, long now)
      throws SQLException {
    List<Transaction.Compare> compares = new ArrayList<>(t.compares());
    Set<String> locked = new LinkedHashSet<>();
    t.compares().forEach(cmp -> locked.add(cmp.key()));
    List<Transaction.Write> writes = t.writes();
    int n = writes.size();
    String[] keys = new String[n];
    Boolean[] deletes = new Boolean[n];
    List<Integer> puts = new ArrayList<>(n);
    List<String> deleted = new ArrayList<>();
    boolean needsDefault = false;
    for (int i = 0; i < n; i++) {
      Transaction.Write w = writes.get(i);
      keys[i] = w.key();
      locked.add(w.key());
      deletes[i] = w.kind() == Transaction.Write.Kind.DELETE;
      if (deletes[i]) {
        deleted.add(w.key());
      } else {
        puts.add(i);
        needsDefault |= ownExpiries[i] == Db.NO_EXPIRY;
      }
      if (w.impliedCompare() != null) {
        compares.add(w.impliedCompare());
      }
    }
    String[] compared = new String[compares.size()];
    Long[] expected = new Long[compares.size()];
    for (int i = 0; i < compared.length; i++) {
      Transaction.Compare cmp = compares.get(i);
      compared[i] = cmp.key();
      expected[i] = switch (cmp.kind()) {
        case VERSION_EQUALS -> cmp.version();
        case ABSENT -> 0L;
        case PRESENT -> -1L;
      };
    }
    int p = puts.size();
    String[] putKeys = new String[p];
    String[] types = new String[p];
    byte[][] values = new byte[p][];
    Long[] expiries = new Long[p];
    String[] metadata = new String[p];
    String[] tags = new String[p];
    String[] reasons = new String[p];
    for (int j = 0; j < p; j++) {
      int i = puts.get(j);
      Transaction.Write w = writes.get(i);
      putKeys[j] = w.key();
      types[j] = w.value().type().name();
      values[j] = w.value().bytes();
      expiries[j] = ownExpiries[i] == Db.NO_EXPIRY ? null : ownExpiries[i];
      metadata[j] = Codec.metadataJson(w.options().metadata());
      tags[j] = Codec.tagsJson(w.options().tags());
      reasons[j] = w.options().reason().orElse(null);
    }
    // Without compares and deletes nothing needs locking before the writes: see putsOnlySql.
    Named sql = !compares.isEmpty() || !deleted.isEmpty() ? transaction
        : Boolean.FALSE.equals(keepsHistory.get(namespace)) ? plainPutsOnly : putsOnly;
    List<Array> arrays = new ArrayList<>(14);
    try (PreparedStatement ps = c.prepareStatement(sql.text)) {
      Binder b = new Binder(sql, ps);
      b.string("ns", namespace);
      b.longValue("now", now);
      b.longValue("max_ttl", Expiry.LATEST - now);
      b.bool("needs_default", needsDefault);
      b.array("locked", arrays, () -> c.createArrayOf("text", locked.toArray(new String[0])));
      b.array("compared", arrays, () -> c.createArrayOf("text", compared));
      b.array("expected", arrays, () -> c.createArrayOf("int8", expected));
      b.array("keys", arrays, () -> c.createArrayOf("text", keys));
      b.array("deletes", arrays, () -> c.createArrayOf("bool", deletes));
      b.array("put_keys", arrays, () -> c.createArrayOf("text", putKeys));
      b.array("types", arrays, () -> c.createArrayOf("text", types));
      b.array("values", arrays, () -> c.createArrayOf("bytea", values));
      b.array("expiries", arrays, () -> c.createArrayOf("int8", expiries));
      b.array("metadata", arrays, () -> c.createArrayOf("text", metadata));
      b.array("tags", arrays, () -> c.createArrayOf("text", tags));
      b.array("reasons", arrays, () -> c.createArrayOf("text", reasons));
      b.array("deleted", arrays, () -> c.createArrayOf("text", deleted.toArray(new String[0])));
      b.string("change", ChangeType.UPDATED.name());
      written(b, by, Optional.empty());
      return transacted(ps, namespace, n);
    } finally {
      for (Array a : arrays) {
        a.free();
      }
    }
  }

  private Transacted transacted(PreparedStatement ps, String namespace, int writes) throws SQLException {
    boolean fresh = false;
    boolean applied = false;
    Map<String, Locked> locked = new HashMap<>();
    Map<String, Row> written = new HashMap<>(writes * 2);
    Map<String, Row> deleted = new HashMap<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        switch (rs.getInt(1)) {
          case 0 -> {
            fresh = rs.getLong(3) == 1;
            applied = rs.getLong(4) == 1;
            learn(namespace, rs.getInt(6));
          }
          case 1 -> locked.put(rs.getString(2), new Locked(rs.getLong(3), Db.getNullableLong(rs, 4)));
          case 2 -> written.put(rs.getString(2),
              new Row(rs.getLong(3), rs.getLong(4), rs.getLong(5), Db.getNullableLong(rs, 6), rs.getLong(7)));
          default -> deleted.put(rs.getString(2), new Row(rs.getLong(3), 0, 0, Db.NO_EXPIRY, rs.getLong(7)));
        }
      }
    }
    return new Transacted(fresh, applied, locked, written, deleted);
  }

  private static void settings(Binder b, long now, long ownExpiry) throws SQLException {
    b.nullableLong("own_expiry", ownExpiry);
    b.longValue("now", now);
    b.longValue("max_ttl", Expiry.LATEST - now);
  }

  private void written(Binder b, Principal by, Optional<String> reason) throws SQLException {
    b.string("principal", by.name());
    b.string("reason", reason.orElse(null));
    b.string("origin", origin);
    b.string("channel", channel);
  }

  /** SQL with {@code :name} parameters, turned into JDBC's positional ones. */
  private static final class Named {
    final String text;
    final Map<String, int[]> positions;

    private Named(String text, Map<String, int[]> positions) {
      this.text = text;
      this.positions = positions;
    }

    /** Every {@code :name} (lower case, digits, underscores; not a {@code ::} cast) becomes a {@code ?}. */
    static Named parse(String sql) {
      StringBuilder out = new StringBuilder(sql.length());
      Map<String, List<Integer>> found = new HashMap<>();
      int n = 0;
      for (int i = 0; i < sql.length(); i++) {
        char ch = sql.charAt(i);
        boolean start = ch == ':' && i + 1 < sql.length() && isNameChar(sql.charAt(i + 1)) && (i == 0 || sql.charAt(i - 1) != ':');
        if (!start) {
          out.append(ch);
          continue;
        }
        int end = i + 1;
        while (end < sql.length() && isNameChar(sql.charAt(end))) {
          end++;
        }
        found.computeIfAbsent(sql.substring(i + 1, end), k -> new ArrayList<>()).add(++n);
        out.append('?');
        i = end - 1;
      }
      Map<String, int[]> positions = new HashMap<>();
      found.forEach((name, list) -> positions.put(name, list.stream().mapToInt(Integer::intValue).toArray()));
      return new Named(out.toString(), Map.copyOf(positions));
    }

    private static boolean isNameChar(char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    }
  }

  /** Creates a JDBC array on demand. */
  @FunctionalInterface
  private interface ArrayOf {
    Array create() throws SQLException;
  }

  /** Sets a named parameter at each of its positions; a name the statement lacks is ignored. */
  private static final class Binder {
    private static final int[] NONE = new int[0];
    private final Named sql;
    private final PreparedStatement ps;

    Binder(Named sql, PreparedStatement ps) {
      this.sql = sql;
      this.ps = ps;
    }

    private int[] at(String name) {
      return sql.positions.getOrDefault(name, NONE);
    }

    void string(String name, String value) throws SQLException {
      for (int i : at(name)) {
        if (value == null) {
          ps.setNull(i, Types.VARCHAR);
        } else {
          ps.setString(i, value);
        }
      }
    }

    void bytes(String name, byte[] value) throws SQLException {
      for (int i : at(name)) {
        ps.setBytes(i, value);
      }
    }

    void longValue(String name, long value) throws SQLException {
      for (int i : at(name)) {
        ps.setLong(i, value);
      }
    }

    void nullableLong(String name, long value) throws SQLException {
      for (int i : at(name)) {
        Db.setNullableLong(ps, i, value);
      }
    }

    void bool(String name, boolean value) throws SQLException {
      for (int i : at(name)) {
        ps.setBoolean(i, value);
      }
    }

    /** Creates the array only if the statement takes it, and keeps it in {@code created} to be freed. */
    void array(String name, List<Array> created, ArrayOf value) throws SQLException {
      int[] at = at(name);
      if (at.length == 0) {
        return;
      }
      Array a = value.create();
      created.add(a);
      for (int i : at) {
        ps.setArray(i, a);
      }
    }
  }
}
