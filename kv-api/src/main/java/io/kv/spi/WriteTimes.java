package io.kv.spi;

/**
 * The timestamps of the next version of an entry, as every backend computes them. A store's
 * clock may step back (an NTP correction), and an entry may carry times from a host whose clock
 * was ahead (an import); the times of one entry must still never go backwards, and {@code
 * updatedAt} never falls before {@code createdAt}. So a write over an entry is stamped with the
 * later of the clock's time and the time of the version it replaces, and keeps its creation time;
 * a new entry is stamped with the clock's time for both.
 *
 * <p>Expiry is not stamped this way: a TTL counts from the clock's time, the time every read
 * compares expiry with, so an entry lives as long as its TTL asks however its timestamps were
 * held back. Backends that stamp a write inside SQL (PostgreSQL's one-statement writes) apply
 * the same rule there ({@code GREATEST(now, updated_at)}) and say so.
 *
 * <p>Stateless and thread-safe.
 */
public final class WriteTimes {
  private WriteTimes() {}

  /**
   * The {@code updatedAt} (epoch milliseconds) of a version written at {@code now} over a
   * version written at {@code previousUpdatedAt}: the later of the two.
   *
   * @param now the time of the write, in epoch milliseconds
   * @param previousUpdatedAt the previous version's {@code updatedAt}, in epoch milliseconds
   * @return the {@code updatedAt} (epoch milliseconds) of a version written at {@code now} over a
   *     version written at {@code previousUpdatedAt}
   */
  public static long updatedAt(long now, long previousUpdatedAt) {
    return Math.max(now, previousUpdatedAt);
  }
}
