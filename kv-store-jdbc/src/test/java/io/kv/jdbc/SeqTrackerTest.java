package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeqTrackerTest {
  private static ChangeRow row(long seq) {
    return new ChangeRow(seq, "other", "app", "k" + seq, 1, "CREATED", "p", 0);
  }

  @Test
  void numbersJumpedOverBecomeGapsAndAreDeliveredOnceWhenTheyAppear() {
    SeqTracker t = new SeqTracker(10);
    assertThat(t.acceptNew(List.of(row(11), row(14)), 0)).extracting(ChangeRow::seq).containsExactly(11L, 14L);
    assertThat(t.cursor()).isEqualTo(14);
    assertThat(t.gaps()).containsExactly(12L, 13L);

    assertThat(t.acceptGapRows(List.of(row(13)))).extracting(ChangeRow::seq).containsExactly(13L);
    assertThat(t.acceptGapRows(List.of(row(13)))).isEmpty();
    assertThat(t.gaps()).containsExactly(12L);
  }

  @Test
  void gapsWithForeseesTheGapsWithoutMovingAnything() {
    SeqTracker t = new SeqTracker(10);
    t.acceptNew(List.of(row(12)), 0);
    assertThat(t.gapsWith(List.of(row(13), row(16)))).containsExactly(11L, 14L, 15L);
    assertThat(t.cursor()).isEqualTo(12);
    assertThat(t.gaps()).containsExactly(11L);
  }

  @Test
  void gapsAreGivenUpAfterTheTimeout() {
    SeqTracker t = new SeqTracker(0);
    t.acceptNew(List.of(row(2)), 1_000);
    t.acceptNew(List.of(row(4)), 5_000);
    assertThat(t.expire(5_999, 5_000)).isZero();
    assertThat(t.expire(6_000, 5_000)).isEqualTo(1);
    assertThat(t.gaps()).containsExactly(3L);
  }

  @Test
  void countsTheGapsItOpenedAndThoseItDroppedOverItsBound() {
    SeqTracker t = new SeqTracker(10);
    t.addGap(9, 0);
    t.addGap(9, 0);
    t.acceptNew(List.of(row(13)), 0);
    assertThat(t.opened()).as("9 once, 11 and 12").isEqualTo(3);
    assertThat(t.pending()).isEqualTo(3);

    t.acceptNew(List.of(row(14 + SeqTracker.MAX_GAPS + 5)), 0);
    assertThat(t.pending()).isEqualTo(SeqTracker.MAX_GAPS);
    assertThat(t.opened() - t.trimmed()).isEqualTo(SeqTracker.MAX_GAPS);
    assertThat(t.trimmed()).isPositive();
  }

  @Test
  void rowsAtOrBelowTheCursorDoNotMoveIt() {
    SeqTracker t = new SeqTracker(5);
    t.acceptNew(List.of(row(5)), 0);
    assertThat(t.cursor()).isEqualTo(5);
    assertThat(t.gaps()).isEmpty();
  }

  @Test
  void aHugeJumpKeepsABoundedNumberOfGaps() {
    SeqTracker t = new SeqTracker(0);
    t.acceptNew(List.of(row(1_000_000)), 0);
    assertThat(t.gaps()).hasSize(SeqTracker.MAX_GAPS);
    assertThat(t.gaps().get(SeqTracker.MAX_GAPS - 1)).isEqualTo(999_999L);
  }

  @Test
  void startUpGapsBelowTheCursorAreTracked() {
    SeqTracker t = new SeqTracker(10);
    t.addGap(8, 0);
    t.addGap(11, 0);
    assertThat(t.gaps()).containsExactly(8L);
  }
}
