package io.kv.jdbc;

import io.kv.StorageException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock a store decides expiry and stamps writes by: the builder's clock, corrected by its
 * measured offset from the database's clock when the time source is {@link TimeSource#DATABASE}.
 * Reading it runs no statement (one volatile read); {@link #measure} queries the database, at
 * start and on the sweeper's thread, never on a read. A measurement that finds the offset beyond
 * the bound logs one warning, and one more only after the offset was back within the bound.
 *
 * <p>Thread-safe.
 */
final class DatabaseClock extends Clock {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseClock.class);

  private final Clock base;
  private final TimeSource source;
  private final Duration bound;
  private final Tx tx;
  private final String sql;
  /** The offset applied to {@link #base}, in ms: the measured one with DATABASE, else zero. */
  private volatile long applied;
  private volatile ClockSkew last;
  private boolean warned; // guarded by this

  DatabaseClock(Clock base, TimeSource source, Duration bound, Tx tx, Dialect dialect) {
    this.base = base;
    this.source = source;
    this.bound = bound;
    this.tx = tx;
    this.sql = dialect.databaseTimeQuery();
  }

  @Override
  public long millis() {
    return base.millis() + applied;
  }

  @Override
  public Instant instant() {
    long offset = applied;
    Instant now = base.instant();
    return offset == 0 ? now : now.plusMillis(offset);
  }

  @Override
  public ZoneId getZone() {
    return base.getZone();
  }

  /** This clock's time, in another zone: it follows every later measurement too. */
  @Override
  public Clock withZone(ZoneId zone) {
    java.util.Objects.requireNonNull(zone, "zone");
    DatabaseClock self = this;
    return new Clock() {
      @Override
      public long millis() {
        return self.millis();
      }

      @Override
      public Instant instant() {
        return self.instant();
      }

      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return self.withZone(other);
      }
    };
  }

  /** The last measurement; {@link #measure} has run once before the store is returned. */
  ClockSkew skew() {
    return last;
  }

  /**
   * Measures the database's time against the builder's clock (half the query's round trip is
   * the error), applies the offset if the source is the database, and reports a skew beyond the
   * bound.
   *
   * @throws StorageException if the database fails
   */
  synchronized ClockSkew measure() {
    long before = base.millis();
    long database = tx.read(Tx.Op.of("reading of the database's time"), c -> {
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
    long after = base.millis();
    long offset = database - (before + (after - before) / 2);
    if (source == TimeSource.DATABASE) {
      applied = correction(before, database, after);
    }
    ClockSkew skew = new ClockSkew(Duration.ofMillis(offset), bound, source, Instant.ofEpochMilli(after + applied));
    last = skew;
    if (skew.exceedsBound() && !warned) {
      LOG.warn("kv: this instance's clock is {} ms {} the database's (bound {} ms); {}", Math.abs(offset),
          offset > 0 ? "behind" : "ahead of", bound.toMillis(), source == TimeSource.DATABASE
              ? "the store corrects it and uses the database's time"
              : "the store uses its own clock (timeSource CLOCK), so instances may disagree on expiry");
    }
    warned = skew.exceedsBound();
    return skew;
  }

  /**
   * The offset to apply after the database answered {@code database} to a query sent at {@code
   * before} and answered at {@code after} (all epoch milliseconds): zero when the clocks are in
   * step as far as the measurement can tell, else the estimate from the round trip's midpoint.
   * The database read its clock somewhere between before and after (each truncated to the
   * millisecond, the database's value rounded to it), so the true offset lies in {@code
   * [database - after - 1, database - before + 1]}. When that range holds zero, applying the
   * estimate would only add noise: instances whose clocks are in step would each take a different
   * random correction of up to half a round trip, and disagree on expiry by it.
   */
  static long correction(long before, long database, long after) {
    boolean inStep = database - after - 1 <= 0 && 0 <= database - before + 1;
    return inStep ? 0 : database - (before + (after - before) / 2);
  }

  /** {@link #measure} for the sweeper: a failure is logged, and the last offset stays. */
  void measureQuietly() {
    try {
      measure();
    } catch (RuntimeException e) {
      LOG.warn("kv: measuring the database's time failed; the last offset stays", e);
    }
  }

  @Override
  public String toString() {
    return "DatabaseClock[" + source + ", offset=" + applied + "ms, base=" + base + "]";
  }
}
