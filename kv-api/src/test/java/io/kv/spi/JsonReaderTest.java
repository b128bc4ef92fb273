package io.kv.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.InvalidInputException;
import io.kv.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One grammar for JSON values and for the metadata and tags a backend stores: strict RFC 8259. */
class JsonReaderTest {
  @Test
  void membersOfOtherTypesAreLeftOutAndDoNotShiftTheRest() {
    assertThat(JsonReader.stringMembers("{\"a\":1,\"b\":\"y\"}", "metadata")).containsExactly(Map.entry("b", "y"));
    assertThat(JsonReader.stringMembers("{\"n\":null,\"t\":true,\"f\":false,\"x\":-1.5e+3,\"s\":\"v\"}", "metadata"))
        .containsExactly(Map.entry("s", "v"));
  }

  @Test
  void nestedValuesAreReadPastWhateverTheyHold() {
    String json = " { \"o\" : {\"k\":\"not a member\",\"l\":[1,{\"m\":[]},\"]\",\"}\"]} , \"a\":[\"x\",\"y\"],"
        + " \"e\":{}, \"z\": \"last\" } ";
    assertThat(JsonReader.stringMembers(json, "metadata")).containsExactly(Map.entry("z", "last"));
    assertThat(JsonReader.stringItems("[{\"a\":\"b\"},\"t1\",[\"t2\"],0,\"t3\"]", "metadata")).containsExactly("t1", "t3");
  }

  @Test
  void escapesAreDecoded() {
    assertThat(JsonReader.stringMembers("{\"q\\\"k\":\"a\\\\b\\/c\\n\\t\\r\\b\\f\\u00e9\\ud83d\\ude00\"}", "metadata"))
        .containsExactly(Map.entry("q\"k", "a\\b/c\n\t\r\b\f\u00e9\uD83D\uDE00"));
  }

  @Test
  void emptyContainersReadAsEmpty() {
    assertThat(JsonReader.stringMembers("{}", "metadata")).isEmpty();
    assertThat(JsonReader.stringItems(" [ ] ", "metadata")).isEmpty();
  }

  @Test
  void aLaterMemberOfTheSameNameWins() {
    assertThat(JsonReader.stringMembers("{\"a\":\"1\",\"a\":\"2\"}", "metadata")).containsExactly(Map.entry("a", "2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":\"b\",}", "{\"a\":\"b\" \"c\":\"d\"}", "{a:\"b\"}",
      "{\"a\":\"b\"} x", "{\"a\":\"b\"}{}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":tru}",
      "{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"b", "{\"a\":\"b\nc\"}", "{\"a\":[1,]}",
      "{\"a\":[1 2]}", "{\"a\":{\"b\"}}", "{\"a\":'b'}", "{\"a\":NaN}"})
  void malformedObjectsAreRefusedWithTheOffset(String json) {
    assertThatThrownBy(() -> JsonReader.stringMembers(json, "metadata")).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("metadata"))
        .hasMessageStartingWith("metadata must be well-formed JSON: ").hasMessageContaining(" at offset ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[", "[\"a\",]", "[\"a\" \"b\"]", "[\"a\"]]", "[\"a\"", "[,]"})
  void malformedArraysAreRefused(String json) {
    assertThatThrownBy(() -> JsonReader.stringItems(json, "metadata")).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("metadata"))
        .hasMessageStartingWith("metadata must be well-formed JSON: ").hasMessageContaining(" at offset ");
  }

  @Test
  void nestingIsBoundedAndTheMessageHoldsNoText() {
    // The object itself counts: MAX_DEPTH containers in all.
    String deep = "{\"a\":" + "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH) + "}";
    assertThatThrownBy(() -> JsonReader.stringMembers(deep, "metadata")).hasMessageContaining("nesting deeper");
    assertThatThrownBy(() -> JsonReader.check(deep, "value")).hasMessageContaining("nesting deeper");
    String ok = "{\"a\":" + "[".repeat(JsonReader.MAX_DEPTH - 1) + "]".repeat(JsonReader.MAX_DEPTH - 1) + ",\"b\":\"c\"}";
    JsonReader.check(ok, "value");
    assertThat(JsonReader.stringMembers(ok, "metadata")).containsExactly(Map.entry("b", "c"));
    assertThatThrownBy(() -> JsonReader.stringMembers("{\"secret-value\":}", "metadata")).message().doesNotContain("secret-value");
  }

  @Test
  void aUnicodeEscapeTakesAsciiHexDigitsOnlyInValuesAndStoredFieldsAlike() {
    // Arabic-Indic and fullwidth digits are digits to Character.digit, but not to RFC 8259 (nor to Jackson).
    for (String digits : new String[] {"\u0661\u0662\u0663\u0664", "\uFF11\uFF12\uFF13\uFF14", "00e\u0669"}) {
      String string = "\"\\u" + digits + "\"";
      assertThatThrownBy(() -> Value.json(string))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("value"));
      assertThatThrownBy(() -> JsonReader.stringItems("[" + string + "]", "tags"))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("tags"));
    }
    assertThat(JsonReader.stringItems("[\"\\u00E9\\u00e9\"]", "tags")).containsExactly("\u00E9\u00E9");
  }

  @Test
  void anyJsonValueChecksAndNothingElse() {
    for (String ok : new String[] {"0", " -1.5e+3 ", "\"s\"", "null", "[true,false,{}]", "{\"a\":[{\"b\":null}]}"}) {
      JsonReader.check(ok, "value");
    }
    for (String bad : new String[] {"", "01", "[1,]", "{\"a\" 1}", "\"\t\"", "nul", "1 2"}) {
      assertThatThrownBy(() -> JsonReader.check(bad, "value")).isInstanceOf(InvalidInputException.class);
    }
  }
}
