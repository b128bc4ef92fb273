package io.kv.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets by key, timed by an injected {@link Clock}. Thread-safe and lock-free: a bucket
 * is one {@code long}.
 *
 * <p>A bucket for {@code r} calls per second holds {@code r} tokens and refills continuously at
 * {@code r} tokens per second. It is kept in its equivalent "virtual scheduling" form (GCRA): the
 * instant at which the bucket will be full again, advanced by one emission interval ({@code 1 s /
 * r}) per call; a call is refused when that instant lies more than {@code r - 1} intervals ahead.
 *
 * <p>Memory is bounded: buckets live in a Caffeine cache with a maximum size and an expiry one
 * second after last access. A bucket idle for a second is full again, exactly like a new one, so
 * that expiry forgets nothing. Only when more than {@code maxBuckets} principals are active within
 * one second does the size bound evict a bucket that is not full; its principal then starts
 * again from a full bucket, which allows it at most one extra second's worth of calls. A clock
 * that steps back refills a bucket the same way, so calls go on.
 */
final class RateLimiter {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long CLAMP_SECONDS = Long.MAX_VALUE / 4 / NANOS_PER_SECOND;

  private final Clock clock;
  private final Instant origin;
  private final Cache<Object, AtomicLong> buckets;

  RateLimiter(Clock clock, long maxBuckets) {
    this.clock = clock;
    this.origin = clock.instant();
    this.buckets = Caffeine.newBuilder()
        .maximumSize(maxBuckets)
        .expireAfterAccess(Duration.ofSeconds(1))
        .ticker(this::nanos)
        // Maintenance on the calling thread: no background work, and eviction is deterministic.
        .executor(Runnable::run)
        .build();
  }

  /**
   * Takes one token from the bucket of {@code key}, which allows {@code perSecond} calls per
   * second.
   *
   * @return whether a token was there; a refused call takes none
   */
  boolean tryAcquire(Object key, int perSecond) {
    AtomicLong full = buckets.get(key, k -> new AtomicLong(Long.MIN_VALUE));
    long interval = NANOS_PER_SECOND / perSecond;
    long tolerance = interval * (perSecond - 1);
    long now = nanos();
    for (;;) {
      long t = full.get();
      // A bucket is never more than one interval past its tolerance ahead of the clock, unless
      // the clock stepped back since its last call: then it starts again full, as a new bucket
      // would, rather than refuse every call until the clock has caught up (an hour, after an
      // hour's correction). That allows at most one extra bucket of calls per step back.
      long start = t - now > tolerance + interval ? now : Math.max(t, now);
      if (start - now > tolerance) {
        return false;
      }
      if (full.compareAndSet(t, start + interval)) {
        return true;
      }
    }
  }

  /** How many buckets are kept; for tests. */
  long size() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }

  /**
   * Nanoseconds from this limiter's creation to the clock's present, clamped to about 73 years
   * either way (a clock set to {@link Instant#MAX}, say), so that neither this arithmetic nor the
   * cache's ever overflows.
   */
  private long nanos() {
    Instant now = clock.instant();
    long seconds = now.getEpochSecond() - origin.getEpochSecond();
    if (seconds >= CLAMP_SECONDS) {
      return CLAMP_SECONDS * NANOS_PER_SECOND;
    }
    if (seconds <= -CLAMP_SECONDS) {
      return -CLAMP_SECONDS * NANOS_PER_SECOND;
    }
    return seconds * NANOS_PER_SECOND + (now.getNano() - origin.getNano());
  }
}
