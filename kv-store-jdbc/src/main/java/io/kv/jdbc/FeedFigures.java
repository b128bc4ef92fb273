package io.kv.jdbc;

import java.time.Duration;

/**
 * The {@link ChangeFeedStats} of a {@link PollingChangeFeed}. Only the feed's thread writes, so
 * volatile fields suffice: each write is a plain read-modify-write by the one writer, published
 * to readers on other threads.
 */
final class FeedFigures implements ChangeFeedStats {
  private volatile long delivered;
  private volatile long totalLagMillis;
  private volatile long lastLagMillis;
  private volatile long gapsSeen;
  private volatile long gapsGivenUp;
  private volatile int pendingGaps;
  private volatile long trimmed;

  /** On the feed's thread: a change stamped {@code changedAtMillis} was handed on at {@code nowMillis}. */
  void delivered(long changedAtMillis, long nowMillis) {
    long lag = Math.max(0, nowMillis - changedAtMillis);
    lastLagMillis = lag;
    totalLagMillis += lag;
    delivered++;
  }

  /**
   * On the feed's thread, after a poll: the tracker's running counts of gaps opened and trimmed,
   * the gaps timed out in this poll, and those pending.
   */
  void gaps(SeqTracker tracker, int timedOut) {
    gapsSeen = tracker.opened();
    gapsGivenUp += timedOut;
    trimmed = tracker.trimmed();
    pendingGaps = tracker.pending();
  }

  @Override
  public long deliveredCount() {
    return delivered;
  }

  @Override
  public Duration totalLag() {
    return Duration.ofMillis(totalLagMillis);
  }

  @Override
  public Duration lastLag() {
    return Duration.ofMillis(lastLagMillis);
  }

  @Override
  public long gapsSeen() {
    return gapsSeen;
  }

  @Override
  public long gapsGivenUp() {
    return gapsGivenUp + trimmed;
  }

  @Override
  public int pendingGaps() {
    return pendingGaps;
  }

  @Override
  public String toString() {
    return "ChangeFeedStats[delivered " + delivered + ", gaps seen " + gapsSeen + ", given up " + gapsGivenUp + "]";
  }
}
