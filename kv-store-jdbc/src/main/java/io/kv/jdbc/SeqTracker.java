package io.kv.jdbc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which change-log sequence numbers a feed has seen. Sequence numbers are assigned at insert and
 * become visible at commit, so a number can appear after a higher one: every number skipped over
 * is kept as a gap, with the time it was noticed, until a row with it shows up or it times out.
 *
 * <p>Not thread-safe: only the feed's thread uses it.
 */
final class SeqTracker {
  /** The most gaps kept; beyond it the oldest are given up (a huge jump in the sequence). */
  static final int MAX_GAPS = 10_000;

  /** Gap seq to the millis it was noticed; ascending seq, since gaps are added in order. */
  private final LinkedHashMap<Long, Long> gaps = new LinkedHashMap<>();
  private long cursor;
  private long opened;
  private long trimmed;

  /** A tracker that has seen every number up to {@code cursor}. */
  SeqTracker(long cursor) {
    this.cursor = cursor;
  }

  /** The highest number seen. */
  long cursor() {
    return cursor;
  }

  /** Marks {@code seq}, at or below the cursor, as not yet seen (used at start-up). */
  void addGap(long seq, long nowMillis) {
    if (seq <= cursor && gaps.size() < MAX_GAPS && gaps.put(seq, nowMillis) == null) {
      opened++;
    }
  }

  /**
   * Takes the rows of a {@code seq > cursor} query, in ascending seq order: every number jumped
   * over becomes a gap and the cursor moves to the last row.
   *
   * @return the rows to deliver (all of them)
   */
  List<ChangeRow> acceptNew(List<ChangeRow> rows, long nowMillis) {
    return acceptNew(rows, nowMillis, false);
  }

  /**
   * Like {@link #acceptNew(List, long)}; with {@code agedByRows}, a gap counts as noticed when the
   * youngest of the rows above it was written, if that is earlier: its number was taken before
   * theirs, so its transaction has been open at least that long. A replay over old rows then does
   * not wait a full timeout for each hole a rollback left long ago.
   */
  List<ChangeRow> acceptNew(List<ChangeRow> rows, long nowMillis, boolean agedByRows) {
    // The latest time of the rows from each one up: a gap is as old as the youngest row above it.
    long[] latestFrom = new long[rows.size()];
    long latest = Long.MIN_VALUE;
    for (int i = rows.size() - 1; i >= 0; i--) {
      latest = Math.max(latest, rows.get(i).changedAt());
      latestFrom[i] = latest;
    }
    for (int i = 0; i < rows.size(); i++) {
      ChangeRow row = rows.get(i);
      long seq = row.seq();
      if (seq <= cursor) {
        continue;
      }
      long noticed = agedByRows ? Math.min(nowMillis, latestFrom[i]) : nowMillis;
      long from = Math.max(cursor + 1, seq - MAX_GAPS);
      for (long s = from; s < seq; s++) {
        if (gaps.put(s, noticed) == null) {
          opened++;
        }
      }
      cursor = seq;
    }
    trim();
    return rows;
  }

  /**
   * The gaps there will be once {@code fresh} (rows of a {@code seq > cursor} query, ascending) is
   * accepted: the pending ones and those the rows jump over. Changes nothing, so a query for
   * them that fails loses nothing.
   */
  List<Long> gapsWith(List<ChangeRow> fresh) {
    List<Long> out = new ArrayList<>(gaps.keySet());
    long last = cursor;
    for (ChangeRow row : fresh) {
      long seq = row.seq();
      if (seq <= last) {
        continue;
      }
      for (long s = Math.max(last + 1, seq - MAX_GAPS); s < seq; s++) {
        out.add(s);
      }
      last = seq;
    }
    return out.size() <= MAX_GAPS ? out : new ArrayList<>(out.subList(out.size() - MAX_GAPS, out.size()));
  }

  /** How many gaps were opened so far (at start and by new rows); for the feed's statistics. */
  long opened() {
    return opened;
  }

  /** How many gaps were given up because there were more than {@link #MAX_GAPS}. */
  long trimmed() {
    return trimmed;
  }

  /** How many gaps are pending. */
  int pending() {
    return gaps.size();
  }

  /** The lowest pending gap, or {@link Long#MAX_VALUE} when none is pending. */
  long lowestGap() {
    return gaps.isEmpty() ? Long.MAX_VALUE : gaps.keySet().iterator().next();
  }

  /** The pending gaps, ascending. */
  List<Long> gaps() {
    return new ArrayList<>(gaps.keySet());
  }

  /**
   * Takes rows found for pending gaps.
   *
   * @return the rows that filled a gap (each once), in ascending seq order
   */
  List<ChangeRow> acceptGapRows(List<ChangeRow> rows) {
    List<ChangeRow> out = new ArrayList<>();
    for (ChangeRow row : rows) {
      if (gaps.remove(row.seq()) != null) {
        out.add(row);
      }
    }
    out.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    return out;
  }

  /**
   * Gives up the gaps noticed at or before {@code nowMillis - timeoutMillis}.
   *
   * @return how many were given up
   */
  int expire(long nowMillis, long timeoutMillis) {
    int n = 0;
    for (Iterator<Map.Entry<Long, Long>> it = gaps.entrySet().iterator(); it.hasNext(); ) {
      if (nowMillis - it.next().getValue() >= timeoutMillis) {
        it.remove();
        n++;
      }
    }
    return n;
  }

  private void trim() {
    Iterator<Long> it = gaps.keySet().iterator();
    while (gaps.size() > MAX_GAPS && it.hasNext()) {
      it.next();
      it.remove();
      trimmed++;
    }
  }
}
