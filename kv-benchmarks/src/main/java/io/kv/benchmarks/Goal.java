package io.kv.benchmarks;

import java.util.Locale;

/**
 * The goal of a row: a ratio the row must stay at or below (a cost) or reach at least (a
 * speed-up). Immutable.
 */
record Goal(boolean atMost, double limit) {
  static Goal atMost(double limit) {
    return new Goal(true, limit);
  }

  static Goal atLeast(double limit) {
    return new Goal(false, limit);
  }

  /** Whether {@code ratio} meets the goal; false for NaN. */
  boolean met(double ratio) {
    return atMost ? ratio <= limit : ratio >= limit;
  }

  /** The worse of two ratios for this goal, ignoring NaN unless both are. */
  double worse(double a, double b) {
    if (Double.isNaN(a)) {
      return b;
    }
    if (Double.isNaN(b)) {
      return a;
    }
    return atMost ? Math.max(a, b) : Math.min(a, b);
  }

  @Override
  public String toString() {
    return (atMost ? "<=" : ">=") + String.format(Locale.ROOT, "%s", trim(limit));
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
  }
}
