package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLayerTest {
  /** An executor that runs tasks only when the test says so. */
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(MutableClock.fixed()).build();
  private final KvStore store = new EventLayer(backend, tasks::add);

  @AfterEach
  void close() {
    store.close();
  }

  private void runPending() {
    Runnable r;
    while ((r = tasks.poll()) != null) {
      r.run();
    }
  }

  @Test
  void aReplayFromARevisionArrivesOnTheExecutorBeforeTheLiveEvents() {
    Entry first = store.put("ns", "k", Value.number(1));
    store.put("ns", "k", Value.number(2));
    List<ChangeEvent> seen = new ArrayList<>();

    store.subscribe(ChangeFilter.all(), first.revision(), seen::add);
    store.put("ns", "k", Value.number(3));
    assertThat(seen).isEmpty();

    runPending();
    assertThat(seen).extracting(ChangeEvent::version).containsExactly(2L, 3L);
  }

  @Test
  void eventsArriveOnTheExecutorNotTheWritingThread() {
    List<ChangeEvent> seen = new ArrayList<>();
    store.subscribe(ChangeFilter.all(), seen::add);

    store.put("ns", "k", Value.number(1));
    store.put("ns", "k", Value.number(2));
    assertThat(seen).isEmpty();

    runPending();
    assertThat(seen).extracting(ChangeEvent::type).containsExactly(ChangeType.CREATED, ChangeType.UPDATED);
    assertThat(seen).extracting(ChangeEvent::version).containsExactly(1L, 2L);
  }

  @Test
  void oneDrainTaskAtATimeKeepsOrder() {
    List<Long> versions = new ArrayList<>();
    store.subscribe(ChangeFilter.all(), e -> versions.add(e.version()));
    for (int i = 0; i < 5; i++) {
      store.put("ns", "k", Value.number(i));
    }
    assertThat(tasks).hasSize(1);
    runPending();
    assertThat(versions).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void aThrowingListenerDoesNotStopTheQueue() {
    List<Long> versions = new ArrayList<>();
    store.subscribe(ChangeFilter.all(), e -> {
      if (e.version() == 1) {
        throw new IllegalStateException("listener bug");
      }
      versions.add(e.version());
    });
    store.put("ns", "k", Value.number(1));
    store.put("ns", "k", Value.number(2));
    runPending();
    assertThat(versions).containsExactly(2L);
  }

  @Test
  void closingStopsDelivery() {
    List<ChangeEvent> seen = new ArrayList<>();
    Subscription sub = store.subscribe(ChangeFilter.all(), seen::add);
    store.put("ns", "k", Value.number(1));
    sub.close();
    runPending();
    store.put("ns", "k", Value.number(2));
    runPending();
    assertThat(seen).isEmpty();
  }

  @Test
  void aSlowListenerDoesNotBlockWriters() throws InterruptedException {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      KvStore async = new EventLayer(backend, pool);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch delivered = new CountDownLatch(3);
      async.subscribe(ChangeFilter.all(), e -> {
        try {
          release.await();
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
        delivered.countDown();
      });
      for (int i = 0; i < 3; i++) {
        async.put("ns", "k", Value.number(i));   // returns although the listener is blocked
      }
      assertThat(backend.get("ns", "k").orElseThrow().version()).isEqualTo(3);
      release.countDown();
      assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void viewsForAPrincipalKeepTheLayer() {
    List<ChangeEvent> seen = new ArrayList<>();
    store.as(io.kv.Principal.of("alice")).subscribe(ChangeFilter.all(), seen::add);
    store.as(io.kv.Principal.of("alice")).put("ns", "k", Value.number(1));
    assertThat(seen).isEmpty();
    runPending();
    assertThat(seen).singleElement().satisfies(e -> assertThat(e.principal().name()).isEqualTo("alice"));
  }
}
