package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.InputRules;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitPolicyTest {
  @Test
  void theDefaultsMatchTheBackendLimitsAndLimitNothingElse() {
    LimitPolicy d = LimitPolicy.defaults();
    assertThat(d.maxKeyBytes()).isEqualTo(InputRules.defaults().maxKeyBytes()).isEqualTo(512);
    assertThat(d.maxValueBytes()).isEqualTo(InputRules.defaults().maxValueBytes()).isEqualTo(1 << 20);
    assertThat(d.minTtl()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.maxTtl()).isEmpty();
    assertThat(d.maxEntriesPerNamespace()).isEmpty();
    assertThat(d.maxOperationsPerSecond()).isEmpty();
  }

  @Test
  void withersChangeOneFieldAndWithoutsClearIt() {
    LimitPolicy l = LimitPolicy.defaults()
        .withMaxKeyBytes(64).withMaxValueBytes(1024).withMinTtl(Duration.ofMillis(10)).withMaxTtl(Duration.ofDays(1))
        .withMaxEntriesPerNamespace(100).withMaxOperationsPerSecond(50);
    assertThat(l).isEqualTo(new LimitPolicy(64, 1024, Duration.ofMillis(10), java.util.Optional.of(Duration.ofDays(1)),
        java.util.OptionalLong.of(100), java.util.OptionalInt.of(50)));
    assertThat(l.withoutMaxTtl().withoutMaxEntriesPerNamespace().withoutMaxOperationsPerSecond()
        .withMaxKeyBytes(512).withMaxValueBytes(1 << 20).withMinTtl(Duration.ofSeconds(1)))
        .isEqualTo(LimitPolicy.defaults());
  }

  @Test
  void refusesLimitsThatMakeNoSense() {
    LimitPolicy d = LimitPolicy.defaults();
    assertThatThrownBy(() -> d.withMaxKeyBytes(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxKeyBytes");
    assertThatThrownBy(() -> d.withMaxValueBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMinTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMinTtl(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMaxTtl(Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTtl");
    assertThatThrownBy(() -> d.withMaxEntriesPerNamespace(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMaxOperationsPerSecond(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMaxOperationsPerSecond(1_000_000_001)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMinTtl(null)).isInstanceOf(NullPointerException.class);
    assertThat(d.withMaxTtl(Duration.ofSeconds(1)).maxTtl()).contains(Duration.ofSeconds(1));
    assertThat(d.withMaxEntriesPerNamespace(0).maxEntriesPerNamespace()).hasValue(0);
    assertThat(d.withMaxOperationsPerSecond(1_000_000_000).maxOperationsPerSecond()).hasValue(1_000_000_000);
  }
}
