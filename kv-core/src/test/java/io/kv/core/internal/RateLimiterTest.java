package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final MutableClock clock = MutableClock.fixed();

  @Test
  void aBucketHoldsOneSecondOfTokensAndRefillsContinuously() {
    RateLimiter limiter = new RateLimiter(clock, 100);
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.tryAcquire("a", 4)).isTrue();
    }
    assertThat(limiter.tryAcquire("a", 4)).isFalse();
    clock.advance(Duration.ofMillis(249));
    assertThat(limiter.tryAcquire("a", 4)).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.tryAcquire("a", 4)).isTrue();
    assertThat(limiter.tryAcquire("a", 4)).isFalse();

    clock.advance(Duration.ofSeconds(10));
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.tryAcquire("a", 4)).isTrue();
    }
    assertThat(limiter.tryAcquire("a", 4)).isFalse();
  }

  @Test
  void aClockThatStepsBackRefillsTheBucketInsteadOfRefusingUntilItCatchesUp() {
    RateLimiter limiter = new RateLimiter(clock, 100);
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.tryAcquire("a", 4)).isTrue();
    }
    clock.advance(Duration.ofHours(-1));

    for (int i = 0; i < 4; i++) {
      assertThat(limiter.tryAcquire("a", 4)).as("call %s after the step back", i).isTrue();
    }
    assertThat(limiter.tryAcquire("a", 4)).as("still limited").isFalse();
    clock.advance(Duration.ofMillis(250));
    assertThat(limiter.tryAcquire("a", 4)).isTrue();
    assertThat(limiter.tryAcquire("a", 4)).isFalse();
  }

  @Test
  void ratesThatDoNotDivideASecondRefillFullyWithinOneSecond() {
    RateLimiter limiter = new RateLimiter(clock, 100);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 3; i++) {
        assertThat(limiter.tryAcquire("a", 3)).isTrue();
      }
      assertThat(limiter.tryAcquire("a", 3)).isFalse();
      clock.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void memoryIsBoundedForManyPrincipals() {
    RateLimiter limiter = new RateLimiter(clock, 100);
    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.tryAcquire("principal-" + i, 10)).isTrue();
    }
    assertThat(limiter.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void idleBucketsAreForgottenAfterOneSecondWhenTheyAreFullAgain() {
    RateLimiter limiter = new RateLimiter(clock, 1000);
    for (int i = 0; i < 50; i++) {
      limiter.tryAcquire("principal-" + i, 1);
    }
    assertThat(limiter.size()).isEqualTo(50);
    clock.advance(Duration.ofMillis(999));
    assertThat(limiter.size()).isEqualTo(50);
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.size()).isZero();
    assertThat(limiter.tryAcquire("principal-0", 1)).isTrue();
  }
}
