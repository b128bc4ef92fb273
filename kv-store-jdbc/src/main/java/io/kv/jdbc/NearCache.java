package io.kv.jdbc;

import io.kv.KvStore;
import io.kv.StorageException;
import io.kv.spi.BuilderChecks;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * An in-process Caffeine cache in front of a store's reads ({@link KvStore#get} and {@link
 * KvStore#getAll}), kept coherent with local writes and, through a {@link ChangeFeed}, with the
 * writes of other instances on the same database:
 *
 * <pre>{@code
 * ChangeFeed feed = ChangeFeed.builder(dataSource, instanceId).start();
 * KvStore store = NearCache.builder()
 *     .maximumSize(10_000)
 *     .expireAfterWrite(Duration.ofMinutes(5))
 *     .changeFeed(feed)
 *     .build(jdbcStore);
 * }</pre>
 *
 * <h2>What a read may return</h2>
 * <ul>
 *   <li>Never an entry past its {@code expiresAt}: every hit is checked against the clock.
 *   <li>Never a value older than the last write made through this store or any of its {@link
 *       KvStore#as views}: a write drops the key from the cache before it returns, and a read that
 *       started before the write and finishes after it does not put what it read into the cache.
 *   <li>A write made by another instance is served from the cache until the change feed delivers
 *       it: at most one {@link ChangeFeed.Builder#pollInterval poll interval} plus one query after
 *       it committed (on PostgreSQL, the LISTEN latency plus one query), longer only while an
 *       earlier sequence number is still uncommitted (see {@link ChangeFeed}). Without a change
 *       feed, up to {@link Builder#expireAfterWrite expireAfterWrite}.
 *   <li>Entries of secret namespaces are not cached unless {@link Builder#cacheSecrets} says so.
 *       Whether a namespace is secret is looked up through the delegate and remembered for five
 *       seconds (changes made through this store's {@link KvStore#namespaces()} apply at once).
 * </ul>
 *
 * <h2>When the database fails: stale-if-error</h2>
 * Opt in with {@link Builder#serveStaleFor serveStaleFor(bound)}: a {@link KvStore#get get} (or
 * {@link KvStore#getAll getAll}) that the database fails with a {@link StorageException}, down or
 * timing out, is answered with the value the cache holds for the key, if it was read from the
 * database at most {@code expireAfterWrite + bound} ago by the cache's clock and has not reached
 * its own {@code expiresAt}. The cache keeps a value that long (after {@code expireAfterWrite} it
 * answers no read while the database does, it is only the last known value). A value dropped by a
 * change never answers stale: a write through this store (even one that failed, whose outcome is
 * unknown), a change the feed delivered from another instance, a namespace change, or a read that
 * found the key absent. A read with no such value, and every write, still fails. The first read
 * answered stale in an outage logs a warning and tells the {@link Builder#staleListener
 * staleListener}; the next call that reaches the database ends the outage (logged, and told).
 *
 * <h2>Events</h2>
 * {@link KvStore#subscribe} on the cached store delivers this instance's own changes (from the
 * delegate) and, with a change feed, the other instances' changes, each key in version order: a
 * remote event whose version is not above the last version delivered for its key is dropped. A
 * remote event is delivered on the feed's thread, after the key left the cache. A local event
 * delivered late, after a newer remote one for the same key, still arrives.
 *
 * <h2>Rewrites in place</h2>
 * When its delegate offers the {@link io.kv.ValueRewriter} {@link KvStore#feature feature}, the
 * cached store offers it too; run kv-core's re-encryption through the cached store, and a
 * rewritten entry leaves this cache. It also offers {@link NearCacheStats}, the cache's hit, miss
 * and eviction counts. It offers no other feature. A rewrite is not a change, so other instances' caches are not told: with {@link
 * Builder#cacheSecrets cacheSecrets(true)}, retire an old master key only once {@link
 * Builder#expireAfterWrite expireAfterWrite} has passed since the re-encryption finished.
 *
 * <p>The cache sits directly over the backend (below encryption, so what it holds is what the
 * backend stores). The cached store owns the feed: closing it closes the feed and the delegate.
 */
public final class NearCache {
  private NearCache() {}

  /**
   * A builder with the defaults: 10,000 entries, ten minutes, no secrets, no change feed, no stale reads.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Told when a near-cache with {@link Builder#serveStaleFor serveStaleFor} begins answering
   * reads with stale values because the database fails, and when the database answers again:
   * once each per outage. Called on the reading (or writing) thread, so it should return quickly;
   * what it throws is logged and ignored. Implementations must be thread-safe.
   */
  public interface StaleListener {
    /**
     * The first read of an outage was answered with a cached value instead of failing.
     *
     * @param cause the database's failure that the read hid; names namespace and key, never a value
     */
    void outageBegan(StorageException cause);

    /**
     * A call reached the database again after an outage.
     *
     * @param staleReads how many reads were answered with cached values during the outage
     */
    void outageEnded(long staleReads);
  }

  /**
   * Configures a near-cache. Each setter checks its argument at once and may be called only
   * once. Not thread-safe; the stores it builds are.
   */
  public static final class Builder {
    private Long maximumSize;
    private Duration expireAfterWrite;
    private Boolean cacheSecrets;
    private ChangeFeed changeFeed;
    private Clock clock;
    private Duration serveStaleFor;
    private StaleListener staleListener;
    private boolean feedGiven;

    private Builder() {}

    /**
     * The most entries cached; default 10,000.
     *
     * @param entries the most entries cached
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     * @throws IllegalStateException if a size was already set
     */
    public Builder maximumSize(long entries) {
      if (entries < 0) {
        throw new IllegalArgumentException("maximumSize must not be negative");
      }
      this.maximumSize = BuilderChecks.once(this.maximumSize, entries, "maximumSize");
      return this;
    }

    /**
     * How long an entry stays cached after it was read; default ten minutes. Without a change
     * feed this is how stale another instance's write may be served.
     *
     * @param duration how long an entry stays cached after it was read
     * @return this builder
     * @throws NullPointerException if {@code duration} is null
     * @throws IllegalArgumentException if it is not positive
     * @throws IllegalStateException if a duration was already set
     */
    public Builder expireAfterWrite(Duration duration) {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("expireAfterWrite must be positive");
      }
      this.expireAfterWrite = BuilderChecks.once(this.expireAfterWrite, duration, "expireAfterWrite");
      return this;
    }

    /**
     * Whether entries of secret namespaces may be cached; default false, so a secret is read
     * from the backend every time.
     *
     * @param cache whether entries of secret namespaces may be cached
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder cacheSecrets(boolean cache) {
      this.cacheSecrets = BuilderChecks.once(this.cacheSecrets, cache, "cacheSecrets");
      return this;
    }

    /**
     * The feed of the other instances' changes, for invalidation and remote events. The cached
     * store takes it over and closes it when it is closed.
     *
     * @param feed the feed of the other instances' changes
     * @return this builder
     * @throws NullPointerException if {@code feed} is null
     * @throws IllegalStateException if a feed was already set
     */
    public Builder changeFeed(ChangeFeed feed) {
      Objects.requireNonNull(feed, "feed");
      this.changeFeed = BuilderChecks.once(this.changeFeed, feed, "changeFeed");
      return this;
    }

    /**
     * The clock every hit is checked against for expiry; default {@link Clock#systemUTC()}. Pass
     * the store's own: {@link JdbcKvStore#clock()}, which is corrected to the database's time.
     *
     * @param clock the clock every hit is checked against for expiry
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if a clock was already set
     */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      this.clock = BuilderChecks.once(this.clock, clock, "clock");
      return this;
    }

    /**
     * Answers a read the database fails with the value the cache holds for the key, if it was
     * read at most {@link #expireAfterWrite expireAfterWrite} plus {@code bound} ago and has not
     * expired (see {@link NearCache}); default off, so such a read fails. The cache then keeps
     * each value for that long, and checks every hit against the {@link #clock clock}.
     *
     * @param bound how much longer than {@code expireAfterWrite} a value may be served stale
     * @return this builder
     * @throws NullPointerException if {@code bound} is null
     * @throws IllegalArgumentException if it is not positive
     * @throws IllegalStateException if a bound was already set
     */
    public Builder serveStaleFor(Duration bound) {
      Objects.requireNonNull(bound, "bound");
      if (bound.isNegative() || bound.isZero()) {
        throw new IllegalArgumentException("serveStaleFor must be positive");
      }
      this.serveStaleFor = BuilderChecks.once(this.serveStaleFor, bound, "serveStaleFor");
      return this;
    }

    /**
     * Told of each outage in which reads are answered stale; default none (the outage is logged
     * either way). Takes effect with {@link #serveStaleFor}.
     *
     * @param listener told of each outage in which reads are answered stale
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     * @throws IllegalStateException if a listener was already set
     */
    public Builder staleListener(StaleListener listener) {
      Objects.requireNonNull(listener, "listener");
      this.staleListener = BuilderChecks.once(this.staleListener, listener, "staleListener");
      return this;
    }

    /**
     * The cached store over {@code delegate}. A builder with a change feed builds one store
     * only, since the store takes the feed over.
     *
     * @param delegate the store to put the cache in front of
     * @return the cached store over {@code delegate}
     * @throws NullPointerException if {@code delegate} is null
     * @throws IllegalStateException if this builder's change feed was already given to a store
     */
    public KvStore build(KvStore delegate) {
      return create(delegate);
    }

    private KvStore create(KvStore delegate) {
      Objects.requireNonNull(delegate, "delegate");
      if (feedGiven) {
        throw new IllegalStateException("the change feed was already given to a store");
      }
      feedGiven = changeFeed != null;
      return NearCachedStore.create(
          delegate,
          maximumSize != null ? maximumSize : 10_000L,
          expireAfterWrite != null ? expireAfterWrite : Duration.ofMinutes(10),
          cacheSecrets != null && cacheSecrets,
          changeFeed,
          clock != null ? clock : Clock.systemUTC(),
          serveStaleFor != null ? serveStaleFor : Duration.ZERO,
          staleListener);
    }
  }
}
