package io.kv.micrometer;

import io.kv.KvStore;
import io.kv.jdbc.ChangeFeed;
import io.kv.jdbc.ChangeFeedStats;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.NearCacheStats;
import io.kv.spi.BuilderChecks;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Binds the figures of kv's JDBC store to a Micrometer registry: the near-cache's hits, misses,
 * evictions and size ({@link NearCacheStats}), the change feed's lag and sequence gaps ({@link
 * ChangeFeedStats}), and the expired entries the sweeper deleted:
 *
 * <pre>{@code
 * KvJdbcMetrics.builder()
 *     .nearCache(cachedStore)
 *     .changeFeed(feed)
 *     .sweeper(jdbcStore)
 *     .build()
 *     .bindTo(registry);
 * }</pre>
 *
 * <p>The meters read the figures when the registry publishes; nothing is counted twice and no
 * query runs. The meters hold the objects they read weakly, as Micrometer's function meters do,
 * so they do not keep a closed store alive. The names, tags and units are listed in the README's
 * "Metrics (Micrometer)" section and in the constants here.
 *
 * <p>Immutable and thread-safe once built; binding it to two registries binds the same figures.
 */
public final class KvJdbcMetrics implements MeterBinder {
  /** Near-cache lookups, a function counter tagged {@code result}: {@code hit} or {@code miss}. */
  public static final String NEAR_CACHE_GETS = "kv.nearcache.gets";
  /** Entries the near-cache evicted (size or age), a function counter. */
  public static final String NEAR_CACHE_EVICTIONS = "kv.nearcache.evictions";
  /** Entries the near-cache holds, a gauge. */
  public static final String NEAR_CACHE_SIZE = "kv.nearcache.size";
  /** Changes of other instances the feed delivered, with their total lag, a function timer. */
  public static final String FEED_LAG = "kv.changefeed.lag";
  /** The lag of the change the feed delivered last, a time gauge. */
  public static final String FEED_LAST_LAG = "kv.changefeed.lag.last";
  /** Sequence gaps, a function counter tagged {@code state}: {@code seen} or {@code given_up}. */
  public static final String FEED_GAPS = "kv.changefeed.gaps";
  /** Sequence gaps the feed waits for now, a gauge. */
  public static final String FEED_PENDING_GAPS = "kv.changefeed.gaps.pending";
  /** Expired entries the sweeper (and purgeExpired) deleted, a function counter. */
  public static final String SWEEPER_DELETIONS = "kv.sweeper.deletions";

  private final NearCacheStats nearCache;
  private final ChangeFeedStats feed;
  private final JdbcKvStore sweeper;
  private final Tags tags;

  private KvJdbcMetrics(Builder b) {
    this.nearCache = b.nearCache;
    this.feed = b.feed;
    this.sweeper = b.sweeper;
    this.tags = b.tags != null ? b.tags : Tags.empty();
  }

  /**
   * A builder with nothing to bind yet.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers the meters of what was given to the builder.
   *
   * @param registry where the meters go
   * @throws NullPointerException if {@code registry} is null
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (nearCache != null) {
      bindNearCache(registry, nearCache);
    }
    if (feed != null) {
      bindFeed(registry, feed);
    }
    if (sweeper != null) {
      FunctionCounter.builder(SWEEPER_DELETIONS, sweeper, JdbcKvStore::expiredEntriesDeleted)
          .description("expired entries deleted by this instance's sweeps").baseUnit("entries").tags(tags)
          .register(registry);
    }
  }

  private void bindNearCache(MeterRegistry registry, NearCacheStats stats) {
    FunctionCounter.builder(NEAR_CACHE_GETS, stats, NearCacheStats::hitCount)
        .description("near-cache lookups").tags(tags).tag("result", "hit").register(registry);
    FunctionCounter.builder(NEAR_CACHE_GETS, stats, NearCacheStats::missCount)
        .description("near-cache lookups").tags(tags).tag("result", "miss").register(registry);
    FunctionCounter.builder(NEAR_CACHE_EVICTIONS, stats, NearCacheStats::evictionCount)
        .description("entries evicted by size or age").baseUnit("entries").tags(tags).register(registry);
    Gauge.builder(NEAR_CACHE_SIZE, stats, NearCacheStats::size)
        .description("entries in the near-cache").baseUnit("entries").tags(tags).register(registry);
  }

  private void bindFeed(MeterRegistry registry, ChangeFeedStats stats) {
    FunctionTimer.builder(FEED_LAG, stats, ChangeFeedStats::deliveredCount, s -> s.totalLag().toMillis(),
            TimeUnit.MILLISECONDS)
        .description("time from another instance's change to its delivery here").tags(tags).register(registry);
    TimeGauge.builder(FEED_LAST_LAG, stats, TimeUnit.MILLISECONDS, s -> s.lastLag().toMillis())
        .description("lag of the change delivered last").tags(tags).register(registry);
    FunctionCounter.builder(FEED_GAPS, stats, ChangeFeedStats::gapsSeen)
        .description("change-log sequence gaps").tags(tags).tag("state", "seen").register(registry);
    FunctionCounter.builder(FEED_GAPS, stats, ChangeFeedStats::gapsGivenUp)
        .description("change-log sequence gaps").tags(tags).tag("state", "given_up").register(registry);
    Gauge.builder(FEED_PENDING_GAPS, stats, ChangeFeedStats::pendingGaps)
        .description("change-log sequence gaps waited for").tags(tags).register(registry);
  }

  /**
   * Says what {@link KvJdbcMetrics} binds. Each setter checks its argument at once and may be
   * called once; all are optional. Not thread-safe.
   */
  public static final class Builder {
    private NearCacheStats nearCache;
    private ChangeFeedStats feed;
    private JdbcKvStore sweeper;
    private Tags tags;

    private Builder() {}

    /**
     * The near-cache of {@code cachedStore}, the store {@code NearCache.builder().build(...)}
     * returned (or one of its views): found through its {@link NearCacheStats} feature. A kv-core
     * stack around it offers no features, so pass the cached store itself.
     *
     * @param cachedStore a store that offers {@link NearCacheStats}
     * @return this builder
     * @throws NullPointerException if {@code cachedStore} is null
     * @throws IllegalArgumentException if it offers no {@link NearCacheStats}
     * @throws IllegalStateException if a near-cache was already given
     */
    public Builder nearCache(KvStore cachedStore) {
      Objects.requireNonNull(cachedStore, "cachedStore");
      NearCacheStats stats = cachedStore.feature(NearCacheStats.class)
          .orElseThrow(() -> new IllegalArgumentException("the store offers no near-cache statistics: " + cachedStore));
      this.nearCache = BuilderChecks.once(this.nearCache, stats, "nearCache");
      return this;
    }

    /**
     * The change feed whose lag and gaps to bind.
     *
     * @param changeFeed the feed
     * @return this builder
     * @throws NullPointerException if {@code changeFeed} is null
     * @throws IllegalStateException if a feed was already given
     */
    public Builder changeFeed(ChangeFeed changeFeed) {
      Objects.requireNonNull(changeFeed, "changeFeed");
      this.feed = BuilderChecks.once(this.feed, changeFeed.stats(), "changeFeed");
      return this;
    }

    /**
     * The JDBC store whose sweeper deletions to count.
     *
     * @param store the JDBC store
     * @return this builder
     * @throws NullPointerException if {@code store} is null
     * @throws IllegalStateException if a store was already given
     */
    public Builder sweeper(JdbcKvStore store) {
      Objects.requireNonNull(store, "store");
      this.sweeper = BuilderChecks.once(this.sweeper, store, "sweeper");
      return this;
    }

    /**
     * Tags added to every meter, to tell two stores apart; default none.
     *
     * @param tags the tags
     * @return this builder
     * @throws NullPointerException if {@code tags} is null
     * @throws IllegalStateException if tags were already given
     */
    public Builder tags(Iterable<Tag> tags) {
      Objects.requireNonNull(tags, "tags");
      this.tags = BuilderChecks.once(this.tags, Tags.of(tags), "tags");
      return this;
    }

    /**
     * The binder of what was given.
     *
     * @return the binder
     */
    public KvJdbcMetrics build() {
      return new KvJdbcMetrics(this);
    }
  }
}
