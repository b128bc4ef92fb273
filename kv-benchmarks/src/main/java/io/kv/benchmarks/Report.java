package io.kv.benchmarks;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Turns one run's results into the ratio table: reads JMH's {@code results.json} and the
 * footprint file, and writes {@code ratios.csv} ({@code path,kv_ns,baseline_ns,ratio,goal}, one
 * row per goal, in the order of the README's table), {@code ratios.md} (the same as a Markdown
 * table) and {@code ratios.svg} (a bar chart), then prints the table.
 *
 * <p>A row measured in two ways (memory-get at 10^4 and 10^6 keys, list-scale on the memory store
 * and PostgreSQL) reports the worse of the two and prints both. A row whose benchmarks did not
 * run is written with {@code n/a}. Two rows are not times: in memory-bytes the kv and baseline
 * columns hold bytes per entry, and in two-thread-get they hold the time of one {@code get} on
 * one thread of two, and on one thread alone, the ratio being throughput (two threads over one).
 */
public final class Report {
  private Report() {}

  /** One way of measuring a row: a kv score and a baseline score, and their ratio. */
  record Measure(String label, double kv, double baseline, double ratio, double error) {
    static Measure missing(String label) {
      return new Measure(label, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
  }

  /** A row of the table: the worse of its measures against its goal. */
  record Row(String path, String kv, String baseline, String unit, Goal goal, List<Measure> measures) {
    Measure worst() {
      Measure w = measures.get(0);
      for (Measure m : measures) {
        if (Double.isNaN(w.ratio()) || goal.worse(w.ratio(), m.ratio()) == m.ratio()) {
          w = m;
        }
      }
      return w;
    }
  }

  /**
   * Writes the files into {@code args[0]} (the directory holding {@code results.json} and,
   * if measured, {@code footprint.properties}) and prints the table.
   *
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Report <directory with results.json>");
      System.exit(2);
      return;
    }
    Path dir = Path.of(args[0]);
    Results results = Results.read(dir.resolve("results.json"));
    Optional<Properties> footprint = readFootprint(dir.resolve("footprint.properties"));
    List<Row> rows = rows(results, footprint);
    Files.writeString(dir.resolve("ratios.csv"), csv(rows), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("ratios.md"), markdown(rows), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("ratios.svg"), Chart.svg(rows), StandardCharsets.UTF_8);
    // The console's charset may be ASCII; the files above are UTF-8.
    System.out.print(text(rows).replace("µs", "us").replace("±", "+-"));
  }

  private static Optional<Properties> readFootprint(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return Optional.of(p);
  }

  static List<Row> rows(Results r, Optional<Properties> footprint) {
    String small = "keyCount=10000";
    String large = "keyCount=1000000";
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("memory-get", "memory store get", "ConcurrentHashMap.get", "ns", Goal.atMost(1.2), List.of(
        cost("10^4 keys", r.get("MemoryBenchmark.storeGet", small), r.get("MemoryBenchmark.chmGet", small)),
        cost("10^6 keys", r.get("MemoryBenchmark.storeGet", large), r.get("MemoryBenchmark.chmGet", large)))));
    rows.add(new Row("memory-put", "memory store put (overwrite)", "ConcurrentHashMap.put", "ns", Goal.atMost(4.0), List.of(
        cost("", r.get("MemoryBenchmark.storePut", small), r.get("MemoryBenchmark.chmPut", small)))));
    rows.add(new Row("stack-get", "stack get, encryption on", "ConcurrentHashMap.get", "ns", Goal.atMost(1.5), List.of(
        cost("", r.get("StackBenchmark.stackGet"), r.get("StackBenchmark.chmGet")))));
    rows.add(new Row("stack-get-full", "stack get, + Grants + audit", "ConcurrentHashMap.get", "ns", Goal.atMost(3.0), List.of(
        cost("", r.get("StackBenchmark.stackGetFull"), r.get("StackBenchmark.chmGet")))));
    rows.add(new Row("secret-get", "stack get, secret namespace", "JDK GCM decrypt + map get", "ns", Goal.atMost(1.15), List.of(
        cost("", r.get("SecretBenchmark.stackGet"), r.get("SecretBenchmark.jdkGet")))));
    rows.add(new Row("secret-put", "stack put, secret namespace", "JDK GCM encrypt + map put", "ns", Goal.atMost(1.25), List.of(
        cost("", r.get("SecretBenchmark.stackPut"), r.get("SecretBenchmark.jdkPut")))));
    rows.add(new Row("nearcache-get", "near-cache hit, JdbcKvStore", "Caffeine getIfPresent", "ns", Goal.atMost(1.5), List.of(
        cost("", r.get("JdbcBenchmark.nearCacheGet"), r.get("JdbcBenchmark.caffeineGet")))));
    rows.add(new Row("stack-nearcache-get", "stack over near-cache over PG, hit", "Caffeine getIfPresent", "ns",
        Goal.atMost(2.0), List.of(
        cost("", r.get("JdbcBenchmark.stackNearCacheGet"), r.get("JdbcBenchmark.caffeineGet")))));
    rows.add(new Row("pg-get", "JdbcKvStore get", "raw prepared select", "ns", Goal.atMost(1.15), List.of(
        cost("", r.get("JdbcBenchmark.storeGet"), r.get("JdbcBenchmark.rawGet")))));
    rows.add(new Row("pg-put", "JdbcKvStore put", "raw upsert, autocommit", "ns", Goal.atMost(1.5), List.of(
        cost("", r.get("JdbcBenchmark.storePut"), r.get("JdbcBenchmark.rawPut")))));
    rows.add(new Row("pg-bulk-set", "10k entries, putAll x 1000", "raw batch upsert, tx per 1000", "ns",
        Goal.atMost(1.5), List.of(
        cost("", r.get("JdbcBenchmark.storeBulkSet"), r.get("JdbcBenchmark.rawBulkSet")))));
    rows.add(new Row("pg-transaction", "transaction of 10 puts, JdbcKvStore", "10 raw upserts, one transaction", "ns",
        Goal.atMost(1.5), List.of(
        cost("", r.get("JdbcBenchmark.storeTransaction"), r.get("JdbcBenchmark.rawTransaction")))));
    rows.add(new Row("audited-nearcache-get", "stack + audit table over near-cache, hit", "Caffeine getIfPresent", "ns",
        Goal.atMost(3.0), List.of(
        cost("", r.get("JdbcBenchmark.auditedNearCacheGet"), r.get("JdbcBenchmark.caffeineGet")))));
    rows.add(new Row("memory-get-scale", "get of 10^4 keys, store of 10^6", "the same, store of 10^4", "ns",
        Goal.atMost(1.5), List.of(
        cost("", r.get("MemoryBenchmark.storeGetHot", large), r.get("MemoryBenchmark.storeGetHot", small)))));
    rows.add(new Row("list-scale", "page of 100 at 10^6", "page of 100 at 10^4", "ns", Goal.atMost(2.0), List.of(
        cost("memory", r.get("MemoryBenchmark.storeList", large), r.get("MemoryBenchmark.storeList", small)),
        cost("PostgreSQL", r.get("JdbcScaleBenchmark.storeList", large), r.get("JdbcScaleBenchmark.storeList", small)))));
    rows.add(new Row("memory-bytes", "memory store, heap/entry", "ConcurrentHashMap<String, byte[]>", "B",
        Goal.atMost(3.0), List.of(bytes(footprint))));
    rows.add(new Row("two-thread-get", "memory get, 2 threads", "1 thread", "ns/thread", Goal.atLeast(1.8), List.of(
        speedUp(r.get("ThreadsBenchmark.getTwoThreads"), r.get("ThreadsBenchmark.getOneThread")))));
    return rows;
  }

  /** kv time over baseline time; the error propagates both confidence half-widths. */
  private static Measure cost(String label, Optional<Results.Score> kv, Optional<Results.Score> base) {
    if (kv.isEmpty() || base.isEmpty()) {
      return Measure.missing(label);
    }
    double k = kv.get().ns();
    double b = base.get().ns();
    double ratio = k / b;
    return new Measure(label, k, b, ratio, ratio * relativeError(kv.get(), base.get()));
  }

  /** Throughput on two threads over one: twice the one-thread time over the per-thread time at two. */
  private static Measure speedUp(Optional<Results.Score> two, Optional<Results.Score> one) {
    if (two.isEmpty() || one.isEmpty()) {
      return Measure.missing("");
    }
    double ratio = 2 * one.get().ns() / two.get().ns();
    return new Measure("", two.get().ns(), one.get().ns(), ratio, ratio * relativeError(two.get(), one.get()));
  }

  private static double relativeError(Results.Score a, Results.Score b) {
    return Math.hypot(a.errorNs() / a.ns(), b.errorNs() / b.ns());
  }

  private static Measure bytes(Optional<Properties> footprint) {
    if (footprint.isEmpty()) {
      return Measure.missing("");
    }
    double kv = Double.parseDouble(footprint.get().getProperty("kv_bytes_per_entry", "NaN"));
    double base = Double.parseDouble(footprint.get().getProperty("baseline_bytes_per_entry", "NaN"));
    return new Measure("", kv, base, kv / base, Double.NaN);
  }

  static String csv(List<Row> rows) {
    StringBuilder sb = new StringBuilder("path,kv_ns,baseline_ns,ratio,goal\n");
    for (Row row : rows) {
      Measure m = row.worst();
      sb.append(row.path()).append(',').append(num(m.kv(), "%.2f")).append(',').append(num(m.baseline(), "%.2f"))
          .append(',').append(num(m.ratio(), "%.3f")).append(',').append(row.goal()).append('\n');
    }
    return sb.toString();
  }

  static String markdown(List<Row> rows) {
    StringBuilder sb = new StringBuilder(
        "| path | kv | baseline | kv | baseline | ratio | goal | met |\n|---|---|---|---:|---:|---:|---|---|\n");
    for (Row row : rows) {
      for (Measure m : shown(row)) {
        String path = m.label().isEmpty() ? row.path() : row.path() + " (" + m.label() + ")";
        sb.append("| ").append(path).append(" | ").append(row.kv()).append(" | ").append(row.baseline())
            .append(" | ").append(amount(m.kv(), row.unit())).append(" | ").append(amount(m.baseline(), row.unit()))
            .append(" | ").append(ratio(m)).append(" | ").append(row.goal()).append(" | ")
            .append(verdict(row.goal(), m)).append(" |\n");
      }
    }
    return sb.toString();
  }

  private static String text(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%n%-32s %-36s %-34s %12s %12s %16s %6s  %s%n",
        "path", "kv", "baseline", "kv", "baseline", "ratio", "goal", "met"));
    for (Row row : rows) {
      for (Measure m : shown(row)) {
        String path = m.label().isEmpty() ? row.path() : row.path() + " (" + m.label() + ")";
        sb.append(String.format(Locale.ROOT, "%-32s %-36s %-34s %12s %12s %16s %6s  %s%n", path, row.kv(),
            row.baseline(), amount(m.kv(), row.unit()), amount(m.baseline(), row.unit()), ratio(m), row.goal(),
            verdict(row.goal(), m)));
      }
    }
    sb.append(String.format(Locale.ROOT, "%nRatios are kv over baseline, from one JMH run, with the 99.9%% confidence"
        + " half-width.%nmemory-bytes: the columns are heap bytes per entry (JOL), not times.%n"
        + "two-thread-get: the columns are ns per get on each of two threads and on one thread;"
        + " the ratio is throughput, two threads over one.%nA row measured two ways shows both;"
        + " ratios.csv holds the worse.%n"));
    return sb.toString();
  }

  /** The worst measure, then the others of a row measured more than one way. */
  private static List<Measure> shown(Row row) {
    if (row.measures().size() == 1) {
      return row.measures();
    }
    List<Measure> all = new ArrayList<>(row.measures());
    Measure worst = row.worst();
    all.remove(worst);
    all.add(0, new Measure("worst: " + worst.label(), worst.kv(), worst.baseline(), worst.ratio(), worst.error()));
    return all;
  }

  static String verdict(Goal goal, Measure m) {
    if (Double.isNaN(m.ratio())) {
      return "n/a";
    }
    return goal.met(m.ratio()) ? "met" : "missed";
  }

  private static String ratio(Measure m) {
    if (Double.isNaN(m.ratio())) {
      return "n/a";
    }
    return Double.isNaN(m.error())
        ? String.format(Locale.ROOT, "%.2f", m.ratio())
        : String.format(Locale.ROOT, "%.2f ± %.2f", m.ratio(), m.error());
  }

  private static String amount(double v, String unit) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (unit.equals("B")) {
      return String.format(Locale.ROOT, "%.0f B", v);
    }
    String suffix = unit.equals("ns/thread") ? "/thr" : "";
    if (v < 1e3) {
      return String.format(Locale.ROOT, "%.1f ns%s", v, suffix);
    }
    if (v < 1e6) {
      return String.format(Locale.ROOT, "%.1f µs%s", v / 1e3, suffix);
    }
    return String.format(Locale.ROOT, "%.1f ms%s", v / 1e6, suffix);
  }

  private static String num(double v, String format) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, format, v);
  }
}
