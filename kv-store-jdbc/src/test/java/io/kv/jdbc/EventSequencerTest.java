package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Principal;
import io.kv.spi.ChangeListeners;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventSequencerTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private final List<ChangeEvent> delivered = new ArrayList<>();
  private EventSequencer sequencer;

  @BeforeEach
  void open() {
    ChangeListeners listeners = new ChangeListeners();
    listeners.add(ChangeFilter.all(), delivered::add);
    sequencer = new EventSequencer(listeners);
  }

  private static ChangeEvent event(ChangeType type, String key, long version, long atMillis) {
    return new ChangeEvent(type, "app", key, version, T0.plusMillis(atMillis), Principal.of("p"));
  }

  private List<Long> versions() {
    return delivered.stream().map(ChangeEvent::version).toList();
  }

  @Test
  void aRemoteEventNotNewerThanTheLastDeliveredIsDropped() {
    sequencer.local(event(ChangeType.UPDATED, "k", 4, 0));
    sequencer.remote(event(ChangeType.UPDATED, "k", 3, 1));
    sequencer.remote(event(ChangeType.UPDATED, "k", 4, 1));
    sequencer.remote(event(ChangeType.UPDATED, "k", 5, 1));
    sequencer.remote(event(ChangeType.UPDATED, "other", 1, 1));
    assertThat(versions()).containsExactly(4L, 5L, 1L);
  }

  @Test
  void aDeleteOfTheCurrentVersionPassesAndANewLifeStartsAfterIt() {
    sequencer.local(event(ChangeType.UPDATED, "k", 4, 0));
    sequencer.remote(event(ChangeType.DELETED, "k", 4, 10));
    sequencer.remote(event(ChangeType.EXPIRED, "k", 4, 11));
    sequencer.remote(event(ChangeType.UPDATED, "k", 3, 5));
    sequencer.remote(event(ChangeType.CREATED, "k", 1, 12));
    assertThat(delivered).extracting(ChangeEvent::type)
        .containsExactly(ChangeType.UPDATED, ChangeType.DELETED, ChangeType.CREATED);
  }

  @Test
  void localEventsAreAlwaysDelivered() {
    sequencer.remote(event(ChangeType.UPDATED, "k", 5, 0));
    sequencer.local(event(ChangeType.UPDATED, "k", 3, 0));
    assertThat(versions()).containsExactly(5L, 3L);
  }
}
