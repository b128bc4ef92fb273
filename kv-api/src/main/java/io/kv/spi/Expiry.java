package io.kv.spi;

import io.kv.InvalidInputException;
import io.kv.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When an entry expires, as every backend computes it. A write's own TTL wins over its namespace's
 * default TTL; the TTL counts from the store clock's time, the time every read compares expiry
 * with. No expiry may fall after {@link #LATEST}, the last millisecond every backend can store,
 * so a TTL that would reach past it is refused rather than cut short or wrapped around.
 *
 * <p>Stateless and thread-safe.
 */
public final class Expiry {
  /** The latest expiry an entry may have, in epoch milliseconds: 9999-12-31T23:59:59.999Z. */
  public static final long LATEST = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

  private Expiry() {}

  /**
   * The TTL a write applies: its own if it sets one, else {@code defaultTtl}. Returns one of the
   * two arguments' optionals, so it allocates nothing.
   *
   * @param options the write's options
   * @param defaultTtl the namespace's default TTL
   * @return the TTL a write applies
   * @throws NullPointerException if an argument is null
   */
  public static Optional<Duration> ttl(WriteOptions options, Optional<Duration> defaultTtl) {
    Optional<Duration> own = options.ttl();
    return own.isPresent() ? own : defaultTtl;
  }

  /**
   * The expiry, in epoch milliseconds, of an entry written at {@code now} with {@code ttl}.
   * {@link WriteOptions} and {@link io.kv.NamespaceSettings} already hold a TTL to whole
   * milliseconds within {@link WriteOptions#MAX_TTL}; what is left to check depends on the clock.
   *
   * @param now the store clock's time, in epoch milliseconds
   * @param ttl the TTL the write applies
   * @return the expiry, in epoch milliseconds, of an entry written at {@code now} with {@code ttl}
   * @throws NullPointerException if {@code ttl} is null
   * @throws InvalidInputException naming {@code "ttl"} if the expiry would fall after {@link #LATEST}
   */
  public static long at(long now, Duration ttl) {
    if (ttl.compareTo(Duration.ofMillis(LATEST - now)) > 0) {
      throw new InvalidInputException("ttl", "must not put the expiry after 9999-12-31T23:59:59.999Z");
    }
    return now + ttl.toMillis();
  }

  /**
   * Checks an expiry given as it is (a restore), in epoch milliseconds.
   *
   * @param expiresAt the expiry, in epoch milliseconds
   * @throws InvalidInputException naming {@code "expiresAt"} if it falls after {@link #LATEST}
   */
  public static void requireStorable(long expiresAt) {
    if (expiresAt > LATEST) {
      throw new InvalidInputException("expiresAt", "must not be after 9999-12-31T23:59:59.999Z");
    }
  }

  /**
   * Checks that an entry given with its expiry (a restore) has not expired at {@code now}, both in
   * epoch milliseconds.
   *
   * @param expiresAt the expiry, in epoch milliseconds
   * @param now the store clock's time, in epoch milliseconds
   * @throws InvalidInputException naming {@code "expiresAt"} if {@code expiresAt <= now}
   */
  public static void requireFuture(long expiresAt, long now) {
    if (expiresAt <= now) {
      throw new InvalidInputException("expiresAt", "must be after the store's current time: the entry has already expired");
    }
  }
}
