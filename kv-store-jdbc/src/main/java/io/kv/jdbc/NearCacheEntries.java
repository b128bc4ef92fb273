package io.kv.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kv.Entry;
import io.kv.KvStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a near-cache holds, with the stamp protocol that keeps a slow read from putting back a
 * value a write has replaced.
 *
 * <h2>The slow-read race</h2>
 * A read that misses takes the stamp of its key's stripe ({@link #stamp}) before it asks the
 * store, and {@link #populate populates} only if the stamp is unchanged, checked inside the
 * cache's per-key compute. Every invalidation bumps the stamp and then removes the key, so a read
 * that overlapped a write either sees the bumped stamp and skips the put, or put its value before
 * the removal that follows. Unrelated keys sharing a stripe only cost a skipped put.
 *
 * <p>Hits and misses are counted here, by {@link #live}, rather than by Caffeine: a value Caffeine
 * still holds may be past its freshness or its expiry, which for the caller is a miss. Caffeine's
 * own statistics give the evictions.
 *
 * <p>Thread-safe: one instance is shared by a cached store and all its views.
 */
final class NearCacheEntries implements NearCacheStats {
  private static final Logger LOG = LoggerFactory.getLogger(NearCacheEntries.class);
  /** Stripes of invalidation stamps; a power of two. */
  private static final int STRIPES = 1024;
  /** How long a namespace's secret flag is remembered. */
  private static final Duration SECRET_FLAG_TTL = Duration.ofSeconds(5);

  private final KvStore root;
  private final Cache<CacheKey, StaleReads.Held> entries;
  private final Cache<String, Boolean> secretFlags;
  private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);
  private final boolean cacheSecrets;
  private final Clock clock;
  private final StaleReads stale;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  /**
   * @param root the store whose namespaces tell which namespaces are secret
   * @param stale decides how long a value is kept and when it is fresh
   */
  NearCacheEntries(KvStore root, long maximumSize, boolean cacheSecrets, Clock clock, StaleReads stale) {
    this.root = root;
    // With stale-if-error a value stays for its bound after it stops being fresh, as the last
    // known value; the clock decides freshness then (StaleReads.fresh).
    this.entries = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(stale.retention()).recordStats().build();
    this.stale = stale;
    this.secretFlags = Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(SECRET_FLAG_TTL).build();
    this.cacheSecrets = cacheSecrets;
    this.clock = clock;
  }

  static int stripe(CacheKey key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }

  /** The current stamp of {@code stripe}; take it before reading what may be populated. */
  long stamp(int stripe) {
    return stamps.get(stripe);
  }

  /** The cached entry under {@code k} if it is fresh and has not expired by the clock, else null. */
  Entry live(CacheKey k) {
    Entry hit = lookUp(k);
    (hit != null ? hits : misses).increment();
    return hit;
  }

  private Entry lookUp(CacheKey k) {
    StaleReads.Held held = entries.getIfPresent(k);
    if (held == null) {
      return null;
    }
    Entry hit = held.entry();
    // Only an entry with a TTL, or a cache that serves stale values, reads the clock.
    long now = stale.enabled() ? clock.millis() : Long.MIN_VALUE;
    if (!stale.fresh(held, now)) {
      return null; // kept as the last known value only
    }
    if (hit.expiresAt().isPresent()
        && hit.expiresAt().get().toEpochMilli() <= (now != Long.MIN_VALUE ? now : clock.millis())) {
      entries.asMap().remove(k, held);
      return null;
    }
    return hit;
  }

  /** What is held under {@code k}, fresh or only the last known value; null if nothing. */
  StaleReads.Held held(CacheKey k) {
    return entries.getIfPresent(k);
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

  /** Forgets whether {@code namespace} is secret, so the next read asks again. */
  void forgetSecretFlag(String namespace) {
    secretFlags.invalidate(namespace);
  }

  /** Whether entries of {@code namespace} may be cached: it is not secret, or secrets may be. */
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

  void clear() {
    entries.invalidateAll();
  }

  @Override
  public long hitCount() {
    return hits.sum();
  }

  @Override
  public long missCount() {
    return misses.sum();
  }

  @Override
  public long evictionCount() {
    return entries.stats().evictionCount();
  }

  @Override
  public long size() {
    return entries.estimatedSize();
  }

  /** The entry cached under the key, expired or not; for tests. */
  Optional<Entry> cached(String namespace, String key) {
    return Optional.ofNullable(entries.getIfPresent(new CacheKey(namespace, key))).map(StaleReads.Held::entry);
  }
}
