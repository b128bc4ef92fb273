package io.kv.jdbc;

import io.kv.Entry;
import io.kv.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The near-cache's stale-if-error rule ({@link NearCache.Builder#serveStaleFor}), in one place:
 * how long a cached value answers reads as fresh, how much longer it may still answer a read the
 * database failed, and the signal, once per outage, that reads are being answered stale. An
 * outage begins with the first read answered stale and ends with the next call that reaches the
 * database. Thread-safe.
 */
final class StaleReads {
  private static final Logger LOG = LoggerFactory.getLogger(StaleReads.class);

  /** A cached value and when (by the cache's clock) it was read from the database. */
  record Held(Entry entry, long cachedAt) {}

  private final long freshMillis;
  private final long staleMillis;
  private final Clock clock;
  private final NearCache.StaleListener listener;
  private final AtomicBoolean outage = new AtomicBoolean();
  private final AtomicLong served = new AtomicLong();

  /**
   * @param fresh how long a value answers reads without asking the database (expireAfterWrite)
   * @param stale how much longer it may answer a read the database failed; zero for never
   * @param listener told of outages, or null
   */
  StaleReads(Duration fresh, Duration stale, Clock clock, NearCache.StaleListener listener) {
    this.freshMillis = fresh.toMillis();
    this.staleMillis = stale.toMillis();
    this.clock = clock;
    this.listener = listener;
  }

  /** Whether stale values may be served; when not, the cache behaves exactly as without this rule. */
  boolean enabled() {
    return staleMillis > 0;
  }

  /** How long the cache must keep a value: its freshness plus the stale bound. */
  Duration retention() {
    return Duration.ofMillis(freshMillis + staleMillis);
  }

  /** A value to cache now. */
  Held hold(Entry entry) {
    return new Held(entry, enabled() ? clock.millis() : 0L);
  }

  /**
   * Whether {@code held} answers a read at {@code now} without the database. Without the rule
   * every held value is fresh: the cache's own expiry drops it in time.
   */
  boolean fresh(Held held, long now) {
    return !enabled() || now - held.cachedAt() < freshMillis;
  }

  /**
   * The entry to answer a read with instead of the database's failure {@code cause}: the one
   * {@code held} if it was read within freshness plus the stale bound and has not expired;
   * otherwise the failure is thrown. Only a value the cache still holds can answer: one that a
   * change (local, remote, or a write that failed) dropped never does.
   *
   * @param held what the cache holds for the key, or null
   * @throws StorageException {@code cause}, if no held value may answer
   */
  Entry serve(Held held, StorageException cause) {
    return serveAll(java.util.Collections.singletonList(held), cause).get(0);
  }

  /**
   * Like {@link #serve} for the keys of one read, answered as a whole: every key's held value
   * must be able to answer, or the failure is thrown and nothing counts as answered stale.
   *
   * @param held what the cache holds for each key, nulls for keys it does not hold
   * @throws StorageException {@code cause}, if a key has no held value that may answer
   */
  List<Entry> serveAll(List<Held> held, StorageException cause) {
    if (!enabled()) {
      throw cause;
    }
    long now = clock.millis();
    List<Entry> out = new ArrayList<>(held.size());
    for (Held h : held) {
      if (h == null || !mayAnswer(h, now)) {
        throw cause;
      }
      out.add(h.entry());
    }
    served.addAndGet(out.size());
    if (outage.compareAndSet(false, true)) {
      LOG.warn("near-cache: the database failed ({}); answering reads with values cached up to {} ms ago"
          + " until it answers again", cause.getMessage(), freshMillis + staleMillis);
      tell(() -> listener.outageBegan(cause));
    }
    return out;
  }

  private boolean mayAnswer(Held held, long now) {
    boolean expired = held.entry().expiresAt().isPresent() && held.entry().expiresAt().get().toEpochMilli() <= now;
    return !expired && now - held.cachedAt() <= freshMillis + staleMillis;
  }

  /** A call reached the database: an outage, if there was one, is over. */
  void reachable() {
    if (outage.get() && outage.compareAndSet(true, false)) {
      long n = served.getAndSet(0);
      LOG.info("near-cache: the database answers again; {} reads were answered with stale values", n);
      tell(() -> listener.outageEnded(n));
    }
  }

  private void tell(Runnable call) {
    if (listener == null) {
      return;
    }
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("near-cache stale listener failed", e);
    }
  }
}
