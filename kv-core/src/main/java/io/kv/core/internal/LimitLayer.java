package io.kv.core.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.Page;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.LimitPolicy;
import io.kv.core.QuotaExceededException;
import io.kv.core.RateLimitedException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The limits layer: key and value size, TTL range, entries per namespace (quota) and calls per
 * second per principal (rate limit), each from the {@link LimitPolicy} of the operation's
 * namespace, or else the store's. A namespace's limits replace the store's wholesale.
 *
 * <h2>Order of checks</h2>
 * A call first takes a token from its principal's bucket (so a call refused for another reason
 * still counts), then its key, value and TTL are checked, then the quota; only then does it go
 * down the stack. Every refusal happens before anything is read or written.
 *
 * <h2>Rate limit</h2>
 * One token per call, a bulk call included, for every entry operation (reads too), namespace
 * administration and {@link #subscribe}; {@link #principal()}, {@link #capabilities()}, {@link
 * #as} and {@link #close()} are free. Entry operations on a namespace with limits of its own draw
 * from a bucket per principal for that namespace; every other call draws from the principal's
 * bucket for the store. Time comes from the injected clock. See {@link RateLimiter} for the
 * memory bound.
 *
 * <h2>Quota</h2>
 * A write that would create an entry ({@code put} or {@code create} of an absent key, the absent
 * keys of a {@code putAll}) is refused with {@link QuotaExceededException} when the namespace
 * cannot hold that many more live entries; a {@code putAll} is refused whole. Writes to existing
 * entries always pass. The layer keeps, per namespace, an upper bound of its live entries: read
 * once with {@link KvStore#count}, raised by every entry this stack creates (a write that returns
 * version 1), never lowered by deletes or expiry. A write that fits under the bound goes ahead
 * without reading anything; one that does not (a tight fit) reads the true {@link KvStore#count},
 * and {@link KvStore#getAll} of its keys when the batch might still not fit, and refuses only
 * then. Check and write hold a lock of this layer per namespace, so that within one stack (every
 * principal view of it shares the locks and the bounds) the quota is exact: between the check and
 * the write the count can only go down. A write that fails with a {@link io.kv.StorageException}
 * (it may have taken effect) makes the next write read the count again. Other stacks or processes writing to the same backend
 * do not take these locks: against them the check and the write are not atomic, and a namespace
 * may overshoot its quota by up to the number of entries their racing writes create (one per
 * {@code put} or {@code create}, up to {@link ListOptions#MAX_LIMIT} per {@code putAll}). The lock
 * is taken only by writes that may create an entry in a namespace with a quota. A change listener
 * that writes synchronously to this stack from inside a backend's write lock can deadlock with it;
 * listeners should not write back synchronously.
 *
 * <h2>TTL</h2>
 * The TTL of every write ({@code put}, {@code create}, {@code update}, {@code compareAndSet},
 * {@code putAll}, {@code rotate}, {@code rollback}) and the default TTL of a namespace declared or
 * updated through this layer must lie within {@link LimitPolicy#minTtl()} and {@link
 * LimitPolicy#maxTtl()}; durations are compared, never converted, so no TTL overflows. A write
 * without a TTL is not checked here: a namespace default below this layer was checked when the
 * namespace was declared (through this layer, under the limits then in force).
 *
 * <p>Thread-safe. Rollback writes a value from history, which is not checked again.
 */
public final class LimitLayer extends ForwardingKvStore {
  /** How many rate buckets (principals, or principal and namespace pairs) are kept at most. */
  public static final long DEFAULT_MAX_RATE_BUCKETS = 100_000;

  private static final String STORE_SCOPE = "";

  private final Shared shared;
  private final Namespaces namespaces;
  /** The store's limits, read on every call. */
  private final LimitPolicy storeLimits;
  /** No namespace has limits of its own and there is no rate limit: nothing to look up or count. */
  private final boolean uniform;

  /** What every principal view of one limits layer shares. */
  private static final class Shared {
    final LimitPolicy storeLimits;
    final Map<String, LimitPolicy> namespaceLimits;
    final RateLimiter rates;
    /**
     * One lock per namespace, kept only while some thread holds a reference to it: weak values
     * keep memory to the namespaces being written, and a held lock is never collected, so two
     * writers of one namespace always meet on the same lock.
     */
    final LoadingCache<String, ReentrantLock> quotaLocks =
        Caffeine.newBuilder().weakValues().executor(Runnable::run).build(ns -> new ReentrantLock());
    /**
     * Per namespace, at least its number of live entries (see the class comment); read and written
     * only under the namespace's quota lock. Bounded like the rate buckets; a bound that is
     * evicted is read again with {@code count}.
     */
    final com.github.benmanes.caffeine.cache.Cache<String, Long> liveBounds =
        Caffeine.newBuilder().maximumSize(DEFAULT_MAX_RATE_BUCKETS).executor(Runnable::run).build();

    Shared(LimitPolicy storeLimits, Map<String, LimitPolicy> namespaceLimits, RateLimiter rates) {
      this.storeLimits = storeLimits;
      this.namespaceLimits = namespaceLimits;
      this.rates = rates;
    }
  }

  /** The key of a rate bucket: the principal's name and the namespace, or the store scope. */
  private record Bucket(String principal, String scope) {}

  /**
   * A limits layer over {@code delegate}, with at most {@link #DEFAULT_MAX_RATE_BUCKETS} rate
   * buckets.
   *
   * @param delegate the next layer down
   * @param clock the time of the rate limiter; the stack's clock
   * @param storeLimits the limits of every namespace not in {@code namespaceLimits}
   * @param namespaceLimits limits by namespace name, each replacing {@code storeLimits} wholesale
   *     for that namespace; copied
   * @throws NullPointerException if an argument, a key or a value is null
   */
  public LimitLayer(KvStore delegate, Clock clock, LimitPolicy storeLimits, Map<String, LimitPolicy> namespaceLimits) {
    this(delegate, clock, storeLimits, namespaceLimits, DEFAULT_MAX_RATE_BUCKETS);
  }

  /**
   * A limits layer over {@code delegate} that keeps at most {@code maxRateBuckets} rate buckets.
   *
   * @param delegate the next layer down
   * @param clock the time of the rate limiter; the stack's clock
   * @param storeLimits the limits of every namespace not in {@code namespaceLimits}
   * @param namespaceLimits limits by namespace name, each replacing {@code storeLimits} wholesale
   *     for that namespace; copied
   * @param maxRateBuckets how many rate buckets to keep at most; see {@link LimitLayer} for what
   *     evicting one means
   * @throws NullPointerException if an argument, a key or a value is null
   * @throws IllegalArgumentException if {@code maxRateBuckets} is not positive
   */
  public LimitLayer(KvStore delegate, Clock clock, LimitPolicy storeLimits, Map<String, LimitPolicy> namespaceLimits,
      long maxRateBuckets) {
    this(delegate, new Shared(
        Objects.requireNonNull(storeLimits, "storeLimits"),
        Map.copyOf(Objects.requireNonNull(namespaceLimits, "namespaceLimits")),
        new RateLimiter(Objects.requireNonNull(clock, "clock"), requirePositive(maxRateBuckets))));
  }

  private LimitLayer(KvStore delegate, Shared shared) {
    super(delegate);
    this.shared = shared;
    this.storeLimits = shared.storeLimits;
    this.uniform = shared.namespaceLimits.isEmpty() && shared.storeLimits.maxOperationsPerSecond().isEmpty();
    this.namespaces = new LimitedNamespaces(delegate.namespaces());
  }

  private static long requirePositive(long maxRateBuckets) {
    if (maxRateBuckets < 1) {
      throw new IllegalArgumentException("maxRateBuckets must be positive, was " + maxRateBuckets);
    }
    return maxRateBuckets;
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new LimitLayer(delegate, shared);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Entry> get(String namespace, String key) {
    LimitPolicy l = enter(namespace);
    checkKey(l, key, "key");
    return delegate.get(namespace, key);
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    LimitPolicy l = enter(namespace);
    checkKeys(l, keys);
    return delegate.getAll(namespace, keys);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    LimitPolicy l = enter(namespace);
    Objects.requireNonNull(options, "options");
    checkKey(l, options.prefix(), "prefix");
    return delegate.list(namespace, options);
  }

  @Override
  public long count(String namespace) {
    enter(namespace);
    return delegate.count(namespace);
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    LimitPolicy l = enter(namespace);
    checkKey(l, key, "key");
    return delegate.history(namespace, key);
  }

  // ---------------------------------------------------------------- writes that may create

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    LimitPolicy l = enter(namespace);
    checkWrite(l, key, value, options);
    return withRoomFor(namespace, l, List.of(key), () -> delegate.put(namespace, key, value, options), LimitLayer::createdOne);
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    LimitPolicy l = enter(namespace);
    checkWrite(l, key, value, options);
    return withRoomFor(namespace, l, List.of(key), () -> delegate.create(namespace, key, value, options), LimitLayer::createdOne);
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    LimitPolicy l = enter(namespace);
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(options, "options");
    for (Map.Entry<String, Value> e : values.entrySet()) {
      checkKey(l, e.getKey(), "key");
      checkValue(l, e.getValue());
    }
    checkTtl(l, options.ttl(), "ttl");
    return withRoomFor(namespace, l, values.keySet(), () -> delegate.putAll(namespace, values, options), LimitLayer::createdAll);
  }

  // ---------------------------------------------------------------- writes to existing entries

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    checkWrite(enter(namespace), key, value, options);
    return delegate.update(namespace, key, value, options);
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    checkWrite(enter(namespace), key, value, options);
    return delegate.compareAndSet(namespace, key, expectedVersion, value, options);
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    checkWrite(enter(namespace), key, value, options);
    return delegate.rotate(namespace, key, value, options);
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    LimitPolicy l = enter(namespace);
    checkKey(l, key, "key");
    Objects.requireNonNull(options, "options");
    checkTtl(l, options.ttl(), "ttl");
    return delegate.rollback(namespace, key, toVersion, options);
  }

  // ---------------------------------------------------------------- deletes

  @Override
  public boolean delete(String namespace, String key) {
    checkKey(enter(namespace), key, "key");
    return delegate.delete(namespace, key);
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    checkKey(enter(namespace), key, "key");
    delegate.deleteIfVersion(namespace, key, expectedVersion);
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    checkKeys(enter(namespace), keys);
    return delegate.deleteAll(namespace, keys);
  }

  // ---------------------------------------------------------------- the rest

  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    acquire(STORE_SCOPE, shared.storeLimits);
    return delegate.subscribe(filter, listener);
  }

  /** Namespace administration, rate limited by the store's bucket; checks default TTLs. */
  private final class LimitedNamespaces extends ForwardingNamespaces {
    LimitedNamespaces(Namespaces delegate) {
      super(delegate);
    }

    @Override
    public Namespace create(String name, NamespaceSettings settings) {
      checkSettings(name, settings);
      return delegate.create(name, settings);
    }

    @Override
    public Optional<Namespace> get(String name) {
      acquire(STORE_SCOPE, shared.storeLimits);
      return delegate.get(name);
    }

    @Override
    public List<Namespace> list() {
      acquire(STORE_SCOPE, shared.storeLimits);
      return delegate.list();
    }

    @Override
    public Namespace update(String name, NamespaceSettings settings) {
      checkSettings(name, settings);
      return delegate.update(name, settings);
    }

    @Override
    public boolean delete(String name, DeleteMode mode) {
      acquire(STORE_SCOPE, shared.storeLimits);
      return delegate.delete(name, mode);
    }

    private void checkSettings(String name, NamespaceSettings settings) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(settings, "settings");
      acquire(STORE_SCOPE, shared.storeLimits);
      checkTtl(limitsOf(name), settings.defaultTtl(), "defaultTtl");
    }
  }

  // ---------------------------------------------------------------- checks

  private LimitPolicy limitsOf(String namespace) {
    LimitPolicy own = shared.namespaceLimits.get(namespace);
    return own != null ? own : shared.storeLimits;
  }

  /** The limits of {@code namespace}, after taking a token from the caller's bucket for it. */
  private LimitPolicy enter(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (uniform) {
      return storeLimits;
    }
    LimitPolicy own = shared.namespaceLimits.get(namespace);
    if (own == null) {
      acquire(STORE_SCOPE, shared.storeLimits);
      return shared.storeLimits;
    }
    acquire(namespace, own);
    return own;
  }

  private void acquire(String scope, LimitPolicy limits) {
    if (limits.maxOperationsPerSecond().isEmpty()) {
      return;
    }
    int rate = limits.maxOperationsPerSecond().getAsInt();
    String principal = principal().name();
    if (!shared.rates.tryAcquire(new Bucket(principal, scope), rate)) {
      throw new RateLimitedException(principal, rate);
    }
  }

  private static void checkWrite(LimitPolicy l, String key, Value value, WriteOptions options) {
    checkKey(l, key, "key");
    checkValue(l, value);
    Objects.requireNonNull(options, "options");
    checkTtl(l, options.ttl(), "ttl");
  }

  private static void checkKeys(LimitPolicy l, Collection<String> keys) {
    Objects.requireNonNull(keys, "keys");
    for (String key : keys) {
      checkKey(l, key, "key");
    }
  }

  private static void checkKey(LimitPolicy l, String key, String field) {
    Objects.requireNonNull(key, field);
    int max = l.maxKeyBytes();
    // No char takes more than three bytes of UTF-8 (a surrogate pair takes four for two chars).
    if (key.length() <= max / 3) {
      return;
    }
    long bytes = utf8Length(key);
    if (bytes > max) {
      throw new InvalidInputException(field, "must be at most " + max + " bytes of UTF-8 (maxKeyBytes; was " + bytes + ")");
    }
  }

  private static void checkValue(LimitPolicy l, Value value) {
    Objects.requireNonNull(value, "value");
    if (value.size() > l.maxValueBytes()) {
      throw new InvalidInputException("value",
          "must be at most " + l.maxValueBytes() + " bytes (maxValueBytes; was " + value.size() + ")");
    }
  }

  /** Compares durations and never converts them, so even {@code Duration.ofSeconds(Long.MAX_VALUE)} is safe. */
  private static void checkTtl(LimitPolicy l, Optional<Duration> ttl, String field) {
    if (ttl.isEmpty()) {
      return;
    }
    Duration d = ttl.get();
    if (d.compareTo(l.minTtl()) < 0) {
      throw new InvalidInputException(field, "must be at least " + l.minTtl() + " (minTtl)");
    }
    if (l.maxTtl().isPresent() && d.compareTo(l.maxTtl().get()) > 0) {
      throw new InvalidInputException(field, "must be at most " + l.maxTtl().get() + " (maxTtl)");
    }
  }

  private static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  // ---------------------------------------------------------------- quota

  /**
   * Runs {@code write}, which may create an entry under each of {@code keys} (distinct), after
   * checking the namespace has room for those that do not exist yet; holds the namespace's quota
   * lock throughout, so the count cannot grow between the check and the write. {@code created}
   * tells how many entries the write's result created.
   */
  private <T> T withRoomFor(String namespace, LimitPolicy l, Collection<String> keys, Supplier<T> write,
      ToLongFunction<T> created) {
    OptionalLong quota = l.maxEntriesPerNamespace();
    if (quota.isEmpty()) {
      return write.get();
    }
    long max = quota.getAsLong();
    ReentrantLock lock = shared.quotaLocks.get(namespace);
    lock.lock();
    try {
      Long bound = shared.liveBounds.getIfPresent(namespace);
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
          shared.liveBounds.put(namespace, live);
          throw new QuotaExceededException(namespace, max);
        }
      }
      T result;
      try {
        result = write.get();
      } catch (io.kv.StorageException e) {
        shared.liveBounds.invalidate(namespace);
        throw e;
      } catch (RuntimeException e) {
        // Refused before taking effect (conflict, not found, invalid input, ...): nothing was created.
        shared.liveBounds.put(namespace, live);
        throw e;
      }
      shared.liveBounds.put(namespace, live + created.applyAsLong(result));
      return result;
    } finally {
      lock.unlock();
    }
  }

  private static long createdOne(Entry e) {
    return e.version() == 1 ? 1 : 0;
  }

  private static long createdAll(Map<String, Entry> written) {
    long n = 0;
    for (Entry e : written.values()) {
      n += createdOne(e);
    }
    return n;
  }

}
