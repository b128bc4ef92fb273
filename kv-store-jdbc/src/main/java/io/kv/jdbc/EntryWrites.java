package io.kv.jdbc;

import io.kv.AlreadyExistsException;
import io.kv.ChangeEvent;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.NotFoundException;
import io.kv.Principal;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.WriteOptions;
import io.kv.spi.EntryChecks;
import io.kv.spi.Expiry;
import io.kv.spi.TransactionChecks;
import io.kv.spi.WriteTimes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The entry writes of the JDBC store for one principal, their input already checked: single
 * writes, deletes and their bulk forms, each through {@link Commits}, with the one-statement
 * forms of {@link PgWrites} tried first on PostgreSQL. The statements come from {@link Db}.
 * Thread-safe.
 */
final class EntryWrites {
  /** What a single write requires of the entry it writes over. */
  enum Condition { NONE, ABSENT, PRESENT, VERSION, HISTORY }

  private final StoreState state;
  private final Db db;
  private final Principal principal;

  EntryWrites(StoreState state, Principal principal) {
    this.state = state;
    this.db = state.db;
    this.principal = principal;
  }

  /**
   * Writes {@code given} (for {@link Condition#HISTORY}, the value history holds for {@code
   * version}) if the entry meets {@code condition}.
   */
  Entry write(String namespace, String key, Value given, WriteOptions options, Condition condition, long version,
      ChangeType change) {
    Commits.Shortcut<Entry> shortcut = state.pg == null || condition == Condition.HISTORY ? null
        : () -> writeInOneStatement(namespace, key, given, options, condition, version, change);
    return state.commits.run(() -> state.locks.lock(namespace, key), shortcut, Tx.Op.of("write of", namespace, key), c -> {
      long now = state.clock.millis();
      Db.WriteDefaults settings = db.writeDefaults(c, namespace);
      long expiresAt = expiry(now, options, settings);
      Db.Current cur = db.lock(c, namespace, key);
      List<ChangeEvent> events = new ArrayList<>(2);
      try (Db.Writes w = db.new Writes(c)) {
        Db.Current live = liveOrExpire(w, namespace, key, cur, now, events);
        Value value = given;
        switch (condition) {
          case ABSENT:
            if (live != null) {
              throw new AlreadyExistsException(namespace, key);
            }
            break;
          case PRESENT:
            if (live == null) {
              throw new NotFoundException(namespace, key);
            }
            break;
          case VERSION:
            requireVersion(namespace, key, live, version);
            break;
          case HISTORY:
            if (live == null) {
              throw new NotFoundException(namespace, key);
            }
            value = db.historyValue(c, namespace, key, version);
            if (value == null) {
              throw new NotFoundException(namespace, key,
                  "version " + version + " of entry '" + namespace + "/" + key + "' is not in its history");
            }
            break;
          default:
            break;
        }
        Entry e = install(w, namespace, key, cur, live, value, options, change, now, expiresAt, settings.maxVersions(), events);
        w.flush();
        return new Commits.Done<>(e, events);
      }
    });
  }

  /**
   * The common case of a single write on PostgreSQL, in one statement ({@link PgWrites}): the
   * written entry and its event; or the exception the general path would throw; or null when the
   * general path must decide (an expired row to write over, a default TTL out of range, a row
   * that changed while the statement ran).
   */
  private Commits.Done<Entry> writeInOneStatement(String namespace, String key, Value value, WriteOptions options,
      Condition condition, long expected, ChangeType change) {
    PgWrites.Kind kind = switch (condition) {
      case NONE -> PgWrites.Kind.PUT;
      case ABSENT -> PgWrites.Kind.CREATE;
      case PRESENT -> PgWrites.Kind.UPDATE;
      case VERSION -> PgWrites.Kind.COMPARE_AND_SET;
      case HISTORY -> throw new IllegalArgumentException("a rollback has no one-statement form");
    };
    PgWrites.Written w = state.tx.autocommit(() -> Tx.Op.of("write of", namespace, key), c -> {
      long now = state.clock.millis();
      long ownExpiry = options.ttl().isPresent() ? expiry(now, options, Db.WriteDefaults.DEFAULTS) : Db.NO_EXPIRY;
      return state.pg.write(c, kind, namespace, key, value, options, expected, change, principal, now, ownExpiry);
    }, written -> written.version() > 0);
    if (w.version() > 0) {
      Instant at = Instant.ofEpochMilli(w.at());
      ChangeType kindWritten = w.version() == 1 ? ChangeType.CREATED : change;
      Entry entry = new Entry(namespace, key, value, w.version(), Instant.ofEpochMilli(w.createdAt()),
          Instant.ofEpochMilli(w.updatedAt()), expiresAt(w.expiresAt()), options.metadata(), options.tags(), w.revision());
      return new Commits.Done<>(entry,
          List.of(new ChangeEvent(kindWritten, namespace, key, w.version(), at, principal, w.revision())));
    }
    if (!w.settingsOk()) {
      return null;
    }
    // Nothing was written. What the snapshot held decides where the general path would decide
    // the same way: a refusal there writes nothing either, even over an expired row.
    boolean live = w.seenLiveAt(w.at());
    switch (condition) {
      case ABSENT:
        if (live) {
          throw new AlreadyExistsException(namespace, key);
        }
        break;
      case PRESENT:
        if (!live) {
          throw new NotFoundException(namespace, key);
        }
        break;
      case VERSION:
        if (!live) {
          throw new VersionConflictException(namespace, key, expected, OptionalLong.empty());
        }
        if (w.seenVersion() != expected) {
          throw new VersionConflictException(namespace, key, expected, OptionalLong.of(w.seenVersion()));
        }
        break;
      default:
        break;
    }
    return null;
  }

  /** Removes an expired row on the way to writing over it: history goes, the log says EXPIRED. */
  static void expireInPlace(Db.Writes w, String namespace, String key, Db.Current cur, List<ChangeEvent> events)
      throws SQLException {
    if (cur.hasHistory()) {
      w.dropHistory(namespace, key);
    }
    long revision = w.change(namespace, key, cur.version(), ChangeType.EXPIRED, Principal.SYSTEM, cur.expiresAt());
    events.add(new ChangeEvent(ChangeType.EXPIRED, namespace, key, cur.version(), Instant.ofEpochMilli(cur.expiresAt()),
        Principal.SYSTEM, revision));
  }

  /** {@code cur} if it is absent or live at {@code now}; else null, once it is expired in place. */
  private static Db.Current liveOrExpire(Db.Writes w, String namespace, String key, Db.Current cur, long now,
      List<ChangeEvent> events) throws SQLException {
    if (cur != null && cur.expiredAt(now)) {
      expireInPlace(w, namespace, key, cur, events);
      return null;
    }
    return cur;
  }

  private Entry install(Db.Writes w, String namespace, String key, Db.Current row, Db.Current live, Value value,
      WriteOptions options, ChangeType change, long now, long expiresAt, int maxVersions, List<ChangeEvent> events)
      throws SQLException {
    ChangeType kind = live == null ? ChangeType.CREATED : change;
    long version = live == null ? 1 : live.version() + 1;
    Instant at = Instant.ofEpochMilli(live == null ? now : WriteTimes.updatedAt(now, live.updatedAt()));
    Entry entry = new Entry(namespace, key, value, version, live == null ? at : Instant.ofEpochMilli(live.createdAt()), at,
        expiresAt(expiresAt), options.metadata(), options.tags());
    long historyFrom = live == null ? Db.NO_HISTORY : w.supersede(namespace, key, live, maxVersions);
    w.writeEntry(entry, row == null ? 0 : row.version(), value, new Db.Head(kind, principal, options.reason()), historyFrom);
    long revision = w.change(namespace, key, version, kind, principal, now);
    // The change happened at the clock's time, as the change log says, even if the entry's stamp was held back.
    events.add(new ChangeEvent(kind, namespace, key, version, Instant.ofEpochMilli(now), principal, revision));
    return entry.withRevision(revision);
  }

  private static void requireVersion(String namespace, String key, Db.Current live, long expected) {
    EntryChecks.requireVersion(namespace, key, expected, live != null, live == null ? 0 : live.version());
  }

  /** Deletes the entry, if its version is {@code expectedVersion} when that is not 0; whether it deleted one. */
  boolean remove(String namespace, String key, long expectedVersion) {
    Commits.Shortcut<Boolean> shortcut = state.pg == null ? null : () -> removeInOneStatement(namespace, key, expectedVersion);
    return state.commits.run(() -> state.locks.lock(namespace, key), shortcut, Tx.Op.of("delete of", namespace, key), c -> {
      long now = state.clock.millis();
      Db.Current cur = db.lock(c, namespace, key);
      List<ChangeEvent> events = new ArrayList<>(1);
      try (Db.Writes w = db.new Writes(c)) {
        if (expectedVersion > 0) {
          requireVersion(namespace, key, cur == null || cur.expiredAt(now) ? null : cur, expectedVersion);
        }
        boolean deleted = removeLocked(w, namespace, key, cur, now, events);
        w.flush();
        return new Commits.Done<>(deleted, events);
      }
    });
  }

  /**
   * Deletes the locked row {@code cur} (null if there is none): an expired one is expired in
   * place and removed, a live one deleted with its history. Whether a live entry was deleted.
   */
  private boolean removeLocked(Db.Writes w, String namespace, String key, Db.Current cur, long now,
      List<ChangeEvent> events) throws SQLException {
    Db.Current live = liveOrExpire(w, namespace, key, cur, now, events);
    if (live != cur) {
      w.deleteEntry(namespace, key, cur.version());
    }
    if (live == null) {
      return false;
    }
    w.deleteEntry(namespace, key, live.version());
    if (live.hasHistory()) {
      w.dropHistory(namespace, key);
    }
    long revision = w.change(namespace, key, live.version(), ChangeType.DELETED, principal, now);
    events.add(new ChangeEvent(ChangeType.DELETED, namespace, key, live.version(), Instant.ofEpochMilli(now), principal,
        revision));
    return true;
  }

  /**
   * The common case of a delete on PostgreSQL, in one statement ({@link PgWrites}): whether it
   * deleted, and its event; or the exception the general path would throw; or null when the
   * general path must decide (an expired row, a row that changed meanwhile).
   */
  private Commits.Done<Boolean> removeInOneStatement(String namespace, String key, long expectedVersion) {
    long[] now = new long[1];
    PgWrites.Deleted d = state.tx.autocommit(() -> Tx.Op.of("delete of", namespace, key), c -> {
      now[0] = state.clock.millis();
      return state.pg.delete(c, namespace, key, expectedVersion, principal, now[0]);
    }, deleted -> deleted.deleted() > 0);
    if (d.deleted() > 0) {
      return new Commits.Done<>(true, List.of(
          new ChangeEvent(ChangeType.DELETED, namespace, key, d.deleted(), Instant.ofEpochMilli(now[0]), principal,
              d.revision())));
    }
    boolean live = d.seenLiveAt(now[0]);
    if (expectedVersion > 0) {
      if (!live) {
        throw new VersionConflictException(namespace, key, expectedVersion, OptionalLong.empty());
      }
      if (d.seenVersion() != expectedVersion) {
        throw new VersionConflictException(namespace, key, expectedVersion, OptionalLong.of(d.seenVersion()));
      }
    }
    return d.seenVersion() == 0 ? Commits.Done.silent(false) : null;
  }

  /** Writes every value, all or nothing; {@code values} is not empty. */
  Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    Tx.Op what = Tx.Op.of("putAll of " + values.size() + " entries in", namespace);
    Commits.Shortcut<Map<String, Entry>> shortcut = state.pg == null ? null
        : () -> state.tx.runIfPresent(() -> what, c -> putAllInOneStatement(c, namespace, values, options)).orElse(null);
    return state.commits.run(() -> state.locks.lockAll(namespace, values.keySet()), shortcut, what, c -> {
      long now = state.clock.millis();
      Db.WriteDefaults settings = db.writeDefaults(c, namespace);
      long expiresAt = expiry(now, options, settings);
      Map<String, Db.Current> rows = db.lockAll(c, namespace, values.keySet());
      List<ChangeEvent> events = new ArrayList<>(values.size());
      Map<String, Entry> written = new LinkedHashMap<>();
      try (Db.Writes w = db.new Writes(c)) {
        for (Map.Entry<String, Value> v : values.entrySet()) {
          String key = v.getKey();
          Db.Current cur = rows.get(key);
          Db.Current live = liveOrExpire(w, namespace, key, cur, now, events);
          written.put(key, install(w, namespace, key, cur, live, v.getValue(), options, ChangeType.UPDATED, now, expiresAt,
              settings.maxVersions(), events));
        }
        w.flush();
      }
      return new Commits.Done<>(Collections.unmodifiableMap(written), events);
    });
  }

  /** PostgreSQL: every entry in one statement, or empty (to roll back) if one needs the general path. */
  private Optional<Commits.Done<Map<String, Entry>>> putAllInOneStatement(Connection c, String namespace,
      Map<String, Value> values, WriteOptions options) throws SQLException {
    long now = state.clock.millis();
    long ownExpiry = options.ttl().isPresent() ? expiry(now, options, Db.WriteDefaults.DEFAULTS) : Db.NO_EXPIRY;
    Optional<Map<String, PgWrites.Row>> rows = state.pg.putAll(c, namespace, values, options, principal, now, ownExpiry);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Instant at = Instant.ofEpochMilli(now);
    Map<String, Entry> written = new LinkedHashMap<>();
    List<ChangeEvent> events = new ArrayList<>(values.size());
    for (Map.Entry<String, Value> v : values.entrySet()) {
      PgWrites.Row row = rows.get().get(v.getKey());
      ChangeType kind = row.version() == 1 ? ChangeType.CREATED : ChangeType.UPDATED;
      written.put(v.getKey(), new Entry(namespace, v.getKey(), v.getValue(), row.version(), Instant.ofEpochMilli(row.createdAt()),
          Instant.ofEpochMilli(row.updatedAt()), expiresAt(row.expiresAt()), options.metadata(), options.tags(),
          row.revision()));
      events.add(new ChangeEvent(kind, namespace, v.getKey(), row.version(), at, principal, row.revision()));
    }
    return Optional.of(new Commits.Done<>(Collections.unmodifiableMap(written), events));
  }

  /**
   * Commits {@code transaction}, its input already checked, in one database transaction: the
   * rows of every key it names are locked at once (in key order on PostgreSQL, as bulk writes
   * lock them), every compare is evaluated against their live state, and only if all hold is
   * each write applied as its single form would apply it; otherwise nothing is written. On
   * PostgreSQL all of that is tried first as one statement and its commit.
   *
   * @throws io.kv.TransactionFailedException naming every compare that failed
   */
  TransactionResult commit(String namespace, Transaction transaction) {
    LinkedHashSet<String> keys = new LinkedHashSet<>();
    transaction.compares().forEach(cmp -> keys.add(cmp.key()));
    transaction.writes().forEach(wr -> keys.add(wr.key()));
    Tx.Op what = Tx.Op.of("transaction of " + transaction.writes().size() + " writes in", namespace);
    Commits.Shortcut<TransactionResult> shortcut = state.pg == null ? null
        : () -> state.tx.runIfPresent(() -> what, c -> commitInOneStatement(c, namespace, transaction)).orElse(null);
    return state.commits.run(() -> state.locks.lockAll(namespace, keys), shortcut, what, c -> {
      long now = state.clock.millis();
      Db.WriteDefaults settings = db.writeDefaults(c, namespace);
      Map<String, Db.Current> rows = db.lockAll(c, namespace, keys);
      TransactionChecks.requireCompares(namespace, transaction, key -> {
        Db.Current cur = rows.get(key);
        return cur == null || cur.expiredAt(now) ? 0 : cur.version();
      });
      List<ChangeEvent> events = new ArrayList<>(transaction.writes().size());
      Map<String, Entry> written = new LinkedHashMap<>();
      List<String> deleted = new ArrayList<>();
      try (Db.Writes w = db.new Writes(c)) {
        for (Transaction.Write write : transaction.writes()) {
          String key = write.key();
          Db.Current cur = rows.get(key);
          if (write.kind() == Transaction.Write.Kind.DELETE) {
            if (removeLocked(w, namespace, key, cur, now, events)) {
              deleted.add(key);
            }
            continue;
          }
          long expiresAt = expiry(now, write.options(), settings);
          Db.Current live = liveOrExpire(w, namespace, key, cur, now, events);
          written.put(key, install(w, namespace, key, cur, live, write.value(), write.options(), ChangeType.UPDATED, now,
              expiresAt, settings.maxVersions(), events));
        }
        w.flush();
      }
      return new Commits.Done<>(new TransactionResult(written, deleted), events);
    });
  }

  /**
   * PostgreSQL: the whole transaction in one statement ({@link PgWrites#transaction}), its commit
   * left to the caller; empty (to roll back) where the general path must decide: a row that
   * changed since the statement's snapshot, an expired row to write over, a default TTL out of
   * range.
   *
   * @throws io.kv.TransactionFailedException naming every compare that failed
   */
  private Optional<Commits.Done<TransactionResult>> commitInOneStatement(Connection c, String namespace,
      Transaction transaction) throws SQLException {
    long now = state.clock.millis();
    List<Transaction.Write> writes = transaction.writes();
    long[] ownExpiries = new long[writes.size()];
    int puts = 0;
    for (int i = 0; i < ownExpiries.length; i++) {
      WriteOptions options = writes.get(i).options();
      ownExpiries[i] = options.ttl().isPresent() ? expiry(now, options, Db.WriteDefaults.DEFAULTS) : Db.NO_EXPIRY;
      puts += writes.get(i).kind() == Transaction.Write.Kind.DELETE ? 0 : 1;
    }
    PgWrites.Transacted t = state.pg.transaction(c, namespace, transaction, ownExpiries, principal, now);
    if (!t.fresh()) {
      return Optional.empty();
    }
    TransactionChecks.requireCompares(namespace, transaction, key -> t.liveVersion(key, now));
    if (!t.applied() || t.written().size() != puts) {
      return Optional.empty();
    }
    Instant at = Instant.ofEpochMilli(now);
    Map<String, Entry> written = new LinkedHashMap<>();
    List<String> deleted = new ArrayList<>();
    List<ChangeEvent> events = new ArrayList<>(writes.size());
    for (Transaction.Write w : writes) {
      String key = w.key();
      if (w.kind() == Transaction.Write.Kind.DELETE) {
        PgWrites.Row gone = t.deleted().get(key);
        if (gone != null) {
          deleted.add(key);
          events.add(new ChangeEvent(ChangeType.DELETED, namespace, key, gone.version(), at, principal, gone.revision()));
        }
        continue;
      }
      PgWrites.Row row = t.written().get(key);
      written.put(key, new Entry(namespace, key, w.value(), row.version(), Instant.ofEpochMilli(row.createdAt()),
          Instant.ofEpochMilli(row.updatedAt()), expiresAt(row.expiresAt()), w.options().metadata(), w.options().tags(),
          row.revision()));
      events.add(new ChangeEvent(row.version() == 1 ? ChangeType.CREATED : ChangeType.UPDATED, namespace, key,
          row.version(), at, principal, row.revision()));
    }
    return Optional.of(new Commits.Done<>(new TransactionResult(written, deleted), events));
  }

  /** Deletes the entries under {@code keys} (not empty) at once; how many live ones it deleted. */
  int deleteAll(String namespace, LinkedHashSet<String> keys) {
    return state.commits.run(() -> state.locks.lockAll(namespace, keys),
        Tx.Op.of("deleteAll of " + keys.size() + " keys in", namespace), c -> {
          long now = state.clock.millis();
          Map<String, Db.Current> rows = db.lockAll(c, namespace, keys);
          List<ChangeEvent> events = new ArrayList<>(rows.size());
          int deleted = 0;
          try (Db.Writes w = db.new Writes(c)) {
            for (String key : keys) {
              Db.Current cur = rows.get(key);
              if (cur == null) {
                continue;
              }
              w.deleteEntry(namespace, key, cur.version());
              if (cur.hasHistory()) {
                w.dropHistory(namespace, key);
              }
              if (cur.expiredAt(now)) {
                long revision = w.change(namespace, key, cur.version(), ChangeType.EXPIRED, Principal.SYSTEM,
                    cur.expiresAt());
                events.add(new ChangeEvent(ChangeType.EXPIRED, namespace, key, cur.version(),
                    Instant.ofEpochMilli(cur.expiresAt()), Principal.SYSTEM, revision));
              } else {
                long revision = w.change(namespace, key, cur.version(), ChangeType.DELETED, principal, now);
                events.add(new ChangeEvent(ChangeType.DELETED, namespace, key, cur.version(), Instant.ofEpochMilli(now),
                    principal, revision));
                deleted++;
              }
            }
            w.flush();
          }
          return new Commits.Done<>(deleted, events);
        });
  }

  private static long expiry(long now, WriteOptions options, Db.WriteDefaults settings) {
    Optional<Duration> ttl = Expiry.ttl(options, settings.defaultTtl());
    return ttl.isEmpty() ? Db.NO_EXPIRY : Expiry.at(now, ttl.get());
  }

  private static Optional<Instant> expiresAt(long millis) {
    return millis == Db.NO_EXPIRY ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
