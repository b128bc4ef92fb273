package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kv.ConfigurationException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MasterKeysTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Base64 of {@code n} random bytes. */
  private static String base64(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  /** Asserts {@code call} throws {@code type} with a message naming {@code expected} and holding no part of {@code key}. */
  private static void assertRefused(Class<? extends Throwable> type, Runnable call, String expected, String key) {
    Throwable t = catchThrowable(call::run);
    assertThat(t).isInstanceOf(type).hasMessageContaining(expected).hasNoCause();
    String stripped = key.strip();
    for (int i = 0; i + 8 <= stripped.length(); i++) {
      assertThat(t.getMessage()).doesNotContain(stripped.substring(i, i + 8));
    }
    if (!stripped.isEmpty()) {
      assertThat(t.toString()).doesNotContain(stripped);
    }
  }

  @Test
  void fromBase64TakesStandardBase64OfThirtyTwoBytes() {
    String key = base64(32);

    assertThat(MasterKeys.fromBase64(key)).isNotNull();
    assertThat(MasterKeys.fromBase64("  " + key + "\n")).isNotNull();
    assertThat(MasterKeys.fromBase64(key.replace("=", ""))).isNotNull();
    assertThat(MasterKeys.fromBase64(key).bytes()).isEqualTo(Base64.getDecoder().decode(key));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 16, 31, 33, 64})
  void fromBase64RefusesOtherLengthsWithoutEchoingTheKey(int length) {
    String key = base64(length);

    assertRefused(IllegalArgumentException.class, () -> MasterKeys.fromBase64(key),
        "the master key must decode to exactly 32 bytes (was " + length + ")", key);
  }

  @Test
  void fromBase64RefusesTextThatIsNotBase64WithoutEchoingItOrTheDecodersMessage() {
    String urlSafe = base64(32).replace('+', '-').replace('/', '_') + "-_";
    String withStar = "*" + base64(32).substring(1);

    for (String key : new String[] {urlSafe, withStar, "correct horse battery staple!"}) {
      assertRefused(IllegalArgumentException.class, () -> MasterKeys.fromBase64(key),
          "the master key is not valid base64", key);
    }
    assertThat(catchThrowable(() -> MasterKeys.fromBase64(withStar))).message().doesNotContain("2a");
    assertThatThrownBy(() -> MasterKeys.fromBase64(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void fromEnvironmentReadsTheVariable() {
    String key = base64(32);

    MasterKey k = MasterKeys.fromEnvironment("MY_KEY", Map.of("MY_KEY", key + "\n")::get);

    assertThat(k.bytes()).isEqualTo(Base64.getDecoder().decode(key));
  }

  @Test
  void fromEnvironmentFailsOnAMissingOrBlankVariable() {
    String unset = "KV_TEST_UNSET_" + UUID.randomUUID().toString().replace('-', '_');

    assertThatThrownBy(() -> MasterKeys.fromEnvironment(unset))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("environment variable " + unset + " is not set or is blank: it must hold the master key as base64 of 32 bytes");
    assertThatThrownBy(() -> MasterKeys.fromEnvironment("KV_MASTER_KEY", Map.of("KV_MASTER_KEY", " \n")::get))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("environment variable KV_MASTER_KEY is not set or is blank");
    assertThatThrownBy(() -> MasterKeys.fromEnvironment(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MasterKeys.fromEnvironment(null)).isInstanceOf(NullPointerException.class);
    assertThat(MasterKeys.DEFAULT_VARIABLE).isEqualTo("KV_MASTER_KEY");
  }

  @Test
  void fromEnvironmentFailsOnAMalformedKeyWithoutEchoingIt() {
    String notBase64 = "%" + base64(32).substring(1);
    String short31 = base64(31);
    String long33 = base64(33);

    assertRefused(ConfigurationException.class, () -> MasterKeys.fromEnvironment("K", Map.of("K", notBase64)::get),
        "the master key in environment variable K is not valid base64", notBase64);
    assertRefused(ConfigurationException.class, () -> MasterKeys.fromEnvironment("K", Map.of("K", short31)::get),
        "the master key in environment variable K must decode to exactly 32 bytes (was 31)", short31);
    assertRefused(ConfigurationException.class, () -> MasterKeys.fromEnvironment("K", Map.of("K", long33)::get),
        "the master key in environment variable K must decode to exactly 32 bytes (was 33); expected base64 of 32 random bytes", long33);
  }

  @Test
  void fromProviderAsksForTheIdAndChecksWhatItGets() {
    String key = base64(32);
    String[] asked = new String[1];

    MasterKey k = MasterKeys.fromProvider(id -> {
      asked[0] = id;
      return Optional.of(key);
    }, "2025-06");

    assertThat(asked[0]).isEqualTo("2025-06");
    assertThat(k.bytes()).isEqualTo(Base64.getDecoder().decode(key));
  }

  @Test
  void fromProviderFailsOnAMissingOrMalformedKeyWithoutEchoingIt() {
    String short31 = base64(31);
    String notBase64 = "!" + base64(32).substring(1);

    assertThatThrownBy(() -> MasterKeys.fromProvider(id -> Optional.empty(), "k1"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the key provider has no master key with id 'k1'");
    assertRefused(ConfigurationException.class, () -> MasterKeys.fromProvider(id -> Optional.of(short31), "k1"),
        "master key 'k1' from the key provider must decode to exactly 32 bytes (was 31)", short31);
    assertRefused(ConfigurationException.class, () -> MasterKeys.fromProvider(id -> Optional.of(notBase64), "k1"),
        "master key 'k1' from the key provider is not valid base64", notBase64);
    assertThatThrownBy(() -> MasterKeys.fromProvider(id -> null, "k1")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> MasterKeys.fromProvider(id -> Optional.of(base64(32)), "bad id"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aKeyIsNotShownByToString() {
    String key = base64(32);
    MasterKey k = MasterKeys.fromBase64(key);

    assertThat(k.toString()).isEqualTo("MasterKey[redacted]");
    assertThat(Arrays.toString(new Object[] {k})).doesNotContain(key);
  }
}
