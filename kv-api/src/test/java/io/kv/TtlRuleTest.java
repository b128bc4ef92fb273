package io.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A write's TTL and a namespace's default TTL follow one rule. */
class TtlRuleTest {
  private static final List<Duration> REFUSED = List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofNanos(1),
      Duration.ofNanos(999_999), Duration.ofNanos(-1), WriteOptions.MAX_TTL.plusMillis(1), ChronoUnit.FOREVER.getDuration(),
      Duration.ofSeconds(Long.MIN_VALUE));

  @Test
  void theSameTtlsAreRefusedForAWriteAndForANamespaceDefault() {
    for (Duration ttl : REFUSED) {
      assertThatThrownBy(() -> WriteOptions.ttl(ttl)).as("%s", ttl)
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("ttl"));
      assertThatThrownBy(() -> NamespaceSettings.defaults().withDefaultTtl(ttl)).as("%s", ttl)
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("defaultTtl"));
    }
  }

  @Test
  void bothAreCutToWholeMillisecondsTheSameWay() {
    Duration fine = Duration.ofMillis(1500).plusNanos(999_999);
    assertThat(WriteOptions.ttl(fine).ttl()).contains(Duration.ofMillis(1500));
    assertThat(NamespaceSettings.defaults().withDefaultTtl(fine).defaultTtl()).contains(Duration.ofMillis(1500));
    assertThat(WriteOptions.ttl(Duration.ofNanos(1_000_001)).ttl()).contains(Duration.ofMillis(1));
    assertThat(NamespaceSettings.defaults().withDefaultTtl(Duration.ofMillis(1)).defaultTtl()).contains(Duration.ofMillis(1));
  }

  @Test
  void theLimitsThemselvesAreAccepted() {
    assertThat(WriteOptions.ttl(WriteOptions.MAX_TTL).ttl()).contains(WriteOptions.MAX_TTL);
    assertThat(NamespaceSettings.defaults().withDefaultTtl(WriteOptions.MAX_TTL).defaultTtl()).contains(WriteOptions.MAX_TTL);
  }
}
