package io.kv.testkit;

import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces.DeleteMode;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reference a {@link ModelCheck} compares a store with: what the {@link io.kv.KvStore} contract
 * says one anonymous caller sees, written as plainly as possible. Each namespace is a sorted map
 * from key to the current entry and its history; nothing is concurrent, cached or clever.
 *
 * <p>Every method returns the outcome the contract expects: a value, or a {@link Outcome.Thrown}
 * naming the exception type. Writes take what the store returned as a hint for one thing the
 * contract leaves open: the time a write records after the clock stepped back behind the entry's
 * last write may be anything from the clock's time to that last write's time; the model accepts
 * the store's choice within that range and follows it.
 *
 * <p>Keys are compared by {@link String#compareTo}, which is code point order for the ASCII keys
 * a {@link ModelCheck} generates. Not thread-safe.
 */
final class KvModel {
  /** What the current version of a key says, and the records history holds, newest first. */
  private record Rec(Entry entry, List<VersionRecord> history) {}

  private static final class Space {
    Namespace declared;
    final TreeMap<String, Rec> recs = new TreeMap<>();

    NamespaceSettings settings() {
      return declared == null ? NamespaceSettings.defaults() : declared.settings();
    }
  }

  /** Which condition a single write checks before it writes. */
  enum Condition { NONE, ABSENT, PRESENT, VERSION }

  private final Map<String, Space> spaces = new HashMap<>();
  /** Every expiry a write set, live or not: a backend may keep an expired row until it sweeps. */
  private final List<Instant> expiries = new ArrayList<>();
  private Instant now;

  KvModel(Instant now) {
    this.now = now;
  }

  Instant now() {
    return now;
  }

  // ---------------------------------------------------------------- time

  void setNow(Instant now) {
    this.now = now;
  }

  /**
   * Where a move of the clock back to {@code target} may land without reviving an entry that has
   * expired: a store need not have removed an expired entry, and at an earlier time it would be
   * live again, which the contract does not settle. So the move stops at the latest expiry already
   * passed.
   */
  Instant backTarget(Instant target) {
    Instant floor = target;
    for (Instant e : expiries) {
      if (!e.isAfter(now) && e.isAfter(floor)) {
        floor = e;
      }
    }
    return floor;
  }

  /** The first expiry after now, if any. */
  Optional<Instant> nextExpiry() {
    return expiries.stream().filter(e -> e.isAfter(now)).min(Instant::compareTo);
  }

  // ---------------------------------------------------------------- reads

  Optional<Entry> get(String ns, String key) {
    Rec r = live(ns, key);
    return r == null ? Optional.empty() : Optional.of(r.entry);
  }

  /** The live entries of {@code keys}, in the order of their first occurrence. */
  List<Entry> getAll(String ns, Collection<String> keys) {
    List<Entry> out = new ArrayList<>();
    for (String key : new LinkedHashSet<>(keys)) {
      get(ns, key).ifPresent(out::add);
    }
    return out;
  }

  /** Every page of a listing from its first: each as its entries and whether more follow. */
  List<Outcome.PageView> list(String ns, String prefix, int limit) {
    List<Entry> all = new ArrayList<>();
    Space s = spaces.get(ns);
    if (s != null) {
      for (String key : s.recs.keySet()) {
        Rec r = live(ns, key);
        if (key.startsWith(prefix) && r != null) {
          all.add(r.entry);
        }
      }
    }
    List<Outcome.PageView> pages = new ArrayList<>();
    int from = 0;
    do {
      int to = Math.min(all.size(), from + limit);
      pages.add(new Outcome.PageView(all.subList(from, to), to < all.size()));
      from = to;
    } while (from < all.size());
    return pages;
  }

  long count(String ns) {
    Space s = spaces.get(ns);
    return s == null ? 0 : s.recs.keySet().stream().filter(k -> live(ns, k) != null).count();
  }

  List<VersionRecord> history(String ns, String key) {
    Rec r = live(ns, key);
    return r == null ? List.of() : r.history;
  }

  // ---------------------------------------------------------------- writes

  /**
   * A single write: put, create, update, compareAndSet or rotate.
   *
   * @param expectedVersion the version a {@link Condition#VERSION} write expects; else ignored
   * @param observed what the store returned, for the time it recorded
   */
  Object write(String ns, String key, Value value, WriteOptions options, Condition condition, long expectedVersion,
      ChangeType change, Object observed) {
    Rec cur = live(ns, key);
    switch (condition) {
      case ABSENT:
        if (cur != null) {
          return Outcome.thrown(Outcome.ALREADY_EXISTS);
        }
        break;
      case PRESENT:
        if (cur == null) {
          return Outcome.thrown(Outcome.NOT_FOUND);
        }
        break;
      case VERSION:
        if (cur == null || cur.entry.version() != expectedVersion) {
          return Outcome.thrown(Outcome.VERSION_CONFLICT);
        }
        break;
      default:
        break;
    }
    return install(ns, key, cur, value, options, change, observed instanceof Entry e ? e : null);
  }

  /** {@link io.kv.KvStore#putAll}: the written entries in the order of {@code values}. */
  List<Entry> putAll(String ns, Map<String, Value> values, WriteOptions options, Object observed) {
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<String, Value> v : values.entrySet()) {
      Entry hint = observed instanceof Map<?, ?> m && m.get(v.getKey()) instanceof Entry e ? e : null;
      out.add(install(ns, v.getKey(), live(ns, v.getKey()), v.getValue(), options, ChangeType.UPDATED, hint));
    }
    return out;
  }

  Object rollback(String ns, String key, long toVersion, WriteOptions options, Object observed) {
    if (toVersion < 1) {
      return Outcome.thrown(Outcome.INVALID_INPUT);
    }
    Rec cur = live(ns, key);
    if (cur == null) {
      return Outcome.thrown(Outcome.NOT_FOUND);
    }
    for (VersionRecord r : cur.history) {
      if (r.version() == toVersion) {
        return install(ns, key, cur, r.value(), options, ChangeType.ROLLED_BACK, observed instanceof Entry e ? e : null);
      }
    }
    return Outcome.thrown(Outcome.NOT_FOUND);
  }

  boolean delete(String ns, String key) {
    if (live(ns, key) == null) {
      return false;
    }
    spaces.get(ns).recs.remove(key);
    return true;
  }

  Object deleteIfVersion(String ns, String key, long expectedVersion) {
    Rec cur = live(ns, key);
    if (cur == null || cur.entry.version() != expectedVersion) {
      return Outcome.thrown(Outcome.VERSION_CONFLICT);
    }
    spaces.get(ns).recs.remove(key);
    return Outcome.DONE;
  }

  int deleteAll(String ns, Collection<String> keys) {
    int n = 0;
    for (String key : new LinkedHashSet<>(keys)) {
      n += delete(ns, key) ? 1 : 0;
    }
    return n;
  }

  private Entry install(String ns, String key, Rec cur, Value value, WriteOptions options, ChangeType change,
      Entry observed) {
    Space s = space(ns);
    Instant at = stamp(cur == null ? null : cur.entry.updatedAt(), observed == null ? null : observed.updatedAt());
    Optional<Duration> ttl = options.ttl().isPresent() ? options.ttl() : s.settings().defaultTtl();
    Optional<Instant> expiresAt = ttl.map(now::plus);
    expiresAt.ifPresent(expiries::add);
    long version = cur == null ? 1 : cur.entry.version() + 1;
    Entry entry = new Entry(ns, key, value, version, cur == null ? at : cur.entry.createdAt(), at, expiresAt,
        options.metadata(), options.tags());
    List<VersionRecord> history = new ArrayList<>();
    history.add(new VersionRecord(version, value, cur == null ? ChangeType.CREATED : change, Principal.ANONYMOUS, at,
        options.reason()));
    if (cur != null) {
      history.addAll(cur.history.subList(0, Math.min(cur.history.size(), s.settings().maxVersions())));
    }
    s.recs.put(key, new Rec(entry, List.copyOf(history)));
    return entry;
  }

  /**
   * The time a write records: now, unless the clock stepped back behind {@code floor} (the time of
   * the write before), where any time from now to {@code floor} is allowed and the store's {@code
   * observed} choice is taken when it lies in that range.
   */
  private Instant stamp(Instant floor, Instant observed) {
    if (floor == null || !now.isBefore(floor)) {
      return now;
    }
    if (observed != null && !observed.isBefore(now) && !observed.isAfter(floor)) {
      return observed;
    }
    return floor;
  }

  // ---------------------------------------------------------------- namespaces

  Optional<Namespace> namespace(String ns) {
    Space s = spaces.get(ns);
    return s == null ? Optional.empty() : Optional.ofNullable(s.declared);
  }

  /** Whether the namespace holds any entry, even an expired one a backend may still keep. */
  boolean holdsAnything(String ns) {
    Space s = spaces.get(ns);
    return s != null && !s.recs.isEmpty();
  }

  Object createNamespace(String ns, NamespaceSettings settings) {
    Space s = space(ns);
    if (s.declared != null) {
      return Outcome.thrown(Outcome.ALREADY_EXISTS);
    }
    s.declared = new Namespace(ns, settings, now, now);
    return s.declared;
  }

  Object updateNamespace(String ns, NamespaceSettings settings, Object observed) {
    Space s = spaces.get(ns);
    if (s == null || s.declared == null) {
      return Outcome.thrown(Outcome.NOT_FOUND);
    }
    Instant at = stamp(s.declared.updatedAt(), observed instanceof Namespace n ? n.updatedAt() : null);
    s.declared = new Namespace(ns, settings, s.declared.createdAt(), at);
    return s.declared;
  }

  Object deleteNamespace(String ns, DeleteMode mode) {
    Space s = spaces.get(ns);
    if (s == null || s.declared == null) {
      return false;
    }
    if (mode == DeleteMode.REFUSE_IF_NOT_EMPTY && count(ns) > 0) {
      return Outcome.thrown(Outcome.STATE_CONFLICT);
    }
    s.recs.clear();
    s.declared = null;
    return true;
  }

  // ---------------------------------------------------------------- the rest

  private Space space(String ns) {
    return spaces.computeIfAbsent(ns, n -> new Space());
  }

  private Rec live(String ns, String key) {
    Space s = spaces.get(ns);
    Rec r = s == null ? null : s.recs.get(key);
    return r == null || r.entry.isExpiredAt(now) ? null : r;
  }
}
