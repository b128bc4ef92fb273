package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodecTest {
  @Test
  void upperBoundIncrementsTheLastCodePoint() {
    assertThat(Codec.upperBound("")).isEmpty();
    assertThat(Codec.upperBound("a/")).contains("a0");
    assertThat(Codec.upperBound("a\uD7FF")).contains("a\uE000");
    assertThat(Codec.upperBound("a\uFFFF")).contains("a\uD800\uDC00");
    assertThat(Codec.upperBound("a\uDBFF\uDFFF")).contains("b");
    assertThat(Codec.upperBound("\uDBFF\uDFFF\uDBFF\uDFFF")).isEqualTo(Optional.empty());
  }

  @Test
  void metadataAndTagsRoundTripThroughJson() {
    Map<String, String> m = Map.of("a", "x\"y\\z", "b", "", "\u00E9", "\uD83D\uDE00");
    assertThat(Codec.parseMetadata(Codec.metadataJson(m))).isEqualTo(m);
    assertThat(Codec.metadataJson(Map.of("b", "2", "a", "1"))).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
    assertThat(Set.copyOf(Codec.parseTags(Codec.tagsJson(Set.of("t\"1", "t,2"))))).isEqualTo(Set.of("t\"1", "t,2"));
    assertThat(Codec.parseTags(Codec.tagsJson(List.of()))).isEmpty();
    Map<String, String> controls = Map.of("a", "x\u0001\u001f", "", "");
    assertThat(Codec.parseMetadata(Codec.metadataJson(controls))).isEqualTo(controls);
    assertThat(Codec.parseTags(Codec.tagsJson(List.of("t\"1", "t,2", "]")))).containsExactly("]", "t\"1", "t,2");
  }
}
