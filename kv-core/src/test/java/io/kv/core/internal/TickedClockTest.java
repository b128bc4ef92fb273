package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class TickedClockTest {
  /** How long a wait for the ticking thread may take on a loaded machine before the test fails. */
  private static final long PATIENCE_MS = 10_000;

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  @Test
  void aReadingIsNeverAfterTheSystemClockAndStartsFromIt() {
    TickedClock clock = new TickedClock(TimeUnit.MILLISECONDS.toNanos(1), 1000);
    long before = System.currentTimeMillis();
    long first = clock.millis();
    assertThat(first).isBetween(before, System.currentTimeMillis());
    for (int i = 0; i < 100_000; i++) {
      long reading = clock.millis();
      assertThat(reading).isLessThanOrEqualTo(System.currentTimeMillis());
    }
  }

  @Test
  void advancesWhileReadAndNeverGoesBackwards() throws InterruptedException {
    TickedClock clock = new TickedClock(TimeUnit.MILLISECONDS.toNanos(1), 1000);
    long first = clock.millis();
    long[] last = {first};
    awaitTrue(() -> {
      long reading = clock.millis();
      assertThat(reading).isGreaterThanOrEqualTo(last[0]);
      last[0] = reading;
      return reading >= first + 20;
    }, "the clock to advance 20 ms");
    assertThat(clock.running()).isTrue();
  }

  @Test
  void followsTheSystemClockWithinTheTickAndTheThreadsDelay() throws InterruptedException {
    TickedClock clock = new TickedClock(TimeUnit.MILLISECONDS.toNanos(1), 1000);
    clock.millis();
    Thread.sleep(20);
    // Behind by a tick and a scheduling delay: generous, since the machine may be loaded.
    long lag = System.currentTimeMillis() - clock.millis();
    assertThat(lag).isBetween(0L, PATIENCE_MS);
  }

  @Test
  void stopsItsThreadWhenNoLongerReadAndStartsItAgainOnTheNextRead() throws InterruptedException {
    TickedClock clock = new TickedClock(TimeUnit.MILLISECONDS.toNanos(1), 5);
    assertThat(clock.running()).isFalse();
    clock.millis();
    assertThat(clock.running()).isTrue();
    awaitTrue(() -> !clock.running(), "the idle clock to stop its thread");

    long before = System.currentTimeMillis();
    long reading = clock.millis();
    assertThat(reading).isBetween(before, System.currentTimeMillis());
    assertThat(clock.running()).isTrue();
  }

  @Test
  void isAUtcClockOfTheSameInstants() {
    TickedClock clock = TickedClock.shared();
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    assertThat(clock.withZone(ZoneId.of("Z"))).isSameAs(clock);
    assertThatThrownBy(() -> clock.withZone(ZoneId.of("Europe/Paris")))
        .isInstanceOf(UnsupportedOperationException.class);
    long before = System.currentTimeMillis();
    long instant = clock.instant().toEpochMilli();
    assertThat(instant).isLessThanOrEqualTo(System.currentTimeMillis()).isGreaterThan(before - PATIENCE_MS);
    assertThat(Clock.systemUTC().millis() - clock.millis()).isBetween(0L, PATIENCE_MS);
  }

  @Test
  void refusesATickOrIdlePeriodThatIsNotPositive() {
    assertThatThrownBy(() -> new TickedClock(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TickedClock(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
