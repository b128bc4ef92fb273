package io.kv.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The scores of one JMH run, read from its JSON result file ({@code -rf json}), by benchmark
 * (simple class name and method, {@code MemoryBenchmark.storeGet}) and parameters. Immutable.
 */
final class Results {
  /** One score converted to nanoseconds per operation, with its 99.9% confidence half-width. */
  record Score(double ns, double errorNs) {}

  private final Map<String, Score> scores;

  private Results(Map<String, Score> scores) {
    this.scores = Map.copyOf(scores);
  }

  /**
   * Reads {@code file}.
   *
   * @throws IOException if it cannot be read or is not JMH's JSON
   */
  static Results read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    if (root == null || !root.isArray()) {
      throw new IOException(file + " is not a JMH JSON result (an array of benchmarks)");
    }
    Map<String, Score> scores = new HashMap<>();
    for (JsonNode run : root) {
      String benchmark = run.path("benchmark").asText();
      int dot = benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1);
      Map<String, String> params = new TreeMap<>();
      run.path("params").fields().forEachRemaining(p -> params.put(p.getKey(), p.getValue().asText()));
      JsonNode metric = run.path("primaryMetric");
      double factor = nanosPer(metric.path("scoreUnit").asText());
      double score = metric.path("score").asDouble(Double.NaN) * factor;
      double error = metric.path("scoreError").asDouble(Double.NaN) * factor;
      scores.put(key(benchmark.substring(dot + 1), params), new Score(score, error));
    }
    return new Results(scores);
  }

  /** The score of {@code benchmark} with {@code params} ({@code name=value} pairs), if it ran. */
  Optional<Score> get(String benchmark, String... params) {
    Map<String, String> p = new TreeMap<>();
    for (String pair : params) {
      int eq = pair.indexOf('=');
      p.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return Optional.ofNullable(scores.get(key(benchmark, p)));
  }

  private static String key(String benchmark, Map<String, String> params) {
    return benchmark + params;
  }

  private static double nanosPer(String unit) {
    switch (unit) {
      case "ns/op":
        return 1;
      case "us/op":
        return 1e3;
      case "ms/op":
        return 1e6;
      case "s/op":
        return 1e9;
      default:
        throw new IllegalArgumentException("unit " + unit + ": run the benchmarks in average-time mode");
    }
  }
}
