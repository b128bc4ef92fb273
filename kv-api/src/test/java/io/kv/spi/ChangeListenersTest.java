package io.kv.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Principal;
import io.kv.Subscription;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeListenersTest {
  private final ChangeListeners listeners = new ChangeListeners();

  @Test
  void refusesANullFilterOrListener() {
    assertThatThrownBy(() -> listeners.add(null, e -> { })).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> listeners.add(ChangeFilter.all(), null)).isInstanceOf(NullPointerException.class);
    assertThat(listeners.isEmpty()).isTrue();
  }

  @Test
  void aFailingListenerNeitherFailsThePublisherNorSilencesTheOthers() {
    List<ChangeEvent> heard = new ArrayList<>();
    listeners.add(ChangeFilter.all(), e -> {
      throw new IllegalStateException("listener bug");
    });
    listeners.add(ChangeFilter.namespace("ns"), heard::add);

    listeners.publish(ChangeType.CREATED, "ns", "k", 1, 1_000, Principal.SYSTEM);
    listeners.publish(ChangeType.CREATED, "other", "k", 1, 1_000, Principal.SYSTEM);

    assertThat(heard).extracting(ChangeEvent::namespace).containsExactly("ns");
  }

  @Test
  void aClosedSubscriptionHearsNothingAndClosingTwiceRemovesOnlyItself() {
    List<String> heard = new ArrayList<>();
    Subscription first = listeners.add(ChangeFilter.all(), e -> heard.add("first"));
    listeners.add(ChangeFilter.all(), e -> heard.add("second"));

    first.close();
    first.close();
    listeners.publish(ChangeType.DELETED, "ns", "k", 2, 1_000, Principal.SYSTEM);

    assertThat(heard).containsExactly("second");
  }
}
