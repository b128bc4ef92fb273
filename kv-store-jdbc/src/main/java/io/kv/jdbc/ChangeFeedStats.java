package io.kv.jdbc;

import java.time.Duration;

/**
 * Running figures of one {@link ChangeFeed}, from {@link ChangeFeed#stats()}: how many of the
 * other instances' changes it delivered and how late, and the sequence gaps it waited for.
 *
 * <h2>Lag</h2>
 * The lag of a change is the feed's clock ({@link ChangeFeed.Builder#clock}) when the feed hands
 * the change on, minus the time the writing instance stamped on it ({@code changed_at}, by that
 * instance's database-corrected clock), never less than zero. It is taken from the row the feed
 * reads anyway, so measuring it costs no query; it includes the poll interval, the query, and any
 * difference between the two clocks that the writer's correction did not remove.
 *
 * <p>Counts start at zero when the feed starts and only grow. Thread-safe: the feed's thread
 * writes the figures, any thread reads them, each without locking, so figures read one after
 * another need not be from the same poll.
 */
public interface ChangeFeedStats {

  /**
   * How many changes of other instances (entry and namespace changes) the feed has handed on.
   *
   * @return how many changes the feed has handed on
   */
  long deliveredCount();

  /**
   * The sum of the lags of all delivered changes; divided by {@link #deliveredCount()}, the mean lag.
   *
   * @return the sum of the lags of all delivered changes
   */
  Duration totalLag();

  /**
   * The lag of the change delivered last; zero before the first.
   *
   * @return the lag of the change delivered last
   */
  Duration lastLag();

  /**
   * How many sequence numbers the feed found skipped over and began to wait for.
   *
   * @return how many sequence gaps the feed has seen
   */
  long gapsSeen();

  /**
   * How many skipped sequence numbers the feed gave up after {@link ChangeFeed.Builder#gapTimeout
   * gapTimeout} without their rows appearing (rolled back, or a change missed).
   *
   * @return how many sequence gaps were given up
   */
  long gapsGivenUp();

  /**
   * How many skipped sequence numbers the feed is waiting for now.
   *
   * @return how many sequence gaps are pending
   */
  int pendingGaps();
}
