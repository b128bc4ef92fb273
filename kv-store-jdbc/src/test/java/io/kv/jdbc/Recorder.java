package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeEvent;
import io.kv.ChangeListener;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects events; waits for them with a timeout instead of sleeping. */
final class Recorder implements ChangeListener {
  private final BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();

  @Override
  public void onChange(ChangeEvent event) {
    events.add(event);
  }

  /** The next event, waiting up to ten seconds for it. */
  ChangeEvent next() throws InterruptedException {
    return next(Duration.ofSeconds(10));
  }

  ChangeEvent next(Duration timeout) throws InterruptedException {
    ChangeEvent event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(event).as("an event within %s", timeout).isNotNull();
    return event;
  }

  /** Waits up to {@code timeout} until an event is there, without taking it. */
  void awaitAny(Duration timeout) throws InterruptedException {
    ChangeEvent event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (event != null) {
      events.add(event);
    }
  }

  /** Forgets every event received so far. */
  void drain() {
    events.clear();
  }

  boolean isEmpty() {
    return events.isEmpty();
  }
}
