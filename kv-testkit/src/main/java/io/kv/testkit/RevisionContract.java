package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.ListOptions;
import io.kv.Page;
import io.kv.RevisionCompactedException;
import io.kv.Subscription;
import io.kv.TransactionResult;
import io.kv.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Revisions ({@link io.kv.KvStore#revision()}, {@link Entry#revision()}, {@link
 * ChangeEvent#revision()}, {@link Page#revision()}) and {@link io.kv.KvStore#subscribe(ChangeFilter,
 * long, ChangeListener) subscribing from a revision}: every change a revision of its own, greater
 * than every earlier one across keys and namespaces; a replay that tells each later change once,
 * in order, and then the live ones; a subscriber that restarts from the last revision it saw and
 * loses nothing; a revision the log no longer holds refused before anything is told; and a cache
 * that lists, goes down, and catches up to exactly what the store holds.
 *
 * <p>The checks subscribe to one namespace at a time: within a namespace every store kv ships
 * tells changes in revision order, which a subscriber that resumes from the last revision it saw
 * relies on.
 */
public abstract class RevisionContract extends ContractGroup {
  private static final String OTHER = "other";
  private static final int WRITES = 300;
  private static final int KEYS = 7;

  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected RevisionContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected RevisionContract(ContractSuite suite) {
    super(suite);
  }

  /** "type key version revision" of an event, for comparing sequences. */
  private static String describe(ChangeEvent e) {
    return e.type() + " " + e.key() + " " + e.version() + " @" + e.revision();
  }

  /** Writes a matching sentinel and checks its event is the next one: nothing else came first. */
  private void assertNextIsSentinel(EventContract.Recorder recorder) throws InterruptedException {
    Entry sentinel = store().put(NS, "sentinel", Value.string("s"));
    ChangeEvent next = recorder.next();
    assertThat(next.key() + " @" + next.revision()).as("the next event is the sentinel's: nothing came before it")
        .isEqualTo("sentinel @" + sentinel.revision());
  }

  @Test
  void everyChangeTakesAGreaterRevisionAcrossKeysAndNamespaces() {
    long before = store().revision();
    Entry a1 = put("a", "1");
    Entry b1 = store().put(OTHER, "b", Value.string("1"));
    Entry a2 = put("a", "2");
    Map<String, Entry> bulk = store().putAll(NS, Map.of("c", Value.string("1"), "d", Value.string("1")));
    TransactionResult tx = store().transaction(OTHER).put("e", Value.string("1")).put("f", Value.string("1")).commit();
    store().delete(NS, "a");
    long afterDelete = store().revision();

    assertThat(a1.revision()).isGreaterThan(before);
    assertThat(b1.revision()).isGreaterThan(a1.revision());
    assertThat(a2.revision()).isGreaterThan(b1.revision());
    List<Long> bulkRevisions = bulk.values().stream().map(Entry::revision).sorted().toList();
    assertThat(bulkRevisions.get(0)).isGreaterThan(a2.revision());
    assertThat(bulkRevisions.get(1)).as("one revision per entry of a batch").isGreaterThan(bulkRevisions.get(0));
    long txFirst = tx.written().get("e").revision();
    assertThat(txFirst).isGreaterThan(bulkRevisions.get(1));
    assertThat(tx.written().get("f").revision()).as("one revision per write of a transaction").isGreaterThan(txFirst);
    assertThat(afterDelete).as("a delete is a change too").isGreaterThan(tx.written().get("f").revision());
    assertThat(store().get(OTHER, "b").orElseThrow().revision()).as("a read gives the entry's last change").isEqualTo(b1.revision());
  }

  @Test
  void anEntryItsEventAndAListingAgreeOnRevisions() throws InterruptedException {
    EventContract.Recorder live = new EventContract.Recorder();
    Subscription subscription = store().subscribe(ChangeFilter.namespace(NS), live);
    try {
      Entry a = put("cfg/a", "1");
      Entry b = put("cfg/b", "1");
      List<ChangeEvent> events = live.next(2);
      assertThat(events).extracting(ChangeEvent::revision).containsExactly(a.revision(), b.revision());

      Page page = store().list(NS, ListOptions.prefix("cfg/"));

      assertThat(page.entries()).extracting(Entry::revision).containsExactly(a.revision(), b.revision());
      assertThat(page.revision()).as("a listing is as of a revision that includes what it shows")
          .isGreaterThanOrEqualTo(b.revision());
      assertThat(store().revision()).isGreaterThanOrEqualTo(page.revision());
    } finally {
      subscription.close();
    }
  }

  @Test
  void fromZeroEveryRetainedChangeIsToldOnceInOrderThenLiveOnes() throws InterruptedException {
    Entry a1 = put("a", "1");
    Entry b1 = put("b", "1");
    store().put(OTHER, "x", Value.string("filtered out"));
    Entry a2 = put("a", "2");
    store().delete(NS, "b");
    long deleted = store().revision();

    EventContract.Recorder recorder = new EventContract.Recorder();
    Subscription subscription = store().subscribe(ChangeFilter.namespace(NS), 0, recorder);
    try {
      assertThat(recorder.next(4)).extracting(RevisionContract::describe).containsExactly(
          "CREATED a 1 @" + a1.revision(),
          "CREATED b 1 @" + b1.revision(),
          "UPDATED a 2 @" + a2.revision(),
          "DELETED b 1 @" + deleted);
      Entry a3 = put("a", "3");
      assertThat(describe(recorder.next())).isEqualTo("UPDATED a 3 @" + a3.revision());
      assertNextIsSentinel(recorder);
    } finally {
      subscription.close();
    }
  }

  @Test
  void fromALaterRevisionOnlyTheChangesAfterItAreTold() throws InterruptedException {
    put("a", "1");
    Entry mark = put("b", "1");
    Entry a2 = put("a", "2");

    EventContract.Recorder recorder = new EventContract.Recorder();
    Subscription subscription = store().subscribe(ChangeFilter.namespace(NS), mark.revision(), recorder);
    try {
      assertThat(describe(recorder.next())).isEqualTo("UPDATED a 2 @" + a2.revision());
      assertNextIsSentinel(recorder);
    } finally {
      subscription.close();
    }
  }

  @Test
  void aCacheThatWasDownCatchesUpOnExactlyWhatChanged() throws InterruptedException {
    put("cfg/a", "1");
    put("cfg/b", "1");
    put("cfg/c", "1");
    put("other/z", "1");
    Page page = store().list(NS, ListOptions.prefix("cfg/"));
    Map<String, Value> cache = new ConcurrentHashMap<>();
    page.entries().forEach(e -> cache.put(e.key(), e.value()));

    // While the cache is down:
    put("cfg/a", "2");
    store().delete(NS, "cfg/b");
    put("cfg/d", "1");
    put("other/z", "2");

    EventContract.Recorder told = new EventContract.Recorder();
    ChangeListener refresh = event -> {
      store().get(event.namespace(), event.key()).ifPresentOrElse(e -> cache.put(e.key(), e.value()),
          () -> cache.remove(event.key()));
      told.onChange(event);
    };
    Subscription subscription = store().subscribe(ChangeFilter.namespace(NS).withKeyPrefix("cfg/"), page.revision(), refresh);
    try {
      assertThat(told.next(3)).extracting(e -> e.type() + " " + e.key())
          .containsExactly("UPDATED cfg/a", "DELETED cfg/b", "CREATED cfg/d");
      put("cfg/e", "1");
      assertThat(told.next().key()).as("then live").isEqualTo("cfg/e");

      Map<String, Value> stored = store().list(NS, ListOptions.prefix("cfg/")).entries().stream()
          .collect(Collectors.toMap(Entry::key, Entry::value));
      assertThat(cache).isEqualTo(stored);
      Entry sentinel = put("cfg/sentinel", "s");
      assertThat(told.next().revision()).as("no change told twice: the next is the sentinel's").isEqualTo(sentinel.revision());
    } finally {
      subscription.close();
    }
  }

  @Test
  void aSubscriberThatRestartsFromTheLastRevisionItSawMissesNothingAndSeesNothingTwice() throws Exception {
    ExecutorService writer = Executors.newSingleThreadExecutor();
    List<ChangeEvent> seen = new ArrayList<>();
    long end;
    try {
      // Puts over a few keys with a delete now and then; the last write marks the end.
      Future<Long> writes = writer.submit(() -> {
        for (int i = 0; i < WRITES; i++) {
          String key = "k" + (i % KEYS);
          if (i % 10 != 9 || !store().delete(NS, key)) {
            store().put(NS, key, Value.number(i));
          }
        }
        return store().put(NS, "end", Value.string("end")).revision();
      });
      long last = 0;
      int lives = 0;
      while (seen.isEmpty() || !writes.isDone() || seen.get(seen.size() - 1).revision() < writes.get()) {
        // One life of the subscriber: it hears up to 25 changes, then stops and starts again from the last it heard.
        Life life = new Life();
        Subscription subscription = store().subscribe(ChangeFilter.namespace(NS), last, life);
        try {
          life.awaitUpTo(25, writes);
        } finally {
          subscription.close();
        }
        List<ChangeEvent> heard = life.stop();
        seen.addAll(heard);
        if (!heard.isEmpty()) {
          last = heard.get(heard.size() - 1).revision();
        }
        lives++;
        assertThat(lives).as("the subscriber makes progress").isLessThan(4 * WRITES);
      }
      end = writes.get();
    } finally {
      writer.shutdownNow();
    }

    // What a subscriber that never stopped hears: every change of the namespace, each once.
    EventContract.Recorder all = new EventContract.Recorder();
    List<ChangeEvent> expected = new ArrayList<>();
    Subscription replay = store().subscribe(ChangeFilter.namespace(NS), 0, all);
    try {
      do {
        expected.add(all.next());
      } while (expected.get(expected.size() - 1).revision() < end);
    } finally {
      replay.close();
    }
    assertThat(seen).extracting(RevisionContract::describe)
        .containsExactlyElementsOf(expected.stream().map(RevisionContract::describe).toList());
    assertThat(seen).hasSize(WRITES + 1);
    assertThat(seen).extracting(ChangeEvent::revision).isSortedAccordingTo(Comparator.naturalOrder()).doesNotHaveDuplicates();
    Map<String, Long> lastVersion = new HashMap<>();
    for (ChangeEvent e : seen) {
      long previous = lastVersion.getOrDefault(e.key(), 0L);
      assertThat(e.version()).as("versions of %s in order", e.key())
          .isEqualTo(e.type() == ChangeType.DELETED ? previous : previous + 1);
      lastVersion.put(e.key(), e.type() == ChangeType.DELETED ? 0L : e.version());
    }
  }

  /**
   * One life of a restarting subscriber: what it heard until it stopped; what arrives after {@link
   * #stop()} is not its to hear.
   */
  private static final class Life implements ChangeListener {
    private final List<ChangeEvent> heard = new ArrayList<>();
    private boolean stopped;

    @Override
    public synchronized void onChange(ChangeEvent event) {
      if (!stopped) {
        heard.add(event);
        notifyAll();
      }
    }

    /** Waits (at most ten seconds) until {@code count} events were heard, or the writer's last write. */
    synchronized void awaitUpTo(int count, Future<Long> writes) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (heard.size() < count && System.nanoTime() < deadline) {
        if (writes.isDone() && !heard.isEmpty() && heard.get(heard.size() - 1).revision() >= writes.get()) {
          return;
        }
        // Woken by each event; the bound only re-checks whether the writer finished.
        wait(20);
      }
    }

    synchronized List<ChangeEvent> stop() {
      stopped = true;
      return List.copyOf(heard);
    }
  }

  @Test
  void aRevisionTheLogNoLongerHoldsIsRefusedBeforeAnythingIsTold() throws InterruptedException {
    store().put(NS, "before", Value.number(0));
    compactChangeLogOfStore(NS);
    EventContract.Recorder recorder = new EventContract.Recorder();

    RevisionCompactedException e = thrown(RevisionCompactedException.class,
        () -> store().subscribe(ChangeFilter.all(), 0, recorder));

    assertThat(e.requested()).isZero();
    assertThat(e.oldestAvailable()).isGreaterThan(1);
    assertThat(e.getMessage()).contains("re-read");
    Subscription resumed = store().subscribe(ChangeFilter.all(), e.oldestAvailable() - 1, recorder);
    try {
      assertThat(recorder.next().revision()).as("nothing was told by the refused subscription")
          .isEqualTo(e.oldestAvailable());
    } finally {
      resumed.close();
    }
  }
}
