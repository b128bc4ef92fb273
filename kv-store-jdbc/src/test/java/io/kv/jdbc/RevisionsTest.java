package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which revision a read is as of, from the newest rows of the change log. */
@DisplayName("Revisions: the settled revision")
class RevisionsTest {
  private static final long NOW = 1_000_000;
  private static final long TIMEOUT = Revisions.GAP_TIMEOUT.toMillis();

  private static long[] row(long seq, long changedAt) {
    return new long[] {seq, changedAt};
  }

  @Test
  void anEmptyLogIsRevisionZeroAndAWholeOneItsNewestRow() {
    assertThat(Revisions.settled(List.of(), NOW)).isZero();
    assertThat(Revisions.settled(List.of(row(7, NOW), row(6, NOW), row(5, NOW)), NOW)).isEqualTo(7);
  }

  @Test
  void aHoleBehindARecentRowHoldsTheRevisionBelowIt() {
    assertThat(Revisions.settled(List.of(row(9, NOW), row(8, NOW), row(6, NOW), row(3, NOW)), NOW)).isEqualTo(3);
  }

  @Test
  void aHoleBehindRowsOlderThanTheGapTimeoutIsGivenUp() {
    long old = NOW - TIMEOUT;
    assertThat(Revisions.settled(List.of(row(9, old), row(7, old)), NOW)).isEqualTo(9);
    // The youngest row above the hole counts, not the one just above it (an expiry row's time is the expiry instant).
    assertThat(Revisions.settled(List.of(row(9, NOW - 1), row(8, old), row(6, old)), NOW)).isEqualTo(6);
  }
}
