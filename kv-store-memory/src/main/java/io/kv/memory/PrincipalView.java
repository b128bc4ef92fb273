package io.kv.memory;

import io.kv.AlreadyExistsException;
import io.kv.Capabilities;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.ListOptions;
import io.kv.Namespaces;
import io.kv.NotFoundException;
import io.kv.Page;
import io.kv.Principal;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.spi.EntryChecks;
import io.kv.spi.Expiry;
import io.kv.spi.Features;
import io.kv.spi.ListingCursor;
import io.kv.spi.RestoreInput;
import io.kv.spi.WriteTimes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** The memory store as seen by one principal. See {@link MemoryKvStore} for the guarantees. */
final class PrincipalView implements MemoryKvStore {
  private static final Capabilities CAPABILITIES = new Capabilities(true, false, false);
  private static final Page EMPTY_PAGE = new Page(List.of(), Optional.empty());

  private enum Condition { NONE, ABSENT, PRESENT }

  private final SharedState state;
  private final Clock clock;
  private final InputRules limits;
  private final Principal principal;
  private final MemoryNamespaces namespaces;
  /** Whether this is the store itself rather than a principal view of it: only the store's close stops the sweep. */
  private final boolean root;
  /**
   * The namespace read last: most readers stay in one namespace, and this saves the second hash
   * lookup. Racy on purpose: a stale value is only a cache miss, and a NamespaceTable is safely
   * published through its final fields.
   */
  private NamespaceTable lastRead;

  private PrincipalView(SharedState state, Principal principal, boolean root) {
    this.state = state;
    this.root = root;
    this.clock = state.clock;
    this.limits = state.limits;
    this.principal = principal;
    this.namespaces = new MemoryNamespaces(state, principal);
  }

  static MemoryKvStore create(Clock clock, InputRules limits, Duration sweepInterval) {
    return new PrincipalView(new SharedState(clock, limits, sweepInterval), Principal.ANONYMOUS, true);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Entry> get(String namespace, String key) {
    // The hot path, kept small so that it inlines into the caller: a hit on an entry without a
    // TTL in the namespace read last. Everything else takes readSlow.
    Objects.requireNonNull(key, "key");
    NamespaceTable s = lastRead;
    if (s != null && s.name.equals(namespace)) {
      Optional<Entry> hit = s.fast.get(key);
      return hit != null ? hit : readNode(s, key);
    }
    return readSlow(namespace, key);
  }

  private Optional<Entry> readSlow(String namespace, String key) {
    Objects.requireNonNull(namespace, "namespace");
    NamespaceTable s = state.tables.get(namespace);
    if (s == null) {
      limits.checkNamespace(namespace);
      limits.checkKey(key);
      return Optional.empty();
    }
    lastRead = s;
    Optional<Entry> hit = s.fast.get(key);
    return hit != null ? hit : readNode(s, key);
  }

  /** A read of an entry with a TTL, or a miss. */
  private Optional<Entry> readNode(NamespaceTable s, String key) {
    Optional<Entry> live = s.expiring.getLive(key, clock);
    if (live != null) {
      return live;
    }
    // A miss, an expired entry, or a write under way: the node decides.
    Node n = s.node(key);
    if (n == null) {
      // Only keys that passed the checks are stored, so a hit needs no check and a miss pays for it.
      limits.checkKey(key);
      return Optional.empty();
    }
    if (n.expiresAt != Node.NO_EXPIRY && n.expiredAt(clock.millis())) {
      state.reclaimIfFree(s, key, n);
      return Optional.empty();
    }
    return n.present;
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    limits.checkNamespace(namespace);
    LinkedHashSet<String> unique = EntryChecks.keys(limits, keys);
    NamespaceTable s = state.tables.get(namespace);
    if (s == null) {
      return Map.of();
    }
    long now = clock.millis();
    Map<String, Entry> out = new LinkedHashMap<>();
    for (String key : unique) {
      Node n = s.node(key);
      if (n != null && !n.expiredAt(now)) {
        out.put(key, n.entry);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    limits.checkNamespace(namespace);
    Objects.requireNonNull(options, "options");
    String prefix = options.prefix();
    limits.checkPrefix(prefix);
    String after = options.cursor().map(c -> ListingCursor.keyOf(c, prefix)).orElse(null);
    NamespaceTable s = state.tables.get(namespace);
    if (s == null) {
      return EMPTY_PAGE;
    }
    NavigableSet<String> range = after == null ? s.keys.tailSet(prefix, true) : s.keys.tailSet(after, false);
    long now = clock.millis();
    int limit = options.limit();
    List<Entry> page = new ArrayList<>(Math.min(limit, 64));
    for (String key : range) {
      if (!key.startsWith(prefix)) {
        break;
      }
      Node n = s.node(key);
      if (n == null || n.expiredAt(now)) {
        continue;
      }
      if (page.size() == limit) {
        return new Page(page, Optional.of(ListingCursor.after(page.get(limit - 1).key())));
      }
      page.add(n.entry);
    }
    return new Page(page, Optional.empty());
  }

  @Override
  public long count(String namespace) {
    limits.checkNamespace(namespace);
    NamespaceTable s = state.tables.get(namespace);
    if (s == null) {
      return 0;
    }
    s.lock.lock();
    try {
      // Reclaim everything due first, so the size of the map is the number of live entries.
      state.reclaimDue(s, clock.millis(), Integer.MAX_VALUE);
      return s.slots.size();
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    limits.checkNamespace(namespace);
    limits.checkKey(key);
    NamespaceTable s = state.tables.get(namespace);
    Node n = s == null ? null : s.node(key);
    return n == null || n.expiredAt(clock.millis()) ? List.of() : n.history();
  }

  // ---------------------------------------------------------------- single writes

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, value, options, Condition.NONE, ChangeType.UPDATED);
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, value, options, Condition.ABSENT, ChangeType.UPDATED);
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, value, options, Condition.PRESENT, ChangeType.UPDATED);
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, value, options, Condition.PRESENT, ChangeType.ROTATED);
  }

  private Entry write(String namespace, String key, Value value, WriteOptions options, Condition condition, ChangeType change) {
    // The checks of checkWrite, in its order, less those that what is stored already settles: a
    // namespace has a space only once its name passed the checks, and a key is stored (in the
    // fast index, or with a slot) only once it did.
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    NamespaceTable s = state.tables.get(namespace);
    if (s == null) {
      limits.checkNamespace(namespace);
    }
    // Its slot, from the fast index for a key without a TTL or else from the key map; looked up
    // before the lock, and looked at again under it.
    NamespaceTable.Slot slot = null;
    if (s != null && (slot = s.fast.nodeSlotHint(key)) == null) {
      slot = s.slots.get(key);
    }
    if (slot == null) {
      limits.checkKey(key);
    }
    limits.checkValue(value);
    if (options != WriteOptions.none()) {
      // The shared empty options hold nothing to check.
      limits.checkOptions(options);
    }
    if (s == null) {
      s = state.tableFor(namespace);
    }
    s.lock.lock();
    try {
      long now = clock.millis();
      if (options.ttl().isEmpty() && s.settings().defaultTtl().isEmpty()) {
        // The new version has no expiry. A key whose current one has none either is in the fast
        // index, which holds its value and its node slot: overwrite it there, in place.
        int i = s.fast.liveSlot(key);
        if (i >= 0) {
          if (condition == Condition.ABSENT) {
            throw new AlreadyExistsException(namespace, key);
          }
          return overwrite(s, i, key, value, options, change, now);
        }
      }
      if (slot == null || slot.node() == null) {
        // Not there before the lock, or removed since: look again, now that nothing can change.
        slot = s.slots.get(key);
      }
      Node cur = slot == null ? null : slot.node();
      if (cur != null && cur.expiredAt(now)) {
        state.expire(s, key, cur);
        cur = null;
        slot = null;
      }
      if (condition == Condition.ABSENT && cur != null) {
        throw new AlreadyExistsException(namespace, key);
      }
      if (condition == Condition.PRESENT && cur == null) {
        throw new NotFoundException(namespace, key);
      }
      return install(s, key, slot, cur, value, options, change, now, expiry(now, options, s));
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    EntryChecks.write(limits, namespace, key, value, options);
    EntryChecks.version(expectedVersion, "expectedVersion");
    NamespaceTable s = state.tableFor(namespace);
    s.lock.lock();
    try {
      long now = clock.millis();
      Node cur = requireVersion(s, key, expectedVersion, now);
      return install(s, key, cur, value, options, ChangeType.UPDATED, now, expiry(now, options, s));
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    limits.checkNamespace(namespace);
    limits.checkKey(key);
    limits.checkOptions(options);
    EntryChecks.version(toVersion, "toVersion");
    NamespaceTable s = state.tableFor(namespace);
    s.lock.lock();
    try {
      long now = clock.millis();
      Node cur = state.live(s, key, now);
      if (cur == null) {
        throw new NotFoundException(namespace, key);
      }
      for (VersionRecord r : cur.history()) {
        if (r.version() == toVersion) {
          return install(s, key, cur, r.value(), options, ChangeType.ROLLED_BACK, now, expiry(now, options, s));
        }
      }
      throw new NotFoundException(namespace, key,
          "version " + toVersion + " of entry '" + namespace + "/" + key + "' is not in its history");
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public boolean delete(String namespace, String key) {
    limits.checkNamespace(namespace);
    limits.checkKey(key);
    NamespaceTable s = state.tables.get(namespace);
    if (s == null) {
      return false;
    }
    s.lock.lock();
    try {
      long now = clock.millis();
      Node cur = state.live(s, key, now);
      if (cur == null) {
        return false;
      }
      remove(s, key, cur, now);
      return true;
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    limits.checkNamespace(namespace);
    limits.checkKey(key);
    EntryChecks.version(expectedVersion, "expectedVersion");
    NamespaceTable s = state.tableFor(namespace);
    s.lock.lock();
    try {
      long now = clock.millis();
      remove(s, key, requireVersion(s, key, expectedVersion, now), now);
    } finally {
      s.lock.unlock();
    }
  }

  // ---------------------------------------------------------------- bulk writes

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    limits.checkNamespace(namespace);
    Objects.requireNonNull(values, "values");
    limits.checkOptions(options);
    EntryChecks.batchSize(values.size());
    for (Map.Entry<String, Value> e : values.entrySet()) {
      limits.checkKey(e.getKey());
      limits.checkValue(e.getValue());
    }
    NamespaceTable s = state.tableFor(namespace);
    s.lock.lock();
    try {
      long now = clock.millis();
      long expiresAt = expiry(now, options, s);
      Map<String, Entry> written = new LinkedHashMap<>();
      for (Map.Entry<String, Value> e : values.entrySet()) {
        Node cur = state.live(s, e.getKey(), now);
        written.put(e.getKey(), install(s, e.getKey(), cur, e.getValue(), options, ChangeType.UPDATED, now, expiresAt));
      }
      return Collections.unmodifiableMap(written);
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    limits.checkNamespace(namespace);
    LinkedHashSet<String> unique = EntryChecks.keys(limits, keys);
    NamespaceTable s = state.tables.get(namespace);
    if (s == null) {
      return 0;
    }
    s.lock.lock();
    try {
      long now = clock.millis();
      int deleted = 0;
      for (String key : unique) {
        Node cur = state.live(s, key, now);
        if (cur != null) {
          remove(s, key, cur, now);
          deleted++;
        }
      }
      return deleted;
    } finally {
      s.lock.unlock();
    }
  }

  // ---------------------------------------------------------------- rewriting stored values

  @Override
  public int rewriteValues(String namespace, String key, UnaryOperator<Value> rewrite) {
    limits.checkNamespace(namespace);
    limits.checkKey(key);
    Objects.requireNonNull(rewrite, "rewrite");
    NamespaceTable s = state.tables.get(namespace);
    if (s == null) {
      return 0;
    }
    s.lock.lock();
    try {
      Node cur = state.live(s, key, clock.millis());
      if (cur == null) {
        return 0;
      }
      // The entry and the head of its history share one Value: rewrite each stored value once,
      // so both keep the same bytes after a rewrite that is not deterministic (a fresh IV).
      Map<Value, Value> rewritten = new IdentityHashMap<>();
      UnaryOperator<Value> once = v -> rewritten.computeIfAbsent(v, old -> checkedRewrite(rewrite, old));
      Set<Long> changed = new HashSet<>();
      Entry e = cur.entry;
      Value value = once.apply(e.value());
      if (!value.equals(e.value())) {
        changed.add(e.version());
      }
      List<VersionRecord> before = cur.history();
      List<VersionRecord> history = new ArrayList<>(before.size());
      for (VersionRecord r : before) {
        Value v = once.apply(r.value());
        if (v.equals(r.value())) {
          history.add(r);
        } else {
          changed.add(r.version());
          history.add(new VersionRecord(r.version(), v, r.change(), r.changedBy(), r.changedAt(), r.reason()));
        }
      }
      if (changed.isEmpty()) {
        return 0;
      }
      Entry next = value.equals(e.value()) ? e : new Entry(e.namespace(), e.key(), value, e.version(), e.createdAt(),
          e.updatedAt(), e.expiresAt(), e.metadata(), e.tags());
      s.replace(key, cur, Node.withHistory(next, cur.expiresAt, history));
      return changed.size();
    } finally {
      s.lock.unlock();
    }
  }

  // ---------------------------------------------------------------- restoring entries

  @Override
  public void restore(Entry entry, List<VersionRecord> history) {
    RestoreInput input = RestoreInput.check(limits, principal, entry, history);
    Entry restored = input.entry();
    String namespace = restored.namespace();
    String key = restored.key();
    long expiresAt = input.expiresAtMillis(Node.NO_EXPIRY);
    NamespaceTable s = state.tableFor(namespace);
    s.lock.lock();
    try {
      long now = clock.millis();
      input.requireUnexpired(now);
      Node cur = state.live(s, key, now);
      s.replace(key, cur, Node.withHistory(restored, expiresAt, input.history(s.settings().maxVersions())));
      state.reclaimDue(s, now, SharedState.RECLAIM_PER_WRITE);
      if (expiresAt != Node.NO_EXPIRY) {
        state.sweepNeeded();
      }
      state.listeners.publish(cur == null ? ChangeType.CREATED : ChangeType.UPDATED, namespace, key, restored.version(), now,
          principal);
    } finally {
      s.lock.unlock();
    }
  }

  private Value checkedRewrite(UnaryOperator<Value> rewrite, Value old) {
    Value v = Objects.requireNonNull(rewrite.apply(old), "rewrite returned null");
    limits.checkValue(v);
    return v;
  }

  // ---------------------------------------------------------------- the write path, lock held

  private Entry install(
      NamespaceTable s, String key, Node cur, Value value, WriteOptions options, ChangeType change, long now, long expiresAt) {
    return install(s, key, null, cur, value, options, change, now, expiresAt);
  }

  /** Writes a new version on top of {@code cur} (null for a create); {@code slot} is its slot, or null. */
  private Entry install(NamespaceTable s, String key, NamespaceTable.Slot slot, Node cur, Value value, WriteOptions options,
      ChangeType change, long now, long expiresAt) {
    ChangeType kind = cur == null ? ChangeType.CREATED : change;
    long version = cur == null ? 1 : cur.entry.version() + 1;
    Instant at = cur == null ? s.instantAt(now) : stamp(s, cur.entry.updatedAt().toEpochMilli(), now);
    Entry entry = new Entry(s.name, key, value, version, cur == null ? at : cur.entry.createdAt(), at,
        expiresAt == Node.NO_EXPIRY ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expiresAt)),
        options.metadata(), options.tags());
    Node next = new Node(entry, expiresAt, kind, principal, options.reason(), Node.earlierAfter(cur, s.settings().maxVersions()));
    s.replace(key, slot, cur, next);
    state.reclaimDue(s, now, SharedState.RECLAIM_PER_WRITE);
    if (expiresAt != Node.NO_EXPIRY) {
      state.sweepNeeded();
    }
    state.listeners.publish(kind, s.name, key, version, now, principal);
    return entry;
  }

  /**
   * Writes a new version without an expiry on top of the live entry in slot {@code i} of the fast
   * index, which holds the node slot of {@code key}: what {@link #install} does for that case,
   * without looking the key up again. The slot has the current version and creation time; the
   * current node is read only for history.
   */
  private Entry overwrite(NamespaceTable s, int i, String key, Value value, WriteOptions options, ChangeType change, long now) {
    NamespaceTable.Slot slot = s.fast.nodeSlotAt(i);
    int maxVersions = s.settings().maxVersions();
    VersionRecord[] earlier = maxVersions == 0 ? Node.NONE : Node.earlierAfter(slot.node(), maxVersions);
    long version = slot.version() + 1;
    Instant at = stamp(s, slot.updatedAt(), now);
    Entry entry = new Entry(s.name, key, value, version, slot.createdAt(), at, Optional.empty(), options.metadata(),
        options.tags());
    s.replaceInFast(i, new Node(entry, Node.NO_EXPIRY, change, principal, options.reason(), earlier));
    state.reclaimDue(s, now, SharedState.RECLAIM_PER_WRITE);
    state.listeners.publish(change, s.name, key, version, now, principal);
    return entry;
  }

  /**
   * The updatedAt of a version written at {@code now} over one written at {@code previous} (epoch
   * ms), by {@link WriteTimes}: the clock may have stepped back since. Caller holds the lock.
   */
  private static Instant stamp(NamespaceTable s, long previous, long now) {
    return s.instantAt(WriteTimes.updatedAt(now, previous));
  }

  private void remove(NamespaceTable s, String key, Node cur, long now) {
    s.replace(key, cur, null);
    state.listeners.publish(ChangeType.DELETED, s.name, key, cur.entry.version(), now, principal);
  }

  private Node requireVersion(NamespaceTable s, String key, long expectedVersion, long now) {
    Node cur = state.live(s, key, now);
    EntryChecks.requireVersion(s.name, key, expectedVersion, cur != null, cur == null ? 0 : cur.entry.version());
    return cur;
  }

  /**
   * The expiry a write sets, in epoch milliseconds, or {@link Node#NO_EXPIRY}: from the write's
   * own TTL, else from the namespace's default TTL.
   */
  private static long expiry(long now, WriteOptions options, NamespaceTable s) {
    Optional<Duration> ttl = Expiry.ttl(options, s.settings().defaultTtl());
    return ttl.isEmpty() ? Node.NO_EXPIRY : Expiry.at(now, ttl.get());
  }

  // ---------------------------------------------------------------- the rest

  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    return state.listeners.add(filter, listener);
  }

  @Override
  public MemoryKvStore as(Principal principal) {
    Objects.requireNonNull(principal, "principal");
    return new PrincipalView(state, principal, false);
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
  public int purgeExpired() {
    return state.purgeExpired();
  }

  @Override
  public long size() {
    long n = 0;
    for (NamespaceTable s : state.tables.values()) {
      n += s.slots.size();
    }
    return n;
  }

  @Override
  public void close() {
    // A view shares the store's state; closing it must leave the sweep running for the others.
    if (root) {
      state.close();
    }
  }

  @Override
  public String toString() {
    return "MemoryKvStore[principal=" + principal.name() + ", namespaces=" + state.tables.size() + "]";
  }
}
