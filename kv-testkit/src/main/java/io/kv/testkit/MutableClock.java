package io.kv.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so expiry can be tested at the exact
 * instant without sleeping. Thread-safe: it may be moved while stores read it.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
 * KvStore store = MemoryKvStore.builder().clock(clock).build();
 * store.put("app", "token", Value.string("t"), WriteOptions.ttl(Duration.ofSeconds(30)));
 * clock.advance(Duration.ofSeconds(30));   // the token is now expired
 * }</pre>
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * A clock standing at {@code instant}, in UTC.
   *
   * @param instant the time to show
   * @return a clock standing at {@code instant}, in UTC
   */
  public static MutableClock at(Instant instant) {
    return new MutableClock(new AtomicReference<>(Objects.requireNonNull(instant, "instant")), ZoneOffset.UTC);
  }

  /**
   * A clock standing at 2030-01-01T00:00:00Z, in UTC.
   *
   * @return a clock standing at 2030-01-01T00:00:00Z, in UTC
   */
  public static MutableClock fixed() {
    return at(Instant.parse("2030-01-01T00:00:00Z"));
  }

  /**
   * Moves the clock forward (or back, for a negative amount).
   *
   * @param amount how far to move
   * @return the new instant
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    return now.updateAndGet(i -> i.plus(amount));
  }

  /**
   * Sets the clock to {@code instant}.
   *
   * @param instant the time to show
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public long millis() {
    return now.get().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A clock sharing this one's time, in another zone: moving either moves both. */
  @Override
  public Clock withZone(ZoneId zone) {
    return new MutableClock(now, Objects.requireNonNull(zone, "zone"));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "]";
  }
}
