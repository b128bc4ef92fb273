package io.kv.jdbc;

/**
 * Running figures of one near-cache, offered by the cached store (and each of its {@link
 * io.kv.KvStore#as views}, which share the cache) as the {@link io.kv.KvStore#feature feature}
 * {@code NearCacheStats}:
 *
 * <pre>{@code
 * store.feature(NearCacheStats.class).ifPresent(stats -> log.info("hits {}", stats.hitCount()));
 * }</pre>
 *
 * <p>Counts start at zero when the cache is built and only grow. A key read by {@code getAll}
 * counts as one lookup.
 *
 * <p>Thread-safe; each method reads without locking, so figures read one after another need not
 * be from the same instant.
 */
public interface NearCacheStats {

  /**
   * How many key lookups the cache answered without asking the database.
   *
   * @return how many key lookups the cache answered
   */
  long hitCount();

  /**
   * How many key lookups found nothing usable in the cache (absent, no longer fresh, or past its
   * expiry) and asked the database; reads of secret namespaces that are not cached are misses.
   *
   * @return how many key lookups went to the database
   */
  long missCount();

  /**
   * How many entries the cache dropped to stay within its maximum size or because they were
   * held longer than {@code expireAfterWrite} allows; invalidations by writes and changes are
   * not evictions.
   *
   * @return how many entries were evicted
   */
  long evictionCount();

  /**
   * About how many entries the cache holds now.
   *
   * @return about how many entries the cache holds
   */
  long size();
}
