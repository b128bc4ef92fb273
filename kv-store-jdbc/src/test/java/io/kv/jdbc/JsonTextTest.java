package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the metadata and tags rows hold: any valid JSON, of which only strings count; nothing else. */
class JsonTextTest {
  @Test
  void membersOfOtherTypesAreLeftOutAndDoNotShiftTheRest() {
    assertThat(JsonText.stringMembers("{\"a\":1,\"b\":\"y\"}")).containsExactly(Map.entry("b", "y"));
    assertThat(JsonText.stringMembers("{\"n\":null,\"t\":true,\"f\":false,\"x\":-1.5e+3,\"s\":\"v\"}"))
        .containsExactly(Map.entry("s", "v"));
  }

  @Test
  void nestedValuesAreReadPastWhateverTheyHold() {
    String json = " { \"o\" : {\"k\":\"not a member\",\"l\":[1,{\"m\":[]},\"]\",\"}\"]} , \"a\":[\"x\",\"y\"],"
        + " \"e\":{}, \"z\": \"last\" } ";
    assertThat(JsonText.stringMembers(json)).containsExactly(Map.entry("z", "last"));
    assertThat(JsonText.stringItems("[{\"a\":\"b\"},\"t1\",[\"t2\"],0,\"t3\"]")).containsExactly("t1", "t3");
  }

  @Test
  void escapesAreDecoded() {
    assertThat(JsonText.stringMembers("{\"q\\\"k\":\"a\\\\b\\/c\\n\\t\\r\\b\\f\\u00e9\\ud83d\\ude00\"}"))
        .containsExactly(Map.entry("q\"k", "a\\b/c\n\t\r\b\f\u00e9\uD83D\uDE00"));
  }

  @Test
  void whatTheStoreWritesReadsBack() {
    Map<String, String> m = Map.of("a", "x\"y\\z\u0001", "", "", "\u00E9", "\uD83D\uDE00");
    assertThat(JsonText.stringMembers(Codec.metadataJson(m))).isEqualTo(m);
    assertThat(JsonText.stringItems(Codec.tagsJson(List.of("t\"1", "t,2", "]")))).containsExactly("]", "t\"1", "t,2");
    assertThat(JsonText.stringMembers("{}")).isEmpty();
    assertThat(JsonText.stringItems(" [ ] ")).isEmpty();
  }

  @Test
  void aLaterMemberOfTheSameNameWins() {
    assertThat(JsonText.stringMembers("{\"a\":\"1\",\"a\":\"2\"}")).containsExactly(Map.entry("a", "2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":\"b\",}", "{\"a\":\"b\" \"c\":\"d\"}", "{a:\"b\"}",
      "{\"a\":\"b\"} x", "{\"a\":\"b\"}{}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":tru}",
      "{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"b", "{\"a\":\"b\nc\"}", "{\"a\":[1,]}",
      "{\"a\":[1 2]}", "{\"a\":{\"b\"}}", "{\"a\":'b'}", "{\"a\":NaN}"})
  void malformedObjectsAreRefusedWithTheOffset(String json) {
    assertThatThrownBy(() -> JsonText.stringMembers(json)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid JSON at offset ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[", "[\"a\",]", "[\"a\" \"b\"]", "[\"a\"]]", "[\"a\"", "[,]"})
  void malformedArraysAreRefused(String json) {
    assertThatThrownBy(() -> JsonText.stringItems(json)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid JSON at offset ");
  }

  @Test
  void nestingIsBoundedAndTheMessageHoldsNoText() {
    String deep = "{\"a\":" + "[".repeat(JsonText.MAX_DEPTH + 1) + "]".repeat(JsonText.MAX_DEPTH + 1) + "}";
    assertThatThrownBy(() -> JsonText.stringMembers(deep)).hasMessageContaining("nested deeper");
    String ok = "{\"a\":" + "[".repeat(JsonText.MAX_DEPTH) + "]".repeat(JsonText.MAX_DEPTH) + ",\"b\":\"c\"}";
    assertThat(JsonText.stringMembers(ok)).containsExactly(Map.entry("b", "c"));
    assertThatThrownBy(() -> JsonText.stringMembers("{\"secret-value\":}")).message().doesNotContain("secret-value");
  }
}
