package io.kv.core.internal;

import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.Page;
import io.kv.Subscription;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.LimitPolicy;
import io.kv.core.QuotaExceededException;
import io.kv.core.RateLimitedException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The limits layer: key and value size, TTL range, entries per namespace (quota) and calls per
 * second per principal (rate limit), each from the {@link LimitPolicy} of the operation's
 * namespace, or else the store's. A namespace's limits replace the store's wholesale. The layer
 * routes each call through the three concerns: {@link LimitChecks} (sizes and TTLs), {@link
 * RateLimiter} (rate) and {@link EntryQuota} (quota).
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
 * A write that would create an entry is refused with {@link QuotaExceededException} when its
 * namespace is full; see {@link EntryQuota} for how the count is kept exact within one stack.
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
public final class LimitLayer extends StackLayer {
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
    /** Bounded like the rate buckets. */
    final EntryQuota quota = new EntryQuota(DEFAULT_MAX_RATE_BUCKETS);

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
    this.namespaces = new LimitedNamespaces(delegate().namespaces());
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
    LimitChecks.checkKey(l, key, "key");
    return delegate().get(namespace, key);
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    LimitPolicy l = enter(namespace);
    LimitChecks.checkKeys(l, keys);
    return delegate().getAll(namespace, keys);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    LimitPolicy l = enter(namespace);
    Objects.requireNonNull(options, "options");
    LimitChecks.checkKey(l, options.prefix(), "prefix");
    return delegate().list(namespace, options);
  }

  @Override
  public long count(String namespace) {
    enter(namespace);
    return delegate().count(namespace);
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    LimitPolicy l = enter(namespace);
    LimitChecks.checkKey(l, key, "key");
    return delegate().history(namespace, key);
  }

  // ---------------------------------------------------------------- writes that may create

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    LimitPolicy l = enter(namespace);
    LimitChecks.checkWrite(l, key, value, options);
    return shared.quota.withRoomFor(delegate(), namespace, l, List.of(key),
        () -> delegate().put(namespace, key, value, options), EntryQuota::createdOne);
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    LimitPolicy l = enter(namespace);
    LimitChecks.checkWrite(l, key, value, options);
    return shared.quota.withRoomFor(delegate(), namespace, l, List.of(key),
        () -> delegate().create(namespace, key, value, options), EntryQuota::createdOne);
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    LimitPolicy l = enter(namespace);
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(options, "options");
    for (Map.Entry<String, Value> e : values.entrySet()) {
      LimitChecks.checkKey(l, e.getKey(), "key");
      LimitChecks.checkValue(l, e.getValue());
    }
    LimitChecks.checkTtl(l, options.ttl(), "ttl");
    return shared.quota.withRoomFor(delegate(), namespace, l, values.keySet(),
        () -> delegate().putAll(namespace, values, options), EntryQuota::createdAll);
  }

  /**
   * Checks every key, value and TTL as the single writes would, takes one rate token for the whole
   * transaction, and counts its puts and creates against the quota as {@link #putAll} counts its
   * keys: refused whole when the absent ones do not fit.
   */
  @Override
  public TransactionResult commit(String namespace, Transaction transaction) {
    LimitPolicy l = enter(namespace);
    Objects.requireNonNull(transaction, "transaction");
    for (Transaction.Compare c : transaction.compares()) {
      LimitChecks.checkKey(l, c.key(), "key");
    }
    List<String> mayCreate = new ArrayList<>();
    for (Transaction.Write w : transaction.writes()) {
      if (w.kind() == Transaction.Write.Kind.DELETE) {
        LimitChecks.checkKey(l, w.key(), "key");
        continue;
      }
      LimitChecks.checkWrite(l, w.key(), w.value(), w.options());
      if (w.kind() != Transaction.Write.Kind.UPDATE) {
        mayCreate.add(w.key());
      }
    }
    return shared.quota.withRoomFor(delegate(), namespace, l, mayCreate,
        () -> delegate().commit(namespace, transaction), r -> EntryQuota.createdAll(r.written()));
  }

  // ---------------------------------------------------------------- writes to existing entries

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    LimitChecks.checkWrite(enter(namespace), key, value, options);
    return delegate().update(namespace, key, value, options);
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    LimitChecks.checkWrite(enter(namespace), key, value, options);
    return delegate().compareAndSet(namespace, key, expectedVersion, value, options);
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    LimitChecks.checkWrite(enter(namespace), key, value, options);
    return delegate().rotate(namespace, key, value, options);
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    LimitPolicy l = enter(namespace);
    LimitChecks.checkKey(l, key, "key");
    Objects.requireNonNull(options, "options");
    LimitChecks.checkTtl(l, options.ttl(), "ttl");
    return delegate().rollback(namespace, key, toVersion, options);
  }

  // ---------------------------------------------------------------- deletes

  @Override
  public boolean delete(String namespace, String key) {
    LimitChecks.checkKey(enter(namespace), key, "key");
    return delegate().delete(namespace, key);
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    LimitChecks.checkKey(enter(namespace), key, "key");
    delegate().deleteIfVersion(namespace, key, expectedVersion);
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    LimitChecks.checkKeys(enter(namespace), keys);
    return delegate().deleteAll(namespace, keys);
  }

  // ---------------------------------------------------------------- the rest

  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    acquire(STORE_SCOPE, shared.storeLimits);
    return delegate().subscribe(filter, listener);
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, long fromRevision, ChangeListener listener) {
    acquire(STORE_SCOPE, shared.storeLimits);
    return delegate().subscribe(filter, fromRevision, listener);
  }

  /** Namespace administration, rate limited by the store's bucket; checks default TTLs. */
  private final class LimitedNamespaces extends ForwardingNamespaces {
    LimitedNamespaces(Namespaces delegate) {
      super(delegate);
    }

    @Override
    public Namespace create(String name, NamespaceSettings settings) {
      checkSettings(name, settings);
      return delegate().create(name, settings);
    }

    @Override
    public Optional<Namespace> get(String name) {
      acquire(STORE_SCOPE, shared.storeLimits);
      return delegate().get(name);
    }

    @Override
    public List<Namespace> list() {
      acquire(STORE_SCOPE, shared.storeLimits);
      return delegate().list();
    }

    @Override
    public Namespace update(String name, NamespaceSettings settings) {
      checkSettings(name, settings);
      return delegate().update(name, settings);
    }

    @Override
    public boolean delete(String name, DeleteMode mode) {
      acquire(STORE_SCOPE, shared.storeLimits);
      return delegate().delete(name, mode);
    }

    private void checkSettings(String name, NamespaceSettings settings) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(settings, "settings");
      acquire(STORE_SCOPE, shared.storeLimits);
      LimitChecks.checkTtl(limitsOf(name), settings.defaultTtl(), "defaultTtl");
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


}
