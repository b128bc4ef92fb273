package io.kv.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The last measurement of how far a store's clock is from its database's clock: a health check
 * reads it from {@link JdbcKvStore#clockSkew()}. Immutable and thread-safe.
 *
 * @param offset the database's time minus the builder's clock's time; positive when the clock
 *     is behind the database
 * @param bound the largest offset that does not count as skew ({@link
 *     JdbcKvStore.Builder#maxClockSkew})
 * @param source whether the store corrects its clock by {@code offset} ({@link TimeSource#DATABASE})
 *     or only reports it ({@link TimeSource#CLOCK})
 * @param measuredAt when it was measured, in the store's time
 */
public record ClockSkew(Duration offset, Duration bound, TimeSource source, Instant measuredAt) {
  /**
   * Checks the components.
   *
   * @param offset the database's time minus the builder's clock's time; positive when the clock is
   *     behind the database
   * @param bound the largest offset that does not count as skew ({@link
   *     JdbcKvStore.Builder#maxClockSkew})
   * @param source whether the store corrects its clock by {@code offset} ({@link
   *     TimeSource#DATABASE}) or only reports it ({@link TimeSource#CLOCK})
   * @param measuredAt when it was measured, in the store's time
   * @throws NullPointerException if a component is null
   */
  public ClockSkew {
    Objects.requireNonNull(offset, "offset");
    Objects.requireNonNull(bound, "bound");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(measuredAt, "measuredAt");
  }

  /**
   * Whether the clock is further from the database's than {@link #bound}. With {@link
   * TimeSource#CLOCK}, instances may then disagree on what has expired; with {@link
   * TimeSource#DATABASE}, the store corrects it, but the host's clock needs attention.
   *
   * @return whether the clock is further from the database's than {@link #bound}
   */
  public boolean exceedsBound() {
    return offset.abs().compareTo(bound) > 0;
  }
}
