package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading malformed export files: a clear error naming the line, never the content. */
class ExportFormatTest {
  private static final String SECRET = "s3cr3t-do-not-echo";
  private static final String HEADER = "{\"format\":\"kv-export\",\"version\":1,\"exportedAt\":\"2030-01-01T00:00:00Z\"}";
  private static final String NAMESPACE = "{\"kind\":\"namespace\",\"name\":\"app\",\"settings\":{\"description\":\"\","
      + "\"owner\":\"\",\"secret\":false,\"defaultTtl\":null,\"maxVersions\":0},\"createdAt\":\"2030-01-01T00:00:00Z\","
      + "\"updatedAt\":\"2030-01-01T00:00:00Z\"}";

  private static String entry(String key, String type, String value) {
    return "{\"kind\":\"entry\",\"namespace\":\"app\",\"key\":\"" + key + "\",\"type\":\"" + type + "\",\"value\":\"" + value
        + "\",\"encrypted\":false,\"version\":2,\"createdAt\":\"2030-01-01T00:00:00Z\",\"updatedAt\":\"2030-01-01T00:00:01Z\","
        + "\"expiresAt\":null,\"metadata\":{},\"tags\":[],\"history\":[]}";
  }

  private static String end(int namespaces, int entries) {
    return "{\"kind\":\"end\",\"namespaces\":" + namespaces + ",\"entries\":" + entries + "}";
  }

  private static ExportFormat.Contents read(String... lines) throws Exception {
    return ExportFormat.read(new BufferedReader(new StringReader(String.join("\n", lines) + "\n")));
  }

  /** A broken file, the line its error names, and a part of the message. */
  record Broken(String name, List<String> lines, long line, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Broken> brokenFiles() {
    String ok = entry("k", "STRING", "v");
    return List.of(
        new Broken("empty file", List.of(""), 1, "must be one JSON object"),
        new Broken("not JSON", List.of("hello " + SECRET), 1, "not valid JSON"),
        new Broken("not a kv export", List.of("{\"format\":\"other\",\"version\":1}"), 1, "not a kv export"),
        new Broken("unknown version", List.of(HEADER.replace("\"version\":1", "\"version\":2"), end(0, 0)), 1,
            "unsupported export format version 2; this kv reads version 1"),
        new Broken("bad JSON on a later line", List.of(HEADER, NAMESPACE, "{\"kind\":\"entry\",\"value\":\"" + SECRET), 3,
            "not valid JSON"),
        new Broken("trailing content", List.of(HEADER, NAMESPACE + " {\"" + SECRET + "\":1}", end(1, 0)), 2, "not valid JSON"),
        new Broken("bad base64", List.of(HEADER, entry("k", "BINARY", SECRET + "!!"), end(0, 1)), 2,
            "field 'value' must be standard base64"),
        new Broken("bad JSON value", List.of(HEADER, entry("k", "JSON", "{" + SECRET), end(0, 1)), 2, "field 'value' is not valid"),
        new Broken("bad number", List.of(HEADER, entry("k", "NUMBER", SECRET), end(0, 1)), 2, "field 'value' is not valid"),
        new Broken("bad boolean", List.of(HEADER, entry("k", "BOOLEAN", SECRET), end(0, 1)), 2, "field 'value' is not valid"),
        new Broken("unknown type", List.of(HEADER, entry("k", SECRET, "v"), end(0, 1)), 2, "field 'type' must be STRING"),
        new Broken("bad key", List.of(HEADER, entry("a//" + SECRET, "STRING", "v"), end(0, 1)), 2, "field 'key' is not valid"),
        new Broken("missing field", List.of(HEADER, ok.replace("\"version\":2,", ""), end(0, 1)), 2, "field 'version' must be a whole number"),
        new Broken("bad instant", List.of(HEADER, ok.replace("\"createdAt\":\"2030-01-01T00:00:00Z\"", "\"createdAt\":\"" + SECRET + "\""),
            end(0, 1)), 2, "field 'createdAt' must be an ISO-8601 instant"),
        new Broken("updated before created", List.of(HEADER, ok.replace("\"updatedAt\":\"2030-01-01T00:00:01Z\"",
            "\"updatedAt\":\"1999-01-01T00:00:00Z\""), end(0, 1)), 2,
            "field 'updatedAt' must not be before createdAt"),
        new Broken("history not newest first", List.of(HEADER, ok.replace("\"history\":[]", "\"history\":[{\"version\":1,"
            + "\"type\":\"STRING\",\"value\":\"" + SECRET + "\",\"change\":\"CREATED\",\"changedBy\":\"a\","
            + "\"changedAt\":\"2030-01-01T00:00:00Z\",\"reason\":null}]"), end(0, 1)), 2, "field 'history[0].version' must be the entry's own version 2"),
        new Broken("control character in a history reason", List.of(HEADER, ok.replace("\"history\":[]", "\"history\":[{\"version\":2,"
            + "\"type\":\"STRING\",\"value\":\"v\",\"change\":\"UPDATED\",\"changedBy\":\"a\","
            + "\"changedAt\":\"2030-01-01T00:00:01Z\",\"reason\":\"\\u0000" + SECRET + "\"}]"), end(0, 1)), 2,
            "field 'history[0].reason' is not valid: reason must not contain control characters"),
        new Broken("encrypted but not binary", List.of(HEADER, ok.replace("\"encrypted\":false", "\"encrypted\":true"), end(0, 1)), 2,
            "field 'encrypted' is true"),
        new Broken("bad settings", List.of(HEADER, NAMESPACE.replace("\"maxVersions\":0", "\"maxVersions\":5000"), end(1, 0)), 2,
            "field 'settings' is not valid: maxVersions must be between 0 and 1000"),
        new Broken("missing setting", List.of(HEADER, NAMESPACE.replace("\"owner\":\"\",", ""), end(1, 0)), 2,
            "field 'settings.owner' must be a string"),
        new Broken("unknown kind", List.of(HEADER, "{\"kind\":\"" + SECRET + "\"}", end(0, 0)), 2, "field 'kind' must be namespace, entry or end"),
        new Broken("duplicate entry", List.of(HEADER, ok, ok, end(0, 2)), 3, "entry appears twice (first on line 2)"),
        new Broken("duplicate namespace", List.of(HEADER, NAMESPACE, NAMESPACE, end(2, 0)), 3, "namespace declared twice"),
        new Broken("duplicate field", List.of(HEADER, ok.replace("\"kind\":\"entry\",", "\"kind\":\"entry\",\"kind\":\"entry\","), end(0, 1)), 2,
            "not valid JSON"),
        new Broken("no end line", List.of(HEADER, NAMESPACE, ok), 4, "the file ends without its end line"),
        new Broken("wrong counts", List.of(HEADER, ok, end(0, 2)), 3, "the end line counts 0 namespaces and 2 entries"),
        new Broken("content after the end", List.of(HEADER, end(0, 0), ok), 3, "content after the end line"));
  }

  @ParameterizedTest
  @MethodSource("brokenFiles")
  void aBrokenFileFailsNamingTheLineNeverTheContent(Broken broken) {
    assertThatThrownBy(() -> read(broken.lines().toArray(String[]::new)))
        .isInstanceOfSatisfying(ExportFormatException.class, e -> assertThat(e.line()).isEqualTo(broken.line()))
        .hasMessageStartingWith("kv export file, line " + broken.line() + ": ")
        .hasMessageContaining(broken.message())
        .hasMessageNotContaining(SECRET)
        .hasNoCause();
  }

  @Test
  void aWellFormedFileReadsBack() throws Exception {
    ExportFormat.Contents c = read(HEADER, NAMESPACE, entry("k", "STRING", "v\\n\\u00e9"), "", end(1, 1));

    assertThat(c.namespaces()).hasSize(1);
    assertThat(c.entries()).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.entry().value().asString()).isEqualTo("v\n\u00e9");
      assertThat(e.entry().version()).isEqualTo(2);
    });
  }
}
