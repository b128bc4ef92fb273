package io.kv.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ListOptions;
import io.kv.Page;
import io.kv.RevisionCompactedException;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.testkit.MutableClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The memory store's revisions and bounded change log. */
class ChangeLogTest {
  private final MutableClock clock = MutableClock.fixed();

  @Test
  void theBuilderChecksTheLogSizeAndTakesItOnce() {
    assertThatThrownBy(() -> MemoryKvStore.builder().changeLogSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemoryKvStore.builder().changeLogSize(MemoryKvStore.Builder.MAX_CHANGE_LOG_SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemoryKvStore.builder().changeLogSize(5).changeLogSize(6))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theLogKeepsTheLastChangesItHasRoomForAndRefusesOlderRevisions() {
    try (MemoryKvStore store = MemoryKvStore.builder().clock(clock).changeLogSize(3).build()) {
      for (int i = 1; i <= 5; i++) {
        store.put("ns", "k", Value.number(i));
      }
      assertThat(store.revision()).isEqualTo(5);

      List<ChangeEvent> heard = new ArrayList<>();
      store.subscribe(ChangeFilter.all(), 2, heard::add).close();
      assertThat(heard).extracting(ChangeEvent::revision).containsExactly(3L, 4L, 5L);

      assertThatThrownBy(() -> store.subscribe(ChangeFilter.all(), 1, heard::add))
          .isInstanceOfSatisfying(RevisionCompactedException.class, e -> {
            assertThat(e.requested()).isEqualTo(1);
            assertThat(e.oldestAvailable()).isEqualTo(3);
          });
      store.put("ns", "k", Value.number(6));
      assertThat(heard).as("the refused subscription was never registered").hasSize(3);
    }
  }

  @Test
  void expiryIsAChangeWithARevisionOfItsOwn() {
    try (MemoryKvStore store = MemoryKvStore.builder().clock(clock).sweepInterval(java.time.Duration.ZERO).build()) {
      long written = store.put("ns", "k", Value.number(1), io.kv.WriteOptions.ttl(java.time.Duration.ofSeconds(1)))
          .revision();
      clock.advance(java.time.Duration.ofSeconds(2));
      store.purgeExpired();
      List<ChangeEvent> heard = new ArrayList<>();
      store.subscribe(ChangeFilter.all(), written, heard::add);
      assertThat(heard).extracting(e -> e.type() + " @" + e.revision()).containsExactly("EXPIRED @" + (written + 1));
    }
  }

  @Test
  void aWriteThatReclaimsExpiredEntriesTellsItsOwnChangeFirst() {
    try (MemoryKvStore store = MemoryKvStore.builder().clock(clock).sweepInterval(java.time.Duration.ZERO).build()) {
      store.put("ns", "a", Value.number(1), io.kv.WriteOptions.ttl(java.time.Duration.ofSeconds(1)));
      clock.advance(java.time.Duration.ofSeconds(2));
      List<ChangeEvent> live = new ArrayList<>();
      store.subscribe(ChangeFilter.namespace("ns"), live::add);

      store.put("ns", "b", Value.number(1));

      assertThat(live).extracting(e -> e.type() + " " + e.key() + " @" + e.revision())
          .containsExactly("CREATED b @2", "EXPIRED a @3");
    }
  }

  /**
   * After the clock stepped back a write keeps its entry's update time from going back, but its
   * event, told live and replayed, says when the change happened by the clock.
   */
  @Test
  void anEventAfterTheClockSteppedBackCarriesTheClocksTime() {
    try (MemoryKvStore store = MemoryKvStore.builder().clock(clock).build()) {
      long first = store.put("ns", "k", Value.number(1)).revision();
      java.time.Instant earlier = clock.instant().minusSeconds(5);
      clock.set(earlier);
      List<ChangeEvent> live = new ArrayList<>();
      store.subscribe(ChangeFilter.all(), live::add);

      io.kv.Entry overwritten = store.put("ns", "k", Value.number(2));
      io.kv.Entry created = store.put("ns", "other", Value.number(1));

      assertThat(overwritten.updatedAt()).isAfter(earlier);
      List<ChangeEvent> replayed = new ArrayList<>();
      store.subscribe(ChangeFilter.all(), first, replayed::add).close();
      assertThat(live).extracting(ChangeEvent::at).containsExactly(earlier, earlier);
      assertThat(replayed).isEqualTo(live);
      assertThat(replayed).extracting(ChangeEvent::revision)
          .containsExactly(overwritten.revision(), created.revision());
    }
  }

  /**
   * Writers on several namespaces keep writing while subscribers join from revision 0 and from a
   * listing's revision: each hears every later change exactly once, each key in order.
   */
  @Test
  void subscribersJoiningMidStreamHearEveryLaterChangeOnce() throws Exception {
    int writers = 3;
    int writesEach = 2_000;
    try (MemoryKvStore store = MemoryKvStore.builder().clock(clock).changeLogSize(writers * writesEach).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      CountDownLatch halfway = new CountDownLatch(writers);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String ns = "ns" + w;
        done.add(pool.submit(() -> {
          for (int i = 0; i < writesEach; i++) {
            if (i == writesEach / 2) {
              halfway.countDown();
            }
            store.put(ns, "k" + (i % 5), Value.number(i));
          }
          return null;
        }));
      }
      halfway.await();
      List<ChangeEvent> fromZero = new CopyOnWriteArrayList<>();
      Subscription all = store.subscribe(ChangeFilter.all(), 0, fromZero::add);
      Page page = store.list("ns1", ListOptions.all());
      List<ChangeEvent> fromPage = new CopyOnWriteArrayList<>();
      Subscription ns1 = store.subscribe(ChangeFilter.namespace("ns1"), page.revision(), fromPage::add);
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      all.close();
      ns1.close();

      assertThat(fromZero).extracting(ChangeEvent::revision).containsExactlyInAnyOrderElementsOf(
          LongStream.rangeClosed(1, store.revision()).boxed().toList());
      assertPerKeyInOrder(fromZero, Map.of());
      Map<String, Long> shown = new HashMap<>();
      page.entries().forEach(e -> shown.put("ns1/" + e.key(), e.version()));
      // Each key's first event is the version right after the one the listing showed.
      assertPerKeyInOrder(fromPage, shown);
      // The listing brought up to date by the events is what the namespace holds.
      fromPage.forEach(e -> shown.put("ns1/" + e.key(), e.version()));
      Map<String, Long> held = new HashMap<>();
      store.list("ns1", ListOptions.all()).entries().forEach(e -> held.put("ns1/" + e.key(), e.version()));
      assertThat(shown).isEqualTo(held);
    }
  }

  /** Each key's versions follow one another, and the version {@code seen} gives, with no gap and no repeat. */
  private static void assertPerKeyInOrder(List<ChangeEvent> events, Map<String, Long> seen) {
    Map<String, Long> last = new HashMap<>(seen);
    for (ChangeEvent e : events) {
      String id = e.namespace() + "/" + e.key();
      long previous = last.getOrDefault(id, 0L);
      assertThat(e.version()).as("the version after %s of %s", previous, id).isEqualTo(previous + 1);
      last.put(id, e.version());
    }
  }
}
