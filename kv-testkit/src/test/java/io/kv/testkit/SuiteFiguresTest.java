package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteFiguresTest {
  @TempDir Path dir;

  private static Map<String, Long> figures(String name, long count, String name2, long count2) {
    Map<String, Long> figures = new LinkedHashMap<>();
    figures.put(name, count);
    figures.put(name2, count2);
    return figures;
  }

  @Test
  void writesSortedRowsBetweenTheMarkersAndReplacesARowOnTheNextRun() throws Exception {
    Path readme = dir.resolve("README.md");
    Files.writeString(readme, "# x\n\n" + SuiteFigures.BEGIN + "\n" + SuiteFigures.END + "\n\ntail\n");
    Path module = Files.createDirectories(dir.resolve("kv-x"));

    SuiteFigures.publish(module, "model", "sqlite", figures("sequences", 2000, "operations", 61234));
    SuiteFigures.publish(module, "model", "memory", figures("sequences", 10, "operations", 5));
    SuiteFigures.publish(module, "model", "sqlite", figures("sequences", 3000, "operations", 1));

    assertThat(Files.readString(readme))
        .isEqualTo("# x\n\n" + SuiteFigures.BEGIN + "\n| suite | subject | figures |\n|---|---|---|\n"
            + "| model | memory | 10 sequences, 5 operations |\n"
            + "| model | sqlite | 3,000 sequences, 1 operations |\n"
            + SuiteFigures.END + "\n\ntail\n");
  }

  @Test
  void doesNothingWithoutAReadmeThatHasTheMarkers() throws Exception {
    Files.writeString(dir.resolve("README.md"), "no table here\n");
    SuiteFigures.publish(dir, "model", "memory", figures("a", 1, "b", 2));
    assertThat(Files.readString(dir.resolve("README.md"))).isEqualTo("no table here\n");
  }

  @Test
  void rejectsACellSeparatorInAName() {
    assertThatThrownBy(() -> SuiteFigures.publish(dir, "a|b", "memory", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
