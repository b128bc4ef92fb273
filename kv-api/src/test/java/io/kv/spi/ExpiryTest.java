package io.kv.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.InvalidInputException;
import io.kv.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpiryTest {
  @Test
  void aWritesOwnTtlWinsOverTheNamespaceDefault() {
    Optional<Duration> fallback = Optional.of(Duration.ofMinutes(5));
    assertThat(Expiry.ttl(WriteOptions.ttl(Duration.ofSeconds(3)), fallback)).contains(Duration.ofSeconds(3));
    assertThat(Expiry.ttl(WriteOptions.none(), fallback)).isSameAs(fallback);
    assertThat(Expiry.ttl(WriteOptions.none(), Optional.empty())).isEmpty();
  }

  @Test
  void anExpiryMayReachTheLastStorableMillisecondButNotPastIt() {
    long now = Expiry.LATEST - 1_000;
    assertThat(Expiry.at(now, Duration.ofSeconds(1))).isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli());
    assertThatThrownBy(() -> Expiry.at(now, Duration.ofMillis(1_001)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("ttl"));
    assertThatThrownBy(() -> Expiry.requireStorable(Expiry.LATEST + 1))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("expiresAt"));
    assertThatThrownBy(() -> Expiry.requireFuture(5, 5)).isInstanceOf(InvalidInputException.class);
    Expiry.requireFuture(6, 5);
  }
}
