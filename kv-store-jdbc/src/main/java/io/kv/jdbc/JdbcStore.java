package io.kv.jdbc;

import io.kv.AlreadyExistsException;
import io.kv.Capabilities;
import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.ListOptions;
import io.kv.Namespaces;
import io.kv.NotFoundException;
import io.kv.Page;
import io.kv.Principal;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.spi.EntryChecks;
import io.kv.spi.Expiry;
import io.kv.spi.Features;
import io.kv.spi.ListingCursor;
import io.kv.spi.RestoreInput;
import io.kv.spi.WriteTimes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/** The JDBC store as seen by one principal. See {@link JdbcKvStore} for the guarantees. */
@SuppressWarnings("try") // a held KeyLocks stripe is released by try-with-resources
final class JdbcStore implements JdbcKvStore {
  private static final Capabilities CAPABILITIES = new Capabilities(true, true, true);

  private enum Condition { NONE, ABSENT, PRESENT, VERSION, HISTORY }

  private final StoreState state;
  private final Db db;
  private final Principal principal;
  private final JdbcNamespaces namespaces;
  private final boolean root;

  private JdbcStore(StoreState state, Principal principal, boolean root) {
    this.state = state;
    this.db = state.db;
    this.principal = principal;
    this.namespaces = new JdbcNamespaces(state, principal);
    this.root = root;
  }

  static JdbcKvStore open(Config config) {
    return new JdbcStore(StoreState.open(config), Principal.ANONYMOUS, true);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Entry> get(String namespace, String key) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    return state.tx.read(() -> Tx.Op.of("get", namespace, key), c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + Db.ENTRY_COLS + " FROM " + db.entries
          + " WHERE namespace = ? AND entry_key = ?" + Db.LIVE)) {
        ps.setString(1, namespace);
        db.setKey(ps, 2, key);
        ps.setLong(3, state.clock.millis());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(db.entry(namespace, rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    state.limits.checkNamespace(namespace);
    LinkedHashSet<String> unique = EntryChecks.keys(state.limits, keys);
    if (unique.isEmpty()) {
      return Map.of();
    }
    Map<String, Entry> found = state.tx.read(Tx.Op.of("getAll in", namespace), c -> {
      Map<String, Entry> out = new HashMap<>();
      long now = state.clock.millis();
      db.eachByKey(c, Db.ENTRY_COLS, namespace, unique, now, false, rs -> {
        Entry e = db.entry(namespace, rs);
        out.put(e.key(), e);
      });
      return out;
    });
    Map<String, Entry> ordered = new LinkedHashMap<>();
    for (String key : unique) {
      Entry e = found.get(key);
      if (e != null) {
        ordered.put(key, e);
      }
    }
    return Collections.unmodifiableMap(ordered);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    state.limits.checkNamespace(namespace);
    Objects.requireNonNull(options, "options");
    String prefix = options.prefix();
    state.limits.checkPrefix(prefix);
    Optional<String> after = options.cursor().map(c -> ListingCursor.keyOf(c, prefix));
    Optional<String> upper = Codec.upperBound(prefix);
    int limit = options.limit();
    List<Entry> rows = state.tx.read(Tx.Op.of("list of", namespace), c -> {
      String sql = "SELECT " + Db.ENTRY_COLS + " FROM " + db.entries + " WHERE namespace = ? AND entry_key "
          + (after.isPresent() ? "> ?" : ">= ?") + (upper.isPresent() ? " AND entry_key < ?" : "") + Db.LIVE
          + " ORDER BY entry_key LIMIT ?";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        ps.setString(i++, namespace);
        db.setKey(ps, i++, after.orElse(prefix));
        if (upper.isPresent()) {
          db.setKey(ps, i++, upper.get());
        }
        ps.setLong(i++, state.clock.millis());
        ps.setInt(i, limit + 1);
        List<Entry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(db.entry(namespace, rs));
          }
        }
        return out;
      }
    });
    if (rows.size() > limit) {
      List<Entry> page = rows.subList(0, limit);
      return new Page(page, Optional.of(ListingCursor.after(page.get(limit - 1).key())));
    }
    return new Page(rows, Optional.empty());
  }

  @Override
  public long count(String namespace) {
    state.limits.checkNamespace(namespace);
    return state.tx.read(Tx.Op.of("count of", namespace), c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + db.entries + " WHERE namespace = ?" + Db.LIVE)) {
        ps.setString(1, namespace);
        ps.setLong(2, state.clock.millis());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    // The current version's record from the entry row, the earlier ones from the history table.
    // A record the history table holds of the current version (a restore gave one that differs
    // from the entry) comes first in the order and stands for it.
    String live = " WHERE e.namespace = ? AND e.entry_key = ? AND (e.expires_at IS NULL OR e.expires_at > ?)";
    return state.tx.read(Tx.Op.of("history", namespace, key), c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 0 AS src, e.version, e.value_type, e.value_bytes, e.change,"
          + " e.principal, e.updated_at, e.reason FROM " + db.entries + " e" + live
          + " UNION ALL SELECT 1 AS src, " + Db.HISTORY_COLS + " FROM " + db.entries + " e JOIN " + db.history
          + " h ON h.namespace = e.namespace AND h.entry_key = e.entry_key" + live + " AND e.history_from IS NOT NULL"
          + " ORDER BY 2 DESC, 1 DESC")) {
        long now = state.clock.millis();
        for (int i = 0; i < 6; i += 3) {
          ps.setString(i + 1, namespace);
          db.setKey(ps, i + 2, key);
          ps.setLong(i + 3, now);
        }
        List<VersionRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            VersionRecord r = Db.record(rs, 2);
            if (out.isEmpty() || out.get(out.size() - 1).version() != r.version()) {
              out.add(r);
            }
          }
        }
        return List.copyOf(out);
      }
    });
  }

  // ---------------------------------------------------------------- single writes

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    EntryChecks.write(state.limits, namespace, key, value, options);
    return write(namespace, key, value, options, Condition.NONE, 0, ChangeType.UPDATED);
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    EntryChecks.write(state.limits, namespace, key, value, options);
    return write(namespace, key, value, options, Condition.ABSENT, 0, ChangeType.UPDATED);
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    EntryChecks.write(state.limits, namespace, key, value, options);
    return write(namespace, key, value, options, Condition.PRESENT, 0, ChangeType.UPDATED);
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    EntryChecks.write(state.limits, namespace, key, value, options);
    return write(namespace, key, value, options, Condition.PRESENT, 0, ChangeType.ROTATED);
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    EntryChecks.write(state.limits, namespace, key, value, options);
    EntryChecks.version(expectedVersion, "expectedVersion");
    return write(namespace, key, value, options, Condition.VERSION, expectedVersion, ChangeType.UPDATED);
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    state.limits.checkOptions(options);
    EntryChecks.version(toVersion, "toVersion");
    return write(namespace, key, null, options, Condition.HISTORY, toVersion, ChangeType.ROLLED_BACK);
  }

  /** The result of a transaction and the events to publish once it committed. */
  private record Done<T>(T result, List<ChangeEvent> events) {}

  private Entry write(String namespace, String key, Value given, WriteOptions options, Condition condition, long version,
      ChangeType change) {
    try (KeyLocks.Held held = state.locks.lock(namespace, key)) {
      if (state.pg != null && condition != Condition.HISTORY) {
        Entry written = writeInOneStatement(namespace, key, given, options, condition, version, change);
        if (written != null) {
          return written;
        }
      }
      Done<Entry> done = state.tx.run(Tx.Op.of("write of", namespace, key), c -> {
        long now = state.clock.millis();
        Db.Settings settings = db.settings(c, namespace);
        long expiresAt = expiry(now, options, settings);
        Db.Current cur = db.lock(c, namespace, key);
        List<ChangeEvent> events = new ArrayList<>(2);
        try (Db.Writes w = db.new Writes(c)) {
          Db.Current live = cur;
          if (cur != null && cur.expiredAt(now)) {
            expireInPlace(w, namespace, key, cur, events);
            live = null;
          }
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
          return new Done<>(e, events);
        }
      });
      state.listeners.publish(done.events());
      return done.result();
    }
  }

  /**
   * The common case of a single write on PostgreSQL, in one statement ({@link PgWrites}): the
   * written entry, once its event is published; or the exception the general path would throw;
   * or null when the general path must decide (an expired row to write over, a default TTL out of
   * range, a row that changed while the statement ran).
   */
  private Entry writeInOneStatement(String namespace, String key, Value value, WriteOptions options, Condition condition,
      long expected, ChangeType change) {
    PgWrites.Kind kind = switch (condition) {
      case NONE -> PgWrites.Kind.PUT;
      case ABSENT -> PgWrites.Kind.CREATE;
      case PRESENT -> PgWrites.Kind.UPDATE;
      case VERSION -> PgWrites.Kind.COMPARE_AND_SET;
      case HISTORY -> throw new IllegalArgumentException("a rollback has no one-statement form");
    };
    PgWrites.Written w = state.tx.autocommit(() -> Tx.Op.of("write of", namespace, key), c -> {
      long now = state.clock.millis();
      long ownExpiry = options.ttl().isPresent() ? expiry(now, options, Db.Settings.DEFAULTS) : Db.NO_EXPIRY;
      return state.pg.write(c, kind, namespace, key, value, options, expected, change, principal, now, ownExpiry);
    });
    if (w.version() > 0) {
      Instant at = Instant.ofEpochMilli(w.at());
      ChangeType kindWritten = w.version() == 1 ? ChangeType.CREATED : change;
      Entry entry = new Entry(namespace, key, value, w.version(), Instant.ofEpochMilli(w.createdAt()),
          Instant.ofEpochMilli(w.updatedAt()),
          w.expiresAt() == Db.NO_EXPIRY ? Optional.empty() : Optional.of(Instant.ofEpochMilli(w.expiresAt())),
          options.metadata(), options.tags());
      state.listeners.publish(List.of(new ChangeEvent(kindWritten, namespace, key, w.version(), at, principal)));
      return entry;
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
    w.change(namespace, key, cur.version(), ChangeType.EXPIRED, Principal.SYSTEM, cur.expiresAt());
    events.add(new ChangeEvent(ChangeType.EXPIRED, namespace, key, cur.version(), Instant.ofEpochMilli(cur.expiresAt()),
        Principal.SYSTEM));
  }

  private Entry install(Db.Writes w, String namespace, String key, Db.Current row, Db.Current live, Value value,
      WriteOptions options, ChangeType change, long now, long expiresAt, int maxVersions, List<ChangeEvent> events)
      throws SQLException {
    ChangeType kind = live == null ? ChangeType.CREATED : change;
    long version = live == null ? 1 : live.version() + 1;
    Instant at = Instant.ofEpochMilli(live == null ? now : WriteTimes.updatedAt(now, live.updatedAt()));
    Entry entry = new Entry(namespace, key, value, version, live == null ? at : Instant.ofEpochMilli(live.createdAt()), at,
        expiresAt == Db.NO_EXPIRY ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expiresAt)),
        options.metadata(), options.tags());
    long historyFrom = live == null ? Db.NO_HISTORY : w.supersede(namespace, key, live, maxVersions);
    w.writeEntry(entry, row == null ? 0 : row.version(), value, new Db.Head(kind, principal, options.reason()), historyFrom);
    w.change(namespace, key, version, kind, principal, now);
    // The change happened at the clock's time, as the change log says, even if the entry's stamp was held back.
    events.add(new ChangeEvent(kind, namespace, key, version, Instant.ofEpochMilli(now), principal));
    return entry;
  }

  private static void requireVersion(String namespace, String key, Db.Current live, long expected) {
    EntryChecks.requireVersion(namespace, key, expected, live != null, live == null ? 0 : live.version());
  }

  @Override
  public boolean delete(String namespace, String key) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    return remove(namespace, key, 0);
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    EntryChecks.version(expectedVersion, "expectedVersion");
    remove(namespace, key, expectedVersion);
  }

  private boolean remove(String namespace, String key, long expectedVersion) {
    try (KeyLocks.Held held = state.locks.lock(namespace, key)) {
      if (state.pg != null) {
        Boolean removed = removeInOneStatement(namespace, key, expectedVersion);
        if (removed != null) {
          return removed;
        }
      }
      Done<Boolean> done = state.tx.run(Tx.Op.of("delete of", namespace, key), c -> {
        long now = state.clock.millis();
        Db.Current cur = db.lock(c, namespace, key);
        List<ChangeEvent> events = new ArrayList<>(1);
        try (Db.Writes w = db.new Writes(c)) {
          Db.Current live = cur;
          if (cur != null && cur.expiredAt(now)) {
            expireInPlace(w, namespace, key, cur, events);
            w.deleteEntry(namespace, key, cur.version());
            live = null;
          }
          if (expectedVersion > 0) {
            requireVersion(namespace, key, live, expectedVersion);
          }
          if (live != null) {
            w.deleteEntry(namespace, key, live.version());
            if (live.hasHistory()) {
              w.dropHistory(namespace, key);
            }
            w.change(namespace, key, live.version(), ChangeType.DELETED, principal, now);
            events.add(new ChangeEvent(ChangeType.DELETED, namespace, key, live.version(), Instant.ofEpochMilli(now), principal));
          }
          w.flush();
          return new Done<>(live != null, events);
        }
      });
      state.listeners.publish(done.events());
      return done.result();
    }
  }

  /**
   * The common case of a delete on PostgreSQL, in one statement ({@link PgWrites}): whether it
   * deleted, once its event is published; or the exception the general path would throw; or
   * null when the general path must decide (an expired row, a row that changed meanwhile).
   */
  private Boolean removeInOneStatement(String namespace, String key, long expectedVersion) {
    long[] now = new long[1];
    PgWrites.Deleted d = state.tx.autocommit(() -> Tx.Op.of("delete of", namespace, key), c -> {
      now[0] = state.clock.millis();
      return state.pg.delete(c, namespace, key, expectedVersion, principal, now[0]);
    });
    if (d.deleted() > 0) {
      state.listeners.publish(List.of(
          new ChangeEvent(ChangeType.DELETED, namespace, key, d.deleted(), Instant.ofEpochMilli(now[0]), principal)));
      return true;
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
    return d.seenVersion() == 0 ? Boolean.FALSE : null;
  }

  // ---------------------------------------------------------------- bulk writes

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    state.limits.checkNamespace(namespace);
    Objects.requireNonNull(values, "values");
    state.limits.checkOptions(options);
    EntryChecks.batchSize(values.size());
    for (Map.Entry<String, Value> e : values.entrySet()) {
      state.limits.checkKey(e.getKey());
      state.limits.checkValue(e.getValue());
    }
    if (values.isEmpty()) {
      return Map.of();
    }
    try (KeyLocks.Held held = state.locks.lockAll(namespace, values.keySet())) {
      if (state.pg != null) {
        Optional<Done<Map<String, Entry>>> fast = state.tx.runIfPresent(
            () -> Tx.Op.of("putAll of " + values.size() + " entries in", namespace),
            c -> putAllInOneStatement(c, namespace, values, options));
        if (fast.isPresent()) {
          state.listeners.publish(fast.get().events());
          return fast.get().result();
        }
      }
      Done<Map<String, Entry>> done = state.tx.run(Tx.Op.of("putAll of " + values.size() + " entries in", namespace), c -> {
        long now = state.clock.millis();
        Db.Settings settings = db.settings(c, namespace);
        long expiresAt = expiry(now, options, settings);
        Map<String, Db.Current> rows = db.lockAll(c, namespace, values.keySet());
        List<ChangeEvent> events = new ArrayList<>(values.size());
        Map<String, Entry> written = new LinkedHashMap<>();
        try (Db.Writes w = db.new Writes(c)) {
          for (Map.Entry<String, Value> v : values.entrySet()) {
            String key = v.getKey();
            Db.Current cur = rows.get(key);
            Db.Current live = cur;
            if (cur != null && cur.expiredAt(now)) {
              expireInPlace(w, namespace, key, cur, events);
              live = null;
            }
            written.put(key, install(w, namespace, key, cur, live, v.getValue(), options, ChangeType.UPDATED, now, expiresAt,
                settings.maxVersions(), events));
          }
          w.flush();
        }
        return new Done<>(Collections.unmodifiableMap(written), events);
      });
      state.listeners.publish(done.events());
      return done.result();
    }
  }

  /** PostgreSQL: every entry in one statement, or empty (to roll back) if one needs the general path. */
  private Optional<Done<Map<String, Entry>>> putAllInOneStatement(java.sql.Connection c, String namespace,
      Map<String, Value> values, WriteOptions options) throws SQLException {
    long now = state.clock.millis();
    long ownExpiry = options.ttl().isPresent() ? expiry(now, options, Db.Settings.DEFAULTS) : Db.NO_EXPIRY;
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
          Instant.ofEpochMilli(row.updatedAt()), row.expiresAt() == Db.NO_EXPIRY ? Optional.empty() : Optional.of(Instant.ofEpochMilli(row.expiresAt())),
          options.metadata(), options.tags()));
      events.add(new ChangeEvent(kind, namespace, v.getKey(), row.version(), at, principal));
    }
    return Optional.of(new Done<>(Collections.unmodifiableMap(written), events));
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    state.limits.checkNamespace(namespace);
    LinkedHashSet<String> unique = EntryChecks.keys(state.limits, keys);
    if (unique.isEmpty()) {
      return 0;
    }
    try (KeyLocks.Held held = state.locks.lockAll(namespace, unique)) {
      Done<Integer> done = state.tx.run(Tx.Op.of("deleteAll of " + unique.size() + " keys in", namespace), c -> {
        long now = state.clock.millis();
        Map<String, Db.Current> rows = db.lockAll(c, namespace, unique);
        List<ChangeEvent> events = new ArrayList<>(rows.size());
        int deleted = 0;
        try (Db.Writes w = db.new Writes(c)) {
          for (String key : unique) {
            Db.Current cur = rows.get(key);
            if (cur == null) {
              continue;
            }
            w.deleteEntry(namespace, key, cur.version());
            if (cur.hasHistory()) {
              w.dropHistory(namespace, key);
            }
            if (cur.expiredAt(now)) {
              w.change(namespace, key, cur.version(), ChangeType.EXPIRED, Principal.SYSTEM, cur.expiresAt());
              events.add(new ChangeEvent(ChangeType.EXPIRED, namespace, key, cur.version(),
                  Instant.ofEpochMilli(cur.expiresAt()), Principal.SYSTEM));
            } else {
              w.change(namespace, key, cur.version(), ChangeType.DELETED, principal, now);
              events.add(new ChangeEvent(ChangeType.DELETED, namespace, key, cur.version(), Instant.ofEpochMilli(now), principal));
              deleted++;
            }
          }
          w.flush();
        }
        return new Done<>(deleted, events);
      });
      state.listeners.publish(done.events());
      return done.result();
    }
  }

  // ---------------------------------------------------------------- rewriting stored values

  @Override
  public int rewriteValues(String namespace, String key, UnaryOperator<Value> rewrite) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    Objects.requireNonNull(rewrite, "rewrite");
    try (KeyLocks.Held held = state.locks.lock(namespace, key)) {
      return Rewrites.rewrite(state, namespace, key, rewrite);
    }
  }

  // ---------------------------------------------------------------- restoring entries as given

  @Override
  public void restore(Entry entry, List<VersionRecord> history) {
    RestoreInput input = RestoreInput.check(state.limits, principal, entry, history);
    try (KeyLocks.Held held = state.locks.lock(entry.namespace(), entry.key())) {
      state.listeners.publish(Restores.restore(state, principal, input));
    }
  }

  // ---------------------------------------------------------------- checks

  private static long expiry(long now, WriteOptions options, Db.Settings settings) {
    Optional<Duration> ttl = Expiry.ttl(options, settings.defaultTtl());
    return ttl.isEmpty() ? Db.NO_EXPIRY : Expiry.at(now, ttl.get());
  }

  // ---------------------------------------------------------------- the rest

  /** For tests in this package. */
  StoreState state() {
    return state;
  }

  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    return state.listeners.add(filter, listener);
  }

  @Override
  public JdbcKvStore as(Principal principal) {
    Objects.requireNonNull(principal, "principal");
    return new JdbcStore(state, principal, false);
  }

  @Override
  public Principal principal() {
    return principal;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }
  /** Offers {@link io.kv.ValueRewriter} and {@link io.kv.EntryRestorer}, acting for this view's principal. */
  @Override
  public <T> Optional<T> feature(Class<T> type) {
    return Features.of(type, this);
  }


  @Override
  public ClockSkew clockSkew() {
    return state.clock.skew();
  }

  @Override
  public java.time.Clock clock() {
    return state.clock;
  }

  @Override
  public Dialect dialect() {
    return db.dialect;
  }

  @Override
  public String instanceId() {
    return state.config.instanceId();
  }

  @Override
  public String tablePrefix() {
    return state.config.tablePrefix();
  }

  @Override
  public Optional<String> schema() {
    return Optional.ofNullable(state.config.schema());
  }

  @Override
  public int purgeExpired() {
    return state.sweeper.sweepAll();
  }

  @Override
  public void compact() {
    state.sweeper.compact();
  }

  @Override
  public void close() {
    if (root) {
      state.close();
    }
  }

  @Override
  public String toString() {
    return "JdbcKvStore[" + db.dialect + ", tables=" + db.entries + ", principal=" + principal.name() + "]";
  }
}
