package io.kv.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * Draws the ratio table as a standalone SVG: one horizontal bar per row (its reported ratio, on
 * a logarithmic axis), a dark line at the row's goal, green when the goal is met and red when it
 * is missed. Written by hand to keep the module free of a charting dependency. Stateless.
 */
final class Chart {
  private static final double[] TICKS = {0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
  private static final int LEFT = 170;
  private static final int RIGHT = 80;
  private static final int PLOT = 560;
  private static final int TOP = 50;
  private static final int ROW = 26;

  private Chart() {}

  static String svg(List<Report.Row> rows) {
    double max = 5;
    for (Report.Row row : rows) {
      double r = row.worst().ratio();
      max = Math.max(max, Math.max(row.goal().limit(), Double.isNaN(r) ? 0 : r) * 1.1);
    }
    double hi = TICKS[TICKS.length - 1];
    for (double t : TICKS) {
      if (t >= max) {
        hi = t;
        break;
      }
    }
    double lo = TICKS[0];
    int height = TOP + rows.size() * ROW + 40;
    int width = LEFT + PLOT + RIGHT;
    StringBuilder s = new StringBuilder();
    s.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
        + " font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
    s.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    s.append(f("<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">kv / baseline, same JMH run"
        + " (log scale)</text>%n", LEFT));
    s.append(f("<text x=\"%d\" y=\"37\" fill=\"#555\">bar: ratio (two-thread-get: throughput, 2 threads / 1;"
        + " memory-bytes: heap per entry); line: goal</text>%n", LEFT));
    int bottom = TOP + rows.size() * ROW;
    for (double t : TICKS) {
      if (t > hi) {
        break;
      }
      double x = x(t, lo, hi);
      s.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP - 4, x, bottom));
      s.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n", x, bottom + 16,
          t < 1 ? "0.5" : String.valueOf((long) t)));
    }
    for (int i = 0; i < rows.size(); i++) {
      Report.Row row = rows.get(i);
      Report.Measure m = row.worst();
      int y = TOP + i * ROW;
      s.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 8, y + 16, row.path()));
      if (Double.isNaN(m.ratio())) {
        s.append(f("<text x=\"%d\" y=\"%d\" fill=\"#888\">not measured</text>%n", LEFT + 4, y + 16));
      } else {
        double r = Math.max(lo, Math.min(hi, m.ratio()));
        String color = row.goal().met(m.ratio()) ? "#3a9d4a" : "#d0453a";
        s.append(f("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", LEFT, y + 4,
            Math.max(1, x(r, lo, hi) - LEFT), ROW - 8, color));
        s.append(f("<text x=\"%.1f\" y=\"%d\">%.2f</text>%n", x(r, lo, hi) + 4, y + 16, m.ratio()));
      }
      double g = x(row.goal().limit(), lo, hi);
      s.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222\" stroke-width=\"2\"/>%n",
          g, y + 1, g, y + ROW - 1));
      s.append(f("<text x=\"%d\" y=\"%d\" fill=\"#555\">%s</text>%n", LEFT + PLOT + 24, y + 16, row.goal().toString().replace("<", "&lt;")));
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static double x(double ratio, double lo, double hi) {
    return LEFT + PLOT * (Math.log(ratio / lo) / Math.log(hi / lo));
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
