package io.kv.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link GetPutBenchmark} and prints each benchmark's score beside the ratio of the store to
 * its {@link java.util.concurrent.ConcurrentHashMap} baseline, with the goal where there is one.
 *
 * <p>Arguments are JMH's command-line options ({@code -f 1 -wi 2 -i 3 -r 1s -p keyCount=1000}, ...)
 * and override the defaults on the benchmark class; {@code -h} shows them and {@code -l} lists the
 * benchmarks. For the other JMH tooling run {@code org.openjdk.jmh.Main} from the same jar.
 */
public final class Main {
  private static final String BASELINE_GET = "chmGet";
  private static final String BASELINE_PUT = "chmPut";

  /** A row of the ratio table: a store benchmark over its baseline, and the most it may reach. */
  private record Ratio(String benchmark, String baseline, double goal) {
    String label() {
      return benchmark + "/" + baseline;
    }

    boolean hasGoal() {
      return !Double.isNaN(goal);
    }
  }

  private static final List<Ratio> RATIOS = List.of(
      new Ratio("storeGet", BASELINE_GET, 1.2),
      new Ratio("storeGetEqualKey", "chmGetEqualKey", Double.NaN),
      new Ratio("storeGetWithTtl", BASELINE_GET, Double.NaN),
      new Ratio("storePut", BASELINE_PUT, Double.NaN));

  private static final List<String> BENCHMARKS =
      List.of(BASELINE_GET, "storeGet", "chmGetEqualKey", "storeGetEqualKey", "storeGetWithTtl",
          BASELINE_PUT, "storePut");

  private Main() {}

  /**
   * Runs the benchmarks and prints the table; exits with status 2 on bad arguments. A benchmark
   * that fails inside JMH shows as {@code n/a} in the table (pass {@code -foe true} to stop at
   * the first failure instead).
   *
   * @param args JMH command-line options
   * @throws RunnerException if JMH cannot run the benchmarks
   * @throws IOException if the help text cannot be written
   */
  public static void main(String[] args) throws RunnerException, IOException {
    CommandLineOptions cli;
    try {
      cli = new CommandLineOptions(args);
    } catch (CommandLineOptionException e) {
      System.err.println("Error parsing command line: " + e.getMessage());
      System.err.println("Run with -h for the options.");
      System.exit(2);
      return;
    }
    if (cli.shouldHelp()) {
      cli.showHelp();
      return;
    }
    Options options = new OptionsBuilder()
        .parent(cli)
        .include("^" + Pattern.quote(GetPutBenchmark.class.getName() + "."))
        .build();
    Runner runner = new Runner(options);
    if (cli.shouldList()) {
      runner.list();
      return;
    }
    printTable(runner.run(), System.out);
  }

  /** Prints one table per mode and parameter set found in {@code results}. */
  static void printTable(Collection<RunResult> results, PrintStream out) {
    Map<String, Map<String, RunResult>> groups = new LinkedHashMap<>();
    for (RunResult result : results) {
      BenchmarkParams params = result.getParams();
      String benchmark = params.getBenchmark();
      if (!benchmark.startsWith(GetPutBenchmark.class.getName() + ".")) {
        continue;
      }
      groups.computeIfAbsent(describe(params), k -> new LinkedHashMap<>())
          .put(benchmark.substring(benchmark.lastIndexOf('.') + 1), result);
    }
    if (groups.isEmpty()) {
      out.println("No results: nothing ran, or every benchmark failed.");
      return;
    }
    for (Map.Entry<String, Map<String, RunResult>> group : groups.entrySet()) {
      out.println();
      out.println(GetPutBenchmark.class.getSimpleName() + " [" + group.getKey() + "]");
      printGroup(group.getValue(), out);
    }
  }

  private static String describe(BenchmarkParams params) {
    StringBuilder sb = new StringBuilder(params.getMode().shortLabel());
    sb.append(", threads=").append(params.getThreads());
    for (String key : params.getParamsKeys()) {
      sb.append(", ").append(key).append('=').append(params.getParam(key));
    }
    return sb.toString();
  }

  private static void printGroup(Map<String, RunResult> byName, PrintStream out) {
    out.printf(Locale.ROOT, "  %-32s %12s   %10s  %s%n", "benchmark", "score", "error", "unit");
    for (String name : BENCHMARKS) {
      RunResult run = byName.get(name);
      if (run == null) {
        out.printf(Locale.ROOT, "  %-32s %12s%n", name, "n/a");
        continue;
      }
      Result<?> r = run.getPrimaryResult();
      out.printf(Locale.ROOT, "  %-32s %12.3f ± %10s  %s%n",
          name, r.getScore(), format(r.getScoreError()), r.getScoreUnit());
    }
    out.println();
    out.printf(Locale.ROOT, "  %-32s %12s   %10s  %s%n", "ratio (time)", "value", "error", "goal");
    for (Ratio ratio : RATIOS) {
      RunResult store = byName.get(ratio.benchmark());
      RunResult baseline = byName.get(ratio.baseline());
      if (store == null || baseline == null) {
        out.printf(Locale.ROOT, "  %-32s %12s%n", ratio.label(), "n/a");
        continue;
      }
      Result<?> s = store.getPrimaryResult();
      Result<?> b = baseline.getPrimaryResult();
      // In throughput mode a higher score is faster: invert so the ratio always reads "times slower".
      boolean throughput = store.getParams().getMode() == Mode.Throughput;
      double value = throughput ? b.getScore() / s.getScore() : s.getScore() / b.getScore();
      // First-order propagation of the two (independent) confidence half-widths.
      double error = value * Math.hypot(s.getScoreError() / s.getScore(), b.getScoreError() / b.getScore());
      String goal = ratio.hasGoal()
          ? String.format(Locale.ROOT, "goal: <= %.1f  %s", ratio.goal(), verdict(value, error, ratio.goal()))
          : "";
      out.printf(Locale.ROOT, "  %-32s %12.3f ± %10s  %s%n", ratio.label(), value, format(error), goal);
    }
  }

  private static String verdict(double value, double error, double goal) {
    double e = Double.isNaN(error) ? 0 : error;
    if (value + e <= goal) {
      return "met";
    }
    if (value - e > goal) {
      return "MISSED";
    }
    return value <= goal ? "met (within error)" : "missed (within error)";
  }

  private static String format(double error) {
    return Double.isNaN(error) ? "n/a" : String.format(Locale.ROOT, "%.3f", error);
  }
}
