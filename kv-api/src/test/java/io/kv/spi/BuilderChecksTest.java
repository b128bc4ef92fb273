package io.kv.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuilderChecksTest {
  @Test
  void aSettingIsAcceptedOnce() {
    assertThat(BuilderChecks.once(null, "x", "clock")).isEqualTo("x");
    assertThatThrownBy(() -> BuilderChecks.once("x", "y", "clock"))
        .isInstanceOf(IllegalStateException.class).hasMessage("clock was already set");
    assertThatThrownBy(() -> BuilderChecks.once(Boolean.TRUE, "dryRun"))
        .isInstanceOf(IllegalStateException.class).hasMessage("dryRun was already set");
  }

  @Test
  void aDurationMustBePositive() {
    assertThat(BuilderChecks.positive(Duration.ofMillis(1), "pollInterval")).isEqualTo(Duration.ofMillis(1));
    assertThatThrownBy(() -> BuilderChecks.positive(Duration.ZERO, "pollInterval"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("pollInterval must be positive");
    assertThatThrownBy(() -> BuilderChecks.positive(null, "pollInterval")).isInstanceOf(NullPointerException.class);
  }
}
