package io.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTest {

  @Test
  void eachTypeKeepsItsTypeAndText() {
    assertThat(Value.string("héllo").asString()).isEqualTo("héllo");
    assertThat(Value.json("{\"port\": 5432}").type()).isEqualTo(ValueType.JSON);
    assertThat(Value.number(3306).asNumber()).isEqualByComparingTo("3306");
    assertThat(Value.number(new BigDecimal("1.50")).asString()).isEqualTo("1.50");
    assertThat(Value.number("1e3").asString()).isEqualTo("1000");
    assertThat(Value.bool(true).asBoolean()).isTrue();
    assertThat(Value.bool(false).asBoolean()).isFalse();
    assertThat(Value.binary(new byte[] {0, -1, 7}).bytes()).containsExactly(0, -1, 7);
  }

  @Test
  void ofRebuildsEveryTypeFromItsBytes() {
    for (Value v : new Value[] {
      Value.string("s"), Value.json("[1,2]"), Value.number(-5), Value.bool(true), Value.binary(new byte[] {(byte) 0xC3})
    }) {
      assertThat(Value.of(v.type(), v.bytes())).isEqualTo(v);
    }
  }

  @Test
  void ofRefusesBytesThatDoNotFitTheType() {
    assertThatThrownBy(() -> Value.of(ValueType.STRING, new byte[] {(byte) 0xC3})).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Value.of(ValueType.BOOLEAN, "yes".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Value.of(ValueType.NUMBER, "12a".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] raw = {1, 2, 3};
    Value v = Value.binary(raw);
    raw[0] = 9;
    v.bytes()[1] = 9;
    assertThat(v.bytes()).containsExactly(1, 2, 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[]", "0", "-0.5e+10", "\"a\\u00e9\\n\"", "true", "null", " {\"a\": [1, {\"b\": null}]} "})
  void acceptsWellFormedJson(String json) {
    assertThat(Value.json(json).asString()).isEqualTo(json);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"a\" 1}", "[1,]", "01", "1.", "'a'", "{a:1}", "\"tab\there\"", "[1] x", "tru", "\"\\x\""})
  void refusesMalformedJsonWithoutEchoingIt(String json) {
    assertThatThrownBy(() -> Value.json(json))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("value must be well-formed JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\\u\u0661\u0662\u0663\u0664\"", "\"\\u\uFF10\uFF10\uFF14\uFF11\"", "[\"\\u00e\u0669\"]"})
  void refusesAUnicodeEscapeWithDigitsOtherThanAscii(String json) {
    // Such digits are digits to Character.digit, not to RFC 8259: any JSON library would refuse the value.
    assertThatThrownBy(() -> Value.json(json)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void refusesHostileNesting() {
    assertThatThrownBy(() -> Value.json("[".repeat(100_000))).hasMessageContaining("nesting deeper than 512");
  }

  @Test
  void toStringNeverShowsTheContent() {
    Value v = Value.string("hunter2-password");
    assertThat(v.toString()).isEqualTo("Value[STRING, 16 bytes]").doesNotContain("hunter2");
  }

  @Test
  void typedAccessorsRefuseOtherTypes() {
    assertThatThrownBy(() -> Value.string("1").asNumber()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Value.binary(new byte[0]).asString()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void unpairedSurrogatesAreRefused() {
    assertThatThrownBy(() -> Value.string("a\uD800")).isInstanceOf(InvalidInputException.class);
  }
}
