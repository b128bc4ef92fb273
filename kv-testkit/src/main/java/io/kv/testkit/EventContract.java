package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.AlreadyExistsException;
import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.NotFoundException;
import io.kv.Principal;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.WriteOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Change events. A store may deliver on its own thread, so a recorder waits (without sleeping)
 * for each expected event; that nothing was delivered is shown by a later matching write whose
 * event arrives next.
 */
public abstract class EventContract extends ContractGroup {
  private static final String EV = "ns";
  private static final Principal ALICE = Principal.of("alice");

  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected EventContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected EventContract(ContractSuite suite) {
    super(suite);
  }

  /** Collects events; {@link #next()} waits up to ten seconds for one. */
  static final class Recorder implements ChangeListener {
    private final BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void onChange(ChangeEvent event) {
      events.add(event);
    }

    ChangeEvent next() throws InterruptedException {
      ChangeEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("an event within 10 seconds").isNotNull();
      return event;
    }

    List<ChangeEvent> next(int count) throws InterruptedException {
      List<ChangeEvent> got = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        got.add(next());
      }
      return got;
    }
  }

  @BeforeEach
  void declareNamespaceWithHistory() {
    store().namespaces().create(EV, NamespaceSettings.defaults().withMaxVersions(5));
  }

  private static ChangeEvent event(ChangeType type, String key, long version, Instant at, Principal by) {
    return new ChangeEvent(type, EV, key, version, at, by);
  }

  /** {@code event} without its revision, which {@link RevisionContract} checks. */
  private static ChangeEvent unrevised(ChangeEvent event) {
    return new ChangeEvent(event.type(), event.namespace(), event.key(), event.version(), event.at(), event.principal());
  }

  private static List<ChangeEvent> unrevised(List<ChangeEvent> events) {
    return events.stream().map(EventContract::unrevised).toList();
  }

  private Recorder subscribe(ChangeFilter filter) {
    Recorder recorder = new Recorder();
    store().subscribe(filter, recorder);
    return recorder;
  }

  /** Writes a matching entry and checks its event is the next one the recorder gets. */
  private void assertNextIsSentinel(Recorder recorder, String key) throws InterruptedException {
    Entry sentinel = store().put(EV, key, Value.string("sentinel"));
    ChangeEvent next = recorder.next();
    assertThat(next.key()).as("the next event is the sentinel's: nothing came before it").isEqualTo(key);
    assertThat(next.version()).isEqualTo(sentinel.version());
  }

  @Test
  void aSubscriberHearsEveryKindOfChangeInOrder() throws InterruptedException {
    Recorder events = subscribe(ChangeFilter.namespace(EV).withKeyPrefix("cfg/"));
    KvStore alice = store().as(ALICE);

    Instant t0 = now();
    alice.create(EV, "cfg/a", Value.string("one"));
    Instant t1 = advanceMillis(1_000);
    store().put(EV, "cfg/a", Value.string("two"));
    Instant t2 = advanceMillis(1_000);
    alice.rotate(EV, "cfg/a", Value.string("three"), WriteOptions.none());
    Instant t3 = advanceMillis(1_000);
    alice.rollback(EV, "cfg/a", 1, WriteOptions.none());
    Instant t4 = advanceMillis(1_000);
    alice.delete(EV, "cfg/a");

    assertThat(unrevised(events.next())).isEqualTo(event(ChangeType.CREATED, "cfg/a", 1, t0, ALICE));
    assertThat(unrevised(events.next())).isEqualTo(event(ChangeType.UPDATED, "cfg/a", 2, t1, Principal.ANONYMOUS));
    assertThat(unrevised(events.next())).isEqualTo(event(ChangeType.ROTATED, "cfg/a", 3, t2, ALICE));
    assertThat(unrevised(events.next())).isEqualTo(event(ChangeType.ROLLED_BACK, "cfg/a", 4, t3, ALICE));
    assertThat(unrevised(events.next())).isEqualTo(event(ChangeType.DELETED, "cfg/a", 4, t4, ALICE));
    assertNextIsSentinel(events, "cfg/z");
  }

  @Test
  void conditionalAndBulkWritesEmitOneEventPerEntry() throws InterruptedException {
    Recorder events = subscribe(ChangeFilter.namespace(EV));
    Instant t = now();
    Principal anon = Principal.ANONYMOUS;

    store().put(EV, "a", Value.string("1"));
    store().update(EV, "a", Value.string("2"));
    store().compareAndSet(EV, "a", 2, Value.string("3"));
    store().deleteIfVersion(EV, "a", 3);
    assertThat(unrevised(events.next(4))).containsExactly(
        event(ChangeType.CREATED, "a", 1, t, anon),
        event(ChangeType.UPDATED, "a", 2, t, anon),
        event(ChangeType.UPDATED, "a", 3, t, anon),
        event(ChangeType.DELETED, "a", 3, t, anon));

    store().put(EV, "b", Value.string("1"));
    assertThat(unrevised(events.next())).isEqualTo(event(ChangeType.CREATED, "b", 1, t, anon));
    Map<String, Value> batch = new LinkedHashMap<>();
    batch.put("b", Value.string("2"));
    batch.put("c", Value.string("1"));
    store().putAll(EV, batch);
    assertThat(unrevised(events.next(2))).containsExactlyInAnyOrder(
        event(ChangeType.UPDATED, "b", 2, t, anon),
        event(ChangeType.CREATED, "c", 1, t, anon));

    store().deleteAll(EV, List.of("b", "missing", "c"));
    assertThat(unrevised(events.next(2))).containsExactlyInAnyOrder(
        event(ChangeType.DELETED, "b", 2, t, anon),
        event(ChangeType.DELETED, "c", 1, t, anon));
    assertNextIsSentinel(events, "z");
  }

  @Test
  void eventsOfOtherNamespacesAndPrefixesAreNotDelivered() throws InterruptedException {
    Recorder filtered = subscribe(ChangeFilter.namespace(EV).withKeyPrefix("cfg/"));
    Recorder everything = subscribe(ChangeFilter.all());

    store().put("ns2", "cfg/a", Value.string("other namespace"));
    store().put(EV, "other/a", Value.string("other prefix"));
    store().put(EV, "cfg", Value.string("shorter than the prefix"));
    store().put(EV, "CFG/a", Value.string("other case"));
    store().put(EV, "cfgx/a", Value.string("prefix is not a path segment match"));

    assertNextIsSentinel(filtered, "cfg/z");
    List<ChangeEvent> all = everything.next(6);
    assertThat(all).extracting(e -> e.namespace() + ":" + e.key())
        .containsExactlyInAnyOrder("ns2:cfg/a", "ns:other/a", "ns:cfg", "ns:CFG/a", "ns:cfgx/a", "ns:cfg/z");
  }

  @Test
  void refusedAndNoOpOperationsEmitNothing() throws InterruptedException {
    store().put(EV, "k", Value.string("v"));
    Recorder events = subscribe(ChangeFilter.namespace(EV));

    assertThat(store().delete(EV, "absent")).isFalse();
    thrown(AlreadyExistsException.class, () -> store().create(EV, "k", Value.string("w")));
    thrown(VersionConflictException.class, () -> store().compareAndSet(EV, "k", 7, Value.string("w")));
    thrown(VersionConflictException.class, () -> store().deleteIfVersion(EV, "k", 7));
    thrown(NotFoundException.class, () -> store().update(EV, "absent", Value.string("w")));
    thrown(NotFoundException.class, () -> store().rollback(EV, "k", 9, WriteOptions.none()));
    thrown(InvalidInputException.class, () -> store().put(EV, "bad//key", Value.string("w")));
    assertThat(store().deleteAll(EV, List.of("absent"))).isZero();

    assertNextIsSentinel(events, "sentinel");
  }

  @Test
  void afterCloseNothingMoreArrives() throws InterruptedException {
    Recorder recorder = new Recorder();
    Subscription subscription = store().subscribe(ChangeFilter.namespace(EV), recorder);
    store().put(EV, "before", Value.string("1"));
    assertThat(recorder.next().key()).isEqualTo("before");

    subscription.close();
    subscription.close();
    // The same listener again, for a marker only: a store that delivers late would hand it the
    // event of the closed subscription before the marker, so waiting for the marker is waiting
    // long enough.
    store().subscribe(ChangeFilter.namespace(EV).withKeyPrefix("marker/"), recorder);
    Recorder open = subscribe(ChangeFilter.namespace(EV));
    store().put(EV, "after", Value.string("2"));

    assertThat(open.next().key()).isEqualTo("after");
    assertNextIsSentinel(recorder, "marker/1");
  }

  @Test
  void aThrowingListenerBreaksNeitherTheWriteNorOtherListeners() throws InterruptedException {
    store().subscribe(ChangeFilter.all(), event -> {
      throw new IllegalStateException("listener failure (expected by the test)");
    });
    Recorder events = subscribe(ChangeFilter.all());
    store().subscribe(ChangeFilter.all(), event -> {
      throw new IllegalStateException("second listener failure (expected by the test)");
    });

    Entry first = store().put(EV, "k", Value.string("1"));
    Entry second = store().put(EV, "k", Value.string("2"));

    assertThat(first.version()).isEqualTo(1);
    assertThat(second.version()).isEqualTo(2);
    assertThat(events.next().version()).isEqualTo(1);
    assertThat(events.next().version()).isEqualTo(2);
    assertThat(store().get(EV, "k")).contains(second);
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aListenerSeesTheChangeAlreadyInEffect() throws InterruptedException {
    BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
    store().subscribe(ChangeFilter.namespace(EV), event ->
        seen.add(store().get(EV, event.key()).map(Entry::version).orElse(0L)));

    store().put(EV, "k", Value.string("1"));

    assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(1L);
  }
}
