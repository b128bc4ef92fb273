package io.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputRulesTest {
  private final InputRules limits = InputRules.defaults();

  @ParameterizedTest
  @ValueSource(strings = {"a", "config/database/host", "ключ/値", "with space", "a.b-c_d:e", "\uD83D\uDE00"})
  void acceptsKeys(String key) {
    assertThatCode(() -> limits.checkKey(key)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/a", "a/", "a//b", "a\nb", "a\u0000", "a\u007f", "a\u0085", "\uDC00"})
  void refusesKeys(String key) {
    assertThatThrownBy(() -> limits.checkKey(key))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("key"));
  }

  @Test
  void keyLengthCountsUtf8Bytes() {
    assertThatCode(() -> limits.checkKey("€".repeat(170) + "ab")).doesNotThrowAnyException();
    assertThatThrownBy(() -> limits.checkKey("€".repeat(171)))
        .hasMessage("key must be at most 512 bytes of UTF-8 (was 513)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"app", "App-1", "prod.secrets", "a_b", "0"})
  void acceptsNamespaces(String ns) {
    assertThatCode(() -> limits.checkNamespace(ns)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", ".a", "a b", "a/b", "ä"})
  void refusesNamespaces(String ns) {
    assertThatThrownBy(() -> limits.checkNamespace(ns))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("namespace"));
  }

  @Test
  void namespaceLengthIsConfigurable() {
    assertThatCode(() -> limits.checkNamespace("n".repeat(64))).doesNotThrowAnyException();
    assertThatThrownBy(() -> limits.checkNamespace("n".repeat(65))).isInstanceOf(InvalidInputException.class);
    assertThatCode(() -> limits.withMaxNamespaceLength(65).checkNamespace("n".repeat(65))).doesNotThrowAnyException();
  }

  @Test
  void valueSizeIsConfigurable() {
    Value v = Value.binary(new byte[1 << 20]);
    assertThatCode(() -> limits.checkValue(v)).doesNotThrowAnyException();
    assertThatThrownBy(() -> limits.withMaxValueBytes(1000).checkValue(v))
        .hasMessage("value must be at most 1000 bytes (was 1048576)");
  }

  @Test
  void metadataAndTagsAreChecked() {
    assertThatCode(() -> limits.checkOptions(WriteOptions.none().withMetadata(Map.of("owner", "")).withTags(Set.of("t"))))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> limits.checkOptions(WriteOptions.none().withTags(Set.of(""))))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("tag"));
    assertThatThrownBy(() -> limits.withMaxMetadataBytes(4).checkOptions(WriteOptions.none().withMetadata(Map.of("ab", "cde"))))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("metadata"));
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> limits.withMaxKeyBytes(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
