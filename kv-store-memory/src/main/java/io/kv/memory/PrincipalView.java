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
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.spi.EntryChecks;
import io.kv.spi.Features;
import io.kv.spi.ListingCursor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The memory store as seen by one principal: the reads and the single writes, the hot paths,
 * here; bulk writes in {@link BulkWrites}, rewrites and restores in {@link StoredValues}; the
 * steps every write takes under the lock in {@link WritePath}. See {@link MemoryKvStore} for the
 * guarantees. Thread-safe.
 */
final class PrincipalView implements MemoryKvStore {
  private static final Capabilities CAPABILITIES = new Capabilities(true, false, false);

  private enum Condition { NONE, ABSENT, PRESENT }

  private final SharedState state;
  private final Clock clock;
  private final InputRules limits;
  private final Principal principal;
  private final MemoryNamespaces namespaces;
  /** Whether this is the store itself rather than a principal view of it: only the store's close stops the sweep. */
  private final boolean root;
  /**
   * The namespace read or written last: most callers stay in one namespace, and this saves a
   * hash lookup. Racy on purpose: a stale value is only a cache miss, and a NamespaceTable is safely
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

  static MemoryKvStore create(Clock clock, InputRules limits, Duration sweepInterval, int changeLogSize) {
    return new PrincipalView(new SharedState(clock, limits, sweepInterval, changeLogSize), Principal.ANONYMOUS, true);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Entry> get(String namespace, String key) {
    // The hot path, kept small so that it inlines into the caller: a hit on an entry without a
    // TTL in the namespace read last. Everything else takes readSlow.
    Objects.requireNonNull(key, "key");
    NamespaceTable s = lastRead;
    // Identity first, in this method's own bytecode: a caller passing the same String object each
    // time (a constant) then never runs String.equals here, and the JIT leaves its character
    // comparison out of the compiled read, which keeps the read small enough to inline into the
    // layers above and their callers.
    if (s != null && (s.name == namespace || s.name.equals(namespace))) {
      Optional<Entry> hit = s.fast.get(key);
      return hit != null ? hit : readNode(s, key);
    }
    return readSlow(namespace, key);
  }

  /**
   * The space of {@code namespace} if it has one, trying {@link #lastRead} before the namespace
   * map: a writer, like a reader, mostly stays in one namespace. A space once made is never
   * dropped, so the cached one is the namespace's own.
   */
  private NamespaceTable tableUsedLast(String namespace) {
    NamespaceTable s = lastRead;
    if (s != null && (s.name == namespace || s.name.equals(namespace))) {
      return s;
    }
    s = state.tables.get(namespace);
    if (s != null) {
      lastRead = s;
    }
    return s;
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
    Optional<Entry> read = s.readPastFast(key, clock);
    if (read == null) {
      // Expired. Look again: the key may have been written since, and only an expired node is reclaimed.
      Node n = s.node(key);
      if (n != null && n.expiredAt(clock.millis())) {
        state.reclaimIfFree(s, key, n);
      }
      return Optional.empty();
    }
    if (read.isEmpty()) {
      // Only keys that passed the checks are stored, so a hit needs no check and a miss pays for it.
      limits.checkKey(key);
    }
    return read;
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
    long stamp = s.readStamp();
    Map<String, Entry> out = readAll(s, unique, now);
    if (!s.sawNoTransaction(stamp)) {
      s.lock.lock();
      try {
        out = readAll(s, unique, now);
      } finally {
        s.lock.unlock();
      }
    }
    return out;
  }

  private static Map<String, Entry> readAll(NamespaceTable s, Collection<String> keys, long now) {
    Map<String, Entry> out = new LinkedHashMap<>();
    for (String key : keys) {
      Node n = s.nodeAsRead(key);
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
      return new Page(List.of(), Optional.empty(), state.log.revision());
    }
    long now = clock.millis();
    long revision = state.log.revision();
    long changed = s.lastRevision;
    long stamp = s.readStamp();
    Page page = page(s, prefix, after, options.limit(), now, revision);
    // A change of this namespace after the revision read first may be in the page: read again with writers held off.
    if (!s.sawNoTransaction(stamp) || changed > revision || s.lastRevision != changed) {
      s.lock.lock();
      try {
        page = page(s, prefix, after, options.limit(), now, state.log.revision());
      } finally {
        s.lock.unlock();
      }
    }
    return page;
  }

  private static Page page(NamespaceTable s, String prefix, String after, int limit, long now, long revision) {
    NavigableSet<String> range = after == null ? s.keys.tailSet(prefix, true) : s.keys.tailSet(after, false);
    List<Entry> page = new ArrayList<>(Math.min(limit, 64));
    for (String key : range) {
      if (!key.startsWith(prefix)) {
        break;
      }
      Node n = s.nodeAsRead(key);
      if (n == null || n.expiredAt(now)) {
        continue;
      }
      if (page.size() == limit) {
        return new Page(page, Optional.of(ListingCursor.after(page.get(limit - 1).key())), revision);
      }
      page.add(n.entry);
    }
    return new Page(page, Optional.empty(), revision);
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
    Node n = s == null ? null : s.nodeAsRead(key);
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
    NamespaceTable s = tableUsedLast(namespace);
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
          return WritePath.overwrite(state, principal, s, i, key, value, options, change, now);
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
      return WritePath.install(state, principal, s, key, slot, cur, value, options, change, now,
          WritePath.expiry(now, options, s));
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
      Node cur = WritePath.requireVersion(state, s, key, expectedVersion, now);
      return WritePath.install(state, principal, s, key, cur, value, options, ChangeType.UPDATED, now,
          WritePath.expiry(now, options, s));
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
          return WritePath.install(state, principal, s, key, cur, r.value(), options, ChangeType.ROLLED_BACK, now,
              WritePath.expiry(now, options, s));
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
      WritePath.remove(state, principal, s, key, cur, now);
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
      WritePath.remove(state, principal, s, key, WritePath.requireVersion(state, s, key, expectedVersion, now), now);
    } finally {
      s.lock.unlock();
    }
  }

  // ---------------------------------------------------------------- bulk writes

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    return BulkWrites.putAll(state, principal, namespace, values, options);
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    return BulkWrites.deleteAll(state, principal, namespace, keys);
  }

  @Override
  public TransactionResult commit(String namespace, Transaction transaction) {
    return Transactions.commit(state, principal, namespace, transaction);
  }

  // ---------------------------------------------------------------- rewriting and restoring stored values

  @Override
  public int rewriteValues(String namespace, String key, UnaryOperator<Value> rewrite) {
    return StoredValues.rewrite(state, namespace, key, rewrite);
  }

  @Override
  public void restore(Entry entry, List<VersionRecord> history) {
    StoredValues.restore(state, principal, entry, history);
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
  public Subscription subscribe(ChangeFilter filter, long fromRevision, ChangeListener listener) {
    return state.log.subscribe(state.listeners, filter, fromRevision, listener);
  }

  @Override
  public long revision() {
    return state.log.revision();
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
