package io.kv.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.core.LimitPolicy;
import io.kv.core.QuotaExceededException;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The entries-per-namespace quota of the limits layer ({@link
 * LimitPolicy#maxEntriesPerNamespace()}).
 *
 * <p>A write that would create an entry ({@code put} or {@code create} of an absent key, the absent
 * keys of a {@code putAll}) is refused with {@link QuotaExceededException} when the namespace
 * cannot hold that many more live entries; a {@code putAll} is refused whole. Writes to existing
 * entries always pass. It keeps, per namespace, an upper bound of its live entries: read
 * once with {@link KvStore#count}, raised by every entry this stack creates (a write that returns
 * version 1), never lowered by deletes or expiry. A write that fits under the bound goes ahead
 * without reading anything; one that does not (a tight fit) reads the true {@link KvStore#count},
 * and {@link KvStore#getAll} of its keys when the batch might still not fit, and refuses only
 * then. Check and write hold a lock of the quota per namespace, so that within one stack (every
 * principal view of it shares the locks and the bounds) the quota is exact: between the check and
 * the write the count can only go down. A write that fails with a {@link io.kv.StorageException}
 * (it may have taken effect) makes the next write read the count again. Other stacks or
 * processes writing to the same backend do not take these locks: against them the check and the write are not atomic, and a namespace
 * may overshoot its quota by up to the number of entries their racing writes create (one per
 * {@code put} or {@code create}, up to {@link ListOptions#MAX_LIMIT} per {@code putAll}). The lock
 * is taken only by writes that may create an entry in a namespace with a quota. A change listener
 * that writes synchronously to this stack from inside a backend's write lock can deadlock with it;
 * listeners should not write back synchronously.
 *
 * <p>Thread-safe; one instance is shared by every principal view of a limits layer.
 */
final class EntryQuota {
  /**
   * One lock per namespace, kept only while some thread holds a reference to it: weak values
   * keep memory to the namespaces being written, and a held lock is never collected, so two
   * writers of one namespace always meet on the same lock.
   */
  private final LoadingCache<String, ReentrantLock> quotaLocks =
      Caffeine.newBuilder().weakValues().executor(Runnable::run).build(ns -> new ReentrantLock());
  /**
   * Per namespace, at least its number of live entries (see the class comment); read and written
   * only under the namespace's quota lock. Bounded; a bound that is evicted is read again with
   * {@code count}.
   */
  private final Cache<String, Long> liveBounds;

  /** A quota that keeps the bounds of at most {@code maxNamespaces} namespaces. */
  EntryQuota(long maxNamespaces) {
    this.liveBounds = Caffeine.newBuilder().maximumSize(maxNamespaces).executor(Runnable::run).build();
  }

  /**
   * Runs {@code write}, which may create an entry under each of {@code keys} (distinct), after
   * checking the namespace has room for those that do not exist yet; holds the namespace's quota
   * lock throughout, so the count cannot grow between the check and the write. {@code created}
   * tells how many entries the write's result created.
   *
   * @param delegate the store the write goes to, which counts the namespace's entries
   * @throws QuotaExceededException if the namespace has no room for the entries the write creates
   */
  <T> T withRoomFor(KvStore delegate, String namespace, LimitPolicy l, Collection<String> keys, Supplier<T> write,
      ToLongFunction<T> created) {
    OptionalLong quota = l.maxEntriesPerNamespace();
    if (quota.isEmpty()) {
      return write.get();
    }
    long max = quota.getAsLong();
    ReentrantLock lock = quotaLocks.get(namespace);
    lock.lock();
    try {
      Long bound = liveBounds.getIfPresent(namespace);
      long live = bound != null ? bound : delegate.count(namespace);
      if (keys.size() > max - live && bound != null) {
        // The bound is too high to say yes: learn the truth before saying no.
        live = delegate.count(namespace);
      }
      long room = max - live;
      // Most writes fit whether or not their keys exist; only a tight fit reads which are new.
      // Room may be negative (the quota was lowered, or another stack overshot it): writes to
      // existing entries still pass then.
      if (keys.size() > room) {
        long fresh = keys.size() - delegate.getAll(namespace, keys).size();
        if (fresh > 0 && fresh > room) {
          liveBounds.put(namespace, live);
          throw new QuotaExceededException(namespace, max);
        }
      }
      T result;
      try {
        result = write.get();
      } catch (io.kv.StorageException e) {
        liveBounds.invalidate(namespace);
        throw e;
      } catch (RuntimeException e) {
        // Refused before taking effect (conflict, not found, invalid input, ...): nothing was created.
        liveBounds.put(namespace, live);
        throw e;
      }
      liveBounds.put(namespace, live + created.applyAsLong(result));
      return result;
    } finally {
      lock.unlock();
    }
  }

  static long createdOne(Entry e) {
    return e.version() == 1 ? 1 : 0;
  }

  static long createdAll(Map<String, Entry> written) {
    long n = 0;
    for (Entry e : written.values()) {
      n += createdOne(e);
    }
    return n;
  }
}
