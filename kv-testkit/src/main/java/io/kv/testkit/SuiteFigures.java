package io.kv.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Publishes what a long-running suite did (sequences run, inputs tried, faults injected,
 * operations performed) into a Markdown table of a README, so the figures a project shows are the
 * ones its last test run produced rather than numbers typed by hand.
 *
 * <p>The table lives between the lines {@value #BEGIN} and {@value #END} of the first {@code
 * README.md} found from the working directory upwards; one row per suite and subject, replaced on
 * each run and kept sorted. When no such README exists (a consumer's build), {@link #publish} does
 * nothing. Thread-safe: calls are serialised within a JVM.
 *
 * <pre>{@code
 * Map<String, Long> figures = new LinkedHashMap<>();
 * figures.put("sequences", 2000L);
 * figures.put("operations", 61234L);
 * SuiteFigures.publish("model-based", "memory", figures);
 * }</pre>
 */
public final class SuiteFigures {
  /** The line that opens the table in the README. */
  public static final String BEGIN = "<!-- suite-figures:begin -->";

  /** The line that closes the table in the README. */
  public static final String END = "<!-- suite-figures:end -->";

  private static final String HEADER = "| suite | subject | figures |\n|---|---|---|";

  private SuiteFigures() {}

  /**
   * Writes (or replaces) the row of {@code suite} run on {@code subject}.
   *
   * @param suite the suite's name, e.g. {@code model-based}
   * @param subject what it ran on, e.g. {@code memory} or {@code postgresql + stack}
   * @param figures named counts, shown in the map's iteration order (pass a {@code LinkedHashMap})
   * @throws UncheckedIOException if the README cannot be rewritten
   */
  public static void publish(String suite, String subject, Map<String, Long> figures) {
    publish(Path.of("").toAbsolutePath(), suite, subject, figures);
  }

  static synchronized void publish(Path from, String suite, String subject, Map<String, Long> figures) {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(figures, "figures");
    if (suite.contains("|") || subject.contains("|") || suite.isBlank() || subject.isBlank()) {
      throw new IllegalArgumentException("suite and subject must be non-blank and free of '|'");
    }
    Path readme = findReadme(from);
    if (readme == null) {
      return;
    }
    try {
      String text = Files.readString(readme, StandardCharsets.UTF_8);
      int begin = text.indexOf(BEGIN);
      int end = text.indexOf(END, begin);
      if (begin < 0 || end < 0) {
        return;
      }
      Map<String, String> rows = new TreeMap<>();
      for (String line : text.substring(begin + BEGIN.length(), end).split("\n")) {
        List<String> cells = cells(line);
        if (cells.size() == 3 && !cells.get(0).equals("suite") && !cells.get(0).startsWith("---")) {
          rows.put(cells.get(0) + "\u0000" + cells.get(1), line.strip());
        }
      }
      rows.put(suite + "\u0000" + subject, "| " + suite + " | " + subject + " | " + describe(figures) + " |");
      StringBuilder table = new StringBuilder(BEGIN).append('\n').append(HEADER).append('\n');
      rows.values().forEach(row -> table.append(row).append('\n'));
      String updated = text.substring(0, begin) + table + text.substring(end);
      if (!updated.equals(text)) {
        Path temp = Files.createTempFile(readme.getParent(), ".README", ".tmp");
        Files.writeString(temp, updated, StandardCharsets.UTF_8);
        Files.move(temp, readme, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish the figures of " + suite + " to " + readme, e);
    }
  }

  private static String describe(Map<String, Long> figures) {
    List<String> parts = new ArrayList<>();
    new LinkedHashMap<>(figures).forEach((name, count) -> parts.add(String.format("%,d %s", count, name)));
    return String.join(", ", parts);
  }

  private static List<String> cells(String line) {
    String row = line.strip();
    if (!row.startsWith("|") || !row.endsWith("|") || row.length() < 2) {
      return List.of();
    }
    List<String> cells = new ArrayList<>();
    for (String cell : row.substring(1, row.length() - 1).split("\\|", -1)) {
      cells.add(cell.strip());
    }
    return cells;
  }

  private static Path findReadme(Path from) {
    for (Path dir = from; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("README.md");
      if (Files.isRegularFile(candidate)) {
        try {
          if (Files.readString(candidate, StandardCharsets.UTF_8).contains(BEGIN)) {
            return candidate;
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + candidate, e);
        }
      }
    }
    return null;
  }
}
