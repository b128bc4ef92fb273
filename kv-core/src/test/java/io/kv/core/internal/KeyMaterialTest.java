package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyMaterialTest {
  private final byte[] a = TestKeys.random();
  private final byte[] b = TestKeys.random();

  @Test
  void derivesOneCachedAes256KeyPerMasterKeyAndNamespace() {
    KeyMaterial keys = TestKeys.ring("a", "a", a, "b", b);

    SecretKey vault = keys.namespaceKey("a", "vault").orElseThrow();

    assertThat(vault.getAlgorithm()).isEqualTo("AES");
    assertThat(vault.getEncoded()).hasSize(32);
    assertThat(keys.namespaceKey("a", "vault")).containsSame(vault);
    assertThat(keys.namespaceKey("a", "vault2").orElseThrow().getEncoded()).isNotEqualTo(vault.getEncoded());
    assertThat(keys.namespaceKey("b", "vault").orElseThrow().getEncoded()).isNotEqualTo(vault.getEncoded());
    assertThat(vault.getEncoded()).isNotEqualTo(a);
    assertThat(keys.namespaceKey("c", "vault")).isEmpty();
  }

  @Test
  void derivationIsHkdfSha256WithTheDocumentedSaltAndInfo() {
    KeyMaterial keys = TestKeys.ring("a", "a", a);
    byte[] info = HexFormat.of().parseHex(HexFormat.of().formatHex(KeyMaterial.INFO_PREFIX.getBytes()) + "00"
        + HexFormat.of().formatHex("vault".getBytes()));

    byte[] expected = Hkdf.derive(KeyMaterial.SALT.getBytes(), a, info, 32);

    assertThat(keys.namespaceKey("a", "vault").orElseThrow().getEncoded()).isEqualTo(expected);
  }

  @Test
  void theSameMasterKeyDerivesTheSameKeysInEveryRing() {
    KeyMaterial one = TestKeys.ring("a", "a", a);
    KeyMaterial two = TestKeys.ring("b", "a", a, "b", b);

    assertThat(two.namespaceKey("a", "vault").orElseThrow().getEncoded())
        .isEqualTo(one.namespaceKey("a", "vault").orElseThrow().getEncoded());
  }

  @Test
  void reportsIdsAndPrimaryAndShowsNoKeyInToString() {
    KeyMaterial keys = TestKeys.ring("b", "b", b, "a", a);

    assertThat(keys.primaryId()).isEqualTo("b");
    assertThat(keys.ids()).containsExactly("a", "b");
    assertThat(keys.has("a")).isTrue();
    assertThat(keys.has("c")).isFalse();
    assertThat(keys.toString()).isEqualTo("KeyMaterial[primary=b, ids=[a, b]]")
        .doesNotContain(Base64.getEncoder().encodeToString(a))
        .doesNotContain(HexFormat.of().formatHex(a));
  }

  @Test
  void refusesBadRings() {
    assertThatThrownBy(() -> KeyMaterial.of("a", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> KeyMaterial.of("a", Map.of("a", new byte[31])))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("master key 'a' must be 32 bytes (was 31)");
    assertThatThrownBy(() -> KeyMaterial.of("b", Map.of("a", a)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'b' is not in the key ring [a]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "2025-06", "key_1.v2", "0123456789012345678901234567890123456789012345678901234567890123"})
  void acceptsKeyIdsOfAsciiLettersDigitsDotUnderscoreDash(String id) {
    assertThat(KeyMaterial.checkKeyId(id)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "slash/", "colon:", "ümlaut", "01234567890123456789012345678901234567890123456789012345678901234"})
  void refusesOtherKeyIdsWithoutEchoingThem(String id) {
    assertThatThrownBy(() -> KeyMaterial.checkKeyId(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key id must be 1 to 64 ASCII letters")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("'" + id + "'"));
  }
}
