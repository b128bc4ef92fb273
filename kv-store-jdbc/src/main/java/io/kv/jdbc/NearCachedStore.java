package io.kv.jdbc;

import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.Entry;
import io.kv.ForwardingKvStore;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.StorageException;
import io.kv.Subscription;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.ValueRewriter;
import io.kv.WriteOptions;
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
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The near-cache layer; see {@link NearCache} for what it guarantees. Reads go through {@link
 * NearCacheEntries}, whose stamps keep a slow read from caching a replaced value; writes drop
 * their keys from it; events and namespace watches come merged from {@link NearCacheEvents}. It
 * offers the {@link ValueRewriter} {@link KvStore#feature feature} exactly when its delegate does,
 * wrapped so that a rewrite drops the entry, and its {@link NearCacheStats}. Thread-safe.
 */
final class NearCachedStore extends ForwardingKvStore {
  private final NearCacheEntries cache;
  private final StaleReads stale;
  private final NearCacheEvents events;
  private final boolean owner;
  private final Namespaces namespaces;

  private NearCachedStore(KvStore delegate, NearCacheEntries cache, StaleReads stale, NearCacheEvents events,
      boolean owner) {
    super(delegate);
    this.cache = cache;
    this.stale = stale;
    this.events = events;
    this.owner = owner;
    this.namespaces = new CachedNamespaces(delegate.namespaces());
  }

  static KvStore create(KvStore delegate, long maximumSize, Duration expireAfterWrite, boolean cacheSecrets, ChangeFeed feed,
      Clock clock, Duration serveStaleFor, NearCache.StaleListener staleListener) {
    StaleReads stale = new StaleReads(expireAfterWrite, serveStaleFor, clock, staleListener);
    NearCacheEntries cache = new NearCacheEntries(delegate, maximumSize, cacheSecrets, clock, stale);
    return new NearCachedStore(delegate, cache, stale, NearCacheEvents.start(delegate, cache, feed), true);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Entry> get(String namespace, String key) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    CacheKey k = new CacheKey(namespace, key);
    Entry hit = cache.live(k);
    if (hit != null) {
      return Optional.of(hit);
    }
    int stripe = NearCacheEntries.stripe(k);
    long stamp = cache.stamp(stripe);
    Optional<Entry> read;
    try {
      read = delegate().get(namespace, key);
    } catch (StorageException e) {
      return Optional.of(stale.serve(cache.held(k), e));
    }
    stale.reachable();
    if (read.isPresent() && cache.cacheable(namespace)) {
      cache.populate(k, stripe, stamp, read.get());
    } else {
      cache.forget(k);
    }
    return read;
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(keys, "keys");
    if (keys.size() > ListOptions.MAX_LIMIT) {
      return delegate().getAll(namespace, keys);
    }
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String key : keys) {
      unique.add(Objects.requireNonNull(key, "key"));
    }
    Map<String, Entry> hits = new LinkedHashMap<>();
    List<String> misses = new ArrayList<>();
    for (String key : unique) {
      Entry hit = cache.live(new CacheKey(namespace, key));
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
      stamps[i] = cache.stamp(NearCacheEntries.stripe(new CacheKey(namespace, misses.get(i))));
    }
    Map<String, Entry> read;
    try {
      read = delegate().getAll(namespace, misses);
    } catch (StorageException e) {
      List<StaleReads.Held> held = new ArrayList<>(misses.size());
      for (String key : misses) {
        held.add(cache.held(new CacheKey(namespace, key)));
      }
      List<Entry> served = stale.serveAll(held, e);
      read = new LinkedHashMap<>();
      for (int i = 0; i < misses.size(); i++) {
        read.put(misses.get(i), served.get(i));
      }
      return ordered(unique, hits, read);
    }
    stale.reachable();
    boolean cacheable = !read.isEmpty() && cache.cacheable(namespace);
    for (int i = 0; i < stamps.length; i++) {
      Entry e = read.get(misses.get(i));
      CacheKey k = new CacheKey(namespace, misses.get(i));
      if (e != null && cacheable) {
        cache.populate(k, NearCacheEntries.stripe(k), stamps[i], e);
      } else {
        cache.forget(k);
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

  // ---------------------------------------------------------------- writes

  /** Runs a write of one key, then drops the key, whether the write succeeded or not. */
  private <T> T write(String namespace, String key, Supplier<T> op) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    try {
      T result = op.get();
      stale.reachable();
      return result;
    } finally {
      cache.invalidate(namespace, key);
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
          cache.invalidate(namespace, key);
        }
      }
    }
  }

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, () -> delegate().put(namespace, key, value, options));
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, () -> delegate().create(namespace, key, value, options));
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, () -> delegate().update(namespace, key, value, options));
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    return write(namespace, key, () -> delegate().compareAndSet(namespace, key, expectedVersion, value, options));
  }

  @Override
  public boolean delete(String namespace, String key) {
    return write(namespace, key, () -> delegate().delete(namespace, key));
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    write(namespace, key, () -> {
      delegate().deleteIfVersion(namespace, key, expectedVersion);
      return null;
    });
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    Objects.requireNonNull(values, "values");
    return writeAll(namespace, values.keySet(), () -> delegate().putAll(namespace, values, options));
  }

  /**
   * Commits through the delegate, then drops every written or deleted key from the cache, as
   * {@link #putAll} does, whether the transaction committed or not: a failed one wrote nothing,
   * so a later read caches the entry as it stands.
   */
  @Override
  public TransactionResult commit(String namespace, Transaction transaction) {
    Objects.requireNonNull(transaction, "transaction");
    List<String> keys = new ArrayList<>(transaction.writes().size());
    for (Transaction.Write w : transaction.writes()) {
      keys.add(w.key());
    }
    return writeAll(namespace, keys, () -> delegate().commit(namespace, transaction));
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    return writeAll(namespace, keys, () -> delegate().deleteAll(namespace, keys));
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, () -> delegate().rotate(namespace, key, value, options));
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    return write(namespace, key, () -> delegate().rollback(namespace, key, toVersion, options));
  }

  // ---------------------------------------------------------------- the rest

  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    return events.subscribe(filter, listener);
  }

  /**
   * The delegate's: the change log holds every instance's changes, this one's too, so the
   * delegate's subscription tells all of them in revision order; the cache adds nothing to it.
   */
  @Override
  public Subscription subscribe(ChangeFilter filter, long fromRevision, ChangeListener listener) {
    return delegate().subscribe(filter, fromRevision, listener);
  }

  /** A view over the delegate's view for a principal, sharing this cache; closing it closes no cache. */
  @Override
  protected KvStore over(KvStore view) {
    return new NearCachedStore(view, cache, stale, events, false);
  }

  /**
   * The cache's {@link NearCacheStats}, and the delegate's {@link ValueRewriter}, made to drop
   * each entry it rewrites from the cache; no other feature, since the others would write past
   * the cache unseen.
   */
  @Override
  public <T> Optional<T> feature(Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (type == NearCacheStats.class) {
      return Optional.of(type.cast(cache));
    }
    if (type != ValueRewriter.class) {
      return Optional.empty();
    }
    return delegate().feature(ValueRewriter.class).map(rewriter -> type.cast((ValueRewriter) (namespace, key, rewrite) ->
        write(namespace, key, () -> rewriter.rewriteValues(namespace, key, rewrite))));
  }

  @Override
  public void close() {
    if (!owner) {
      delegate().close();
      return;
    }
    if (!events.beginClose()) {
      return;
    }
    try {
      events.close();
    } finally {
      cache.clear();
      delegate().close();
    }
  }

  /** The entry cached under the key, expired or not; for tests. */
  Optional<Entry> cached(String namespace, String key) {
    return cache.cached(namespace, key);
  }

  @Override
  public String toString() {
    return "NearCache -> " + delegate();
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
        cache.forgetSecretFlag(Objects.requireNonNull(name, "name"));
      }
    }

    @Override
    public Optional<Namespace> get(String name) {
      return namespaces.get(name);
    }

    /** Reports this store's changes and, with a change feed, those of other instances. */
    @Override
    public Optional<Subscription> watch(Consumer<String> listener) {
      return events.watchNamespaces(listener);
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
        cache.invalidateNamespace(Objects.requireNonNull(name, "name"));
      }
    }

    @Override
    public boolean delete(String name, DeleteMode mode) {
      try {
        return namespaces.delete(name, mode);
      } finally {
        cache.invalidateNamespace(Objects.requireNonNull(name, "name"));
      }
    }
  }
}
