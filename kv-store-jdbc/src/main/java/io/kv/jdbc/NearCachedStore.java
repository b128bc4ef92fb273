package io.kv.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kv.Capabilities;
import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.Page;
import io.kv.Principal;
import io.kv.StorageException;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.ValueRewriter;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.spi.ChangeListeners;
import io.kv.spi.NamespaceWatchers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The near-cache layer; see {@link NearCache} for what it guarantees. It offers the {@link
 * ValueRewriter} {@link KvStore#feature feature} exactly when its delegate does, wrapped so that
 * a rewrite drops the entry. Thread-safe.
 *
 * <h2>The slow-read race</h2>
 * A read that misses takes the stamp of its key's stripe before it asks the delegate, and puts
 * what it read into the cache only if the stamp is unchanged, checked inside the cache's per-key
 * compute. Every invalidation bumps the stamp and then removes the key, so a read that overlapped
 * a write either sees the bumped stamp and skips the put, or put its value before the removal
 * that follows. Unrelated keys sharing a stripe only cost a skipped put.
 */
final class NearCachedStore implements KvStore {
  private static final Logger LOG = LoggerFactory.getLogger(NearCachedStore.class);
  /** Stripes of invalidation stamps; a power of two. */
  private static final int STRIPES = 1024;
  /** How long a namespace's secret flag is remembered. */
  private static final Duration SECRET_FLAG_TTL = Duration.ofSeconds(5);

  /** What every view of one cached store shares. */
  private static final class Shared {
    final KvStore root;
    final Cache<CacheKey, StaleReads.Held> entries;
    final Cache<String, Boolean> secretFlags;
    final AtomicLongArray stamps = new AtomicLongArray(STRIPES);
    final boolean cacheSecrets;
    final Clock clock;
    final StaleReads stale;
    final ChangeFeed feed;
    final ChangeListeners listeners = new ChangeListeners();
    final EventSequencer sequencer;
    final NamespaceWatchers namespaceWatchers = new NamespaceWatchers();
    Subscription localEvents;
    Subscription remoteEvents;
    Optional<Subscription> localNamespaces = Optional.empty();
    Subscription remoteNamespaces;
    boolean closed;

    Shared(KvStore root, long maximumSize, boolean cacheSecrets, ChangeFeed feed, Clock clock, StaleReads stale) {
      this.root = root;
      // With stale-if-error a value stays for its bound after it stops being fresh, as the last
      // known value; the clock decides freshness then (StaleReads.fresh).
      this.entries = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(stale.retention()).build();
      this.stale = stale;
      this.secretFlags = Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(SECRET_FLAG_TTL).build();
      this.cacheSecrets = cacheSecrets;
      this.clock = clock;
      this.feed = feed;
      this.sequencer = new EventSequencer(listeners);
    }

    static int stripe(CacheKey key) {
      int h = key.hashCode();
      return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    void invalidate(String namespace, String key) {
      CacheKey k = new CacheKey(namespace, key);
      stamps.incrementAndGet(stripe(k));
      entries.invalidate(k);
    }

    void invalidateNamespace(String namespace) {
      secretFlags.invalidate(namespace);
      for (int i = 0; i < STRIPES; i++) {
        stamps.incrementAndGet(i);
      }
      entries.asMap().keySet().removeIf(k -> k.namespace().equals(namespace));
    }

    /** Puts {@code entry} unless its key was invalidated since {@code stamp} was taken. */
    void populate(CacheKey k, int stripe, long stamp, Entry entry) {
      StaleReads.Held held = stale.hold(entry);
      entries.asMap().compute(k, (key, current) -> stamps.get(stripe) == stamp ? held : current);
    }

    /**
     * After a read found {@code k} absent or not to be cached: with stale-if-error the value
     * held past its freshness is no longer the last known one, so it goes.
     */
    void forget(CacheKey k) {
      if (stale.enabled()) {
        entries.invalidate(k);
      }
    }

    boolean cacheable(String namespace) {
      if (cacheSecrets) {
        return true;
      }
      try {
        Boolean secret = secretFlags.get(namespace,
            ns -> root.namespaces().get(ns).map(n -> n.settings().secret()).orElse(false));
        return !Boolean.TRUE.equals(secret);
      } catch (RuntimeException e) {
        // The read succeeded; not knowing whether to cache it must not fail it.
        LOG.debug("cannot tell whether namespace '{}' is secret; not caching", namespace, e);
        return false;
      }
    }

    /** A namespace's declaration changed, here or on another instance: drop what depends on it. */
    void onNamespaceChanged(String namespace) {
      invalidateNamespace(namespace);
      namespaceWatchers.changed(namespace);
    }

    void onLocal(ChangeEvent event) {
      invalidate(event.namespace(), event.key());
      sequencer.local(event);
    }

    void onRemote(ChangeEvent event) {
      invalidate(event.namespace(), event.key());
      sequencer.remote(event);
    }
  }

  private final KvStore delegate;
  private final Shared shared;
  private final boolean owner;
  private final Namespaces namespaces;

  private NearCachedStore(KvStore delegate, Shared shared, boolean owner) {
    this.delegate = delegate;
    this.shared = shared;
    this.owner = owner;
    this.namespaces = new CachedNamespaces(delegate.namespaces());
  }

  static KvStore create(KvStore delegate, long maximumSize, Duration expireAfterWrite, boolean cacheSecrets, ChangeFeed feed,
      Clock clock, Duration serveStaleFor, NearCache.StaleListener staleListener) {
    Shared shared = new Shared(delegate, maximumSize, cacheSecrets, feed, clock,
        new StaleReads(expireAfterWrite, serveStaleFor, clock, staleListener));
    shared.localNamespaces = delegate.namespaces().watch(shared::onNamespaceChanged);
    if (feed != null) {
      shared.remoteEvents = feed.subscribe(ChangeFilter.all(), shared::onRemote);
      shared.remoteNamespaces = feed.watchNamespaces(shared::onNamespaceChanged);
    }
    return new NearCachedStore(delegate, shared, true);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Entry> get(String namespace, String key) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    CacheKey k = new CacheKey(namespace, key);
    Entry hit = cachedLive(k);
    if (hit != null) {
      return Optional.of(hit);
    }
    int stripe = Shared.stripe(k);
    long stamp = shared.stamps.get(stripe);
    Optional<Entry> read;
    try {
      read = delegate.get(namespace, key);
    } catch (StorageException e) {
      return Optional.of(shared.stale.serve(shared.entries.getIfPresent(k), e));
    }
    shared.stale.reachable();
    if (read.isPresent() && shared.cacheable(namespace)) {
      shared.populate(k, stripe, stamp, read.get());
    } else {
      shared.forget(k);
    }
    return read;
  }

  /** The cached entry under {@code k} if it is fresh and has not expired by the clock, else null. */
  private Entry cachedLive(CacheKey k) {
    StaleReads.Held held = shared.entries.getIfPresent(k);
    if (held == null) {
      return null;
    }
    Entry hit = held.entry();
    // Only an entry with a TTL, or a cache that serves stale values, reads the clock.
    long now = shared.stale.enabled() ? shared.clock.millis() : Long.MIN_VALUE;
    if (!shared.stale.fresh(held, now)) {
      return null; // kept as the last known value only
    }
    if (hit.expiresAt().isPresent()
        && hit.expiresAt().get().toEpochMilli() <= (now != Long.MIN_VALUE ? now : shared.clock.millis())) {
      shared.entries.asMap().remove(k, held);
      return null;
    }
    return hit;
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(keys, "keys");
    if (keys.size() > ListOptions.MAX_LIMIT) {
      return delegate.getAll(namespace, keys);
    }
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String key : keys) {
      unique.add(Objects.requireNonNull(key, "key"));
    }
    Map<String, Entry> hits = new LinkedHashMap<>();
    List<String> misses = new ArrayList<>();
    for (String key : unique) {
      Entry hit = cachedLive(new CacheKey(namespace, key));
      if (hit != null) {
        hits.put(key, hit);
      } else {
        misses.add(key);
      }
    }
    if (misses.isEmpty()) {
      return Collections.unmodifiableMap(hits);
    }
    long[] stamps = new long[misses.size()];
    for (int i = 0; i < stamps.length; i++) {
      stamps[i] = shared.stamps.get(Shared.stripe(new CacheKey(namespace, misses.get(i))));
    }
    Map<String, Entry> read;
    try {
      read = delegate.getAll(namespace, misses);
    } catch (StorageException e) {
      List<StaleReads.Held> held = new ArrayList<>(misses.size());
      for (String key : misses) {
        held.add(shared.entries.getIfPresent(new CacheKey(namespace, key)));
      }
      List<Entry> stale = shared.stale.serveAll(held, e);
      read = new LinkedHashMap<>();
      for (int i = 0; i < misses.size(); i++) {
        read.put(misses.get(i), stale.get(i));
      }
      return ordered(unique, hits, read);
    }
    shared.stale.reachable();
    boolean cacheable = !read.isEmpty() && shared.cacheable(namespace);
    for (int i = 0; i < stamps.length; i++) {
      Entry e = read.get(misses.get(i));
      CacheKey k = new CacheKey(namespace, misses.get(i));
      if (e != null && cacheable) {
        shared.populate(k, Shared.stripe(k), stamps[i], e);
      } else {
        shared.forget(k);
      }
    }
    return ordered(unique, hits, read);
  }

  private static Map<String, Entry> ordered(Collection<String> unique, Map<String, Entry> hits, Map<String, Entry> read) {
    Map<String, Entry> out = new LinkedHashMap<>();
    for (String key : unique) {
      Entry e = hits.containsKey(key) ? hits.get(key) : read.get(key);
      if (e != null) {
        out.put(key, e);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    return delegate.list(namespace, options);
  }

  @Override
  public long count(String namespace) {
    return delegate.count(namespace);
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    return delegate.history(namespace, key);
  }

  // ---------------------------------------------------------------- writes

  /** Runs a write of one key, then drops the key, whether the write succeeded or not. */
  private <T> T write(String namespace, String key, Supplier<T> op) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    try {
      T result = op.get();
      shared.stale.reachable();
      return result;
    } finally {
      shared.invalidate(namespace, key);
    }
  }

  private <T> T writeAll(String namespace, Collection<String> keys, Supplier<T> op) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(keys, "keys");
    List<String> copy = new ArrayList<>(keys);
    try {
      return op.get();
    } finally {
      for (String key : copy) {
        if (key != null) {
          shared.invalidate(namespace, key);
        }
      }
    }
  }

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, () -> delegate.put(namespace, key, value, options));
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, () -> delegate.create(namespace, key, value, options));
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, () -> delegate.update(namespace, key, value, options));
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    return write(namespace, key, () -> delegate.compareAndSet(namespace, key, expectedVersion, value, options));
  }

  @Override
  public boolean delete(String namespace, String key) {
    return write(namespace, key, () -> delegate.delete(namespace, key));
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    write(namespace, key, () -> {
      delegate.deleteIfVersion(namespace, key, expectedVersion);
      return null;
    });
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    Objects.requireNonNull(values, "values");
    return writeAll(namespace, values.keySet(), () -> delegate.putAll(namespace, values, options));
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    return writeAll(namespace, keys, () -> delegate.deleteAll(namespace, keys));
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, () -> delegate.rotate(namespace, key, value, options));
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    return write(namespace, key, () -> delegate.rollback(namespace, key, toVersion, options));
  }

  // ---------------------------------------------------------------- the rest

  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    Subscription sub = shared.listeners.add(filter, listener);
    synchronized (shared) {
      if (shared.localEvents == null && !shared.closed) {
        shared.localEvents = shared.root.subscribe(ChangeFilter.all(), shared::onLocal);
      }
    }
    return sub;
  }

  @Override
  public KvStore as(Principal principal) {
    return new NearCachedStore(delegate.as(principal), shared, false);
  }

  @Override
  public Principal principal() {
    return delegate.principal();
  }

  @Override
  public Capabilities capabilities() {
    return delegate.capabilities();
  }

  /**
   * The delegate's {@link ValueRewriter}, made to drop each entry it rewrites from the cache; no
   * other feature, since the others would write past the cache unseen.
   */
  @Override
  public <T> Optional<T> feature(Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (type != ValueRewriter.class) {
      return Optional.empty();
    }
    return delegate.feature(ValueRewriter.class).map(rewriter -> type.cast((ValueRewriter) (namespace, key, rewrite) ->
        write(namespace, key, () -> rewriter.rewriteValues(namespace, key, rewrite))));
  }

  @Override
  public void close() {
    if (!owner) {
      delegate.close();
      return;
    }
    Subscription local;
    synchronized (shared) {
      if (shared.closed) {
        return;
      }
      shared.closed = true;
      local = shared.localEvents;
    }
    try {
      if (local != null) {
        local.close();
      }
      shared.localNamespaces.ifPresent(Subscription::close);
      if (shared.remoteEvents != null) {
        shared.remoteEvents.close();
        shared.remoteNamespaces.close();
        shared.feed.close();
      }
    } finally {
      shared.entries.invalidateAll();
      delegate.close();
    }
  }

  /** The entry cached under the key, expired or not; for tests. */
  Optional<Entry> cached(String namespace, String key) {
    return Optional.ofNullable(shared.entries.getIfPresent(new CacheKey(namespace, key))).map(StaleReads.Held::entry);
  }

  @Override
  public String toString() {
    return "NearCache -> " + delegate;
  }

  /** The delegate's namespaces, dropping what the cache knows of a namespace that changes. */
  private final class CachedNamespaces implements Namespaces {
    private final Namespaces namespaces;

    CachedNamespaces(Namespaces namespaces) {
      this.namespaces = namespaces;
    }

    @Override
    public Namespace create(String name, NamespaceSettings settings) {
      try {
        return namespaces.create(name, settings);
      } finally {
        shared.secretFlags.invalidate(Objects.requireNonNull(name, "name"));
      }
    }

    @Override
    public Optional<Namespace> get(String name) {
      return namespaces.get(name);
    }

    /** Reports this store's changes and, with a change feed, those of other instances. */
    @Override
    public Optional<Subscription> watch(Consumer<String> listener) {
      return shared.namespaceWatchers.add(listener);
    }

    @Override
    public List<Namespace> list() {
      return namespaces.list();
    }

    @Override
    public Namespace update(String name, NamespaceSettings settings) {
      try {
        return namespaces.update(name, settings);
      } finally {
        shared.invalidateNamespace(Objects.requireNonNull(name, "name"));
      }
    }

    @Override
    public boolean delete(String name, DeleteMode mode) {
      try {
        return namespaces.delete(name, mode);
      } finally {
        shared.invalidateNamespace(Objects.requireNonNull(name, "name"));
      }
    }
  }
}
