package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.testkit.SuiteFigures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A bounded mixed load on PostgreSQL: two instances, each behind a near-cache with a change feed,
 * with their sweepers on; writer threads put, get, delete, compare-and-set and write entries
 * with short TTLs, each on keys of its own, while listeners count events. No call may fail, every
 * read of a writer's own key returns what it wrote last (or nothing, once that expired or was
 * deleted), the final state read through a fresh store matches each writer's last write per key,
 * and the used heap after garbage collection does not grow beyond a bound between warm-up and the
 * end. Runs {@code kv.soak.seconds} seconds (default 30).
 */
@DisplayName("Soak: a mixed load on PostgreSQL with near-caches, change feeds, sweepers and listeners")
class PostgresSoakTest {
  private static final String NS = "soak";
  private static final int WRITERS = 4;
  private static final int KEYS = 40;
  private static final int TTL_KEYS = 10;
  /** How much the used heap may grow between warm-up and the end. */
  private static final long HEAP_GROWTH_BOUND = 48L << 20;

  /** What a writer knows it wrote last to one of its keys. */
  private record Last(Value value, long version, Optional<Instant> expiresAt, boolean deleted) {}

  @Test
  void aMixedLoadLosesNoWriteFailsNoCallAndKeepsTheHeapBounded() throws Exception {
    long seconds = Long.getLong("kv.soak.seconds", 30);
    String prefix = TestDatabases.freshPrefix();
    Clock clock = Clock.systemUTC();
    List<KvStore> instances = new ArrayList<>();
    List<Clock> clocks = new ArrayList<>();
    LongAdder events = new LongAdder();
    LongAdder expiredEvents = new LongAdder();
    for (String id : List.of("a", "b")) {
      JdbcKvStore jdbc = JdbcKvStore.builder(TestDatabases.postgres()).clock(clock).tablePrefix(prefix)
          .schemaMode(SchemaMode.CREATE).sweepInterval(Duration.ofMillis(100)).changeRetention(Duration.ofSeconds(5))
          .instanceId(id).build();
      ChangeFeed feed = ChangeFeed.builder(TestDatabases.postgres(), jdbc).pollInterval(Duration.ofMillis(100)).start();
      // The store's clock is the database's time: the cache and the checks judge expiry by it.
      KvStore cached = NearCache.builder().maximumSize(WRITERS * (KEYS + TTL_KEYS) / 2).clock(jdbc.clock())
          .changeFeed(feed).build(jdbc);
      clocks.add(jdbc.clock());
      cached.subscribe(ChangeFilter.all(), e -> {
        events.increment();
        if (e.type() == ChangeType.EXPIRED) {
          expiredEvents.increment();
        }
      });
      instances.add(cached);
    }

    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong operations = new AtomicLong();
    List<Map<String, Last>> known = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(WRITERS);
    for (int w = 0; w < WRITERS; w++) {
      Map<String, Last> mine = new LinkedHashMap<>();
      known.add(mine);
      KvStore store = instances.get(w % instances.size());
      Clock storeClock = clocks.get(w % instances.size());
      int writer = w;
      Thread t = new Thread(() -> {
        try {
          new Writer(writer, store, mine, storeClock, new Random(writer)).run(stop, operations);
        } catch (Throwable e) {
          errors.add(e);
        } finally {
          done.countDown();
        }
      }, "soak-writer-" + w);
      t.setDaemon(true);
      t.start();
    }

    long started = System.nanoTime();
    long warmUp = Math.max(2, seconds / 5);
    awaitUntil(started, warmUp, done);
    long heapAfterWarmUp = usedHeapAfterGc();
    awaitUntil(started, seconds, done);
    stop.set(true);
    done.await();
    long heapAtEnd = usedHeapAfterGc();

    try (JdbcKvStore fresh = JdbcKvStore.builder(TestDatabases.postgres()).clock(clock).tablePrefix(prefix)
        .sweepInterval(Duration.ZERO).build()) {
      assertThat(errors).as("failed calls").isEmpty();
      for (Map<String, Last> mine : known) {
        mine.forEach((key, last) -> Writer.check(key, last, fresh.get(NS, key), fresh.clock()));
      }
    } finally {
      instances.forEach(KvStore::close);
    }
    assertThat(heapAtEnd - heapAfterWarmUp).as("heap growth after warm-up (bytes)").isLessThan(HEAP_GROWTH_BOUND);
    assertThat(expiredEvents.sum()).as("expiries swept and heard").isPositive();

    Map<String, Long> figures = new LinkedHashMap<>();
    figures.put("seconds", seconds);
    figures.put("operations", operations.get());
    figures.put("events", events.sum());
    figures.put("expiry events", expiredEvents.sum());
    SuiteFigures.publish("soak", "postgresql + near-cache", figures);
  }

  private static void awaitUntil(long started, long seconds, CountDownLatch done) throws InterruptedException {
    long left = started + Duration.ofSeconds(seconds).toNanos() - System.nanoTime();
    if (left > 0) {
      done.await(left, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** One writer thread: its own keys, what it wrote last to each, and a check of every read. */
  private static final class Writer {
    private final int id;
    private final KvStore store;
    private final Map<String, Last> last;
    private final Clock clock;
    private final Random random;
    private long serial;

    Writer(int id, KvStore store, Map<String, Last> last, Clock clock, Random random) {
      this.id = id;
      this.store = store;
      this.last = last;
      this.clock = clock;
      this.random = random;
    }

    void run(AtomicBoolean stop, AtomicLong operations) {
      while (!stop.get()) {
        boolean ttl = random.nextInt(5) == 0;
        String key = ttl ? "w" + id + "-ttl-" + random.nextInt(TTL_KEYS) : "w" + id + "-" + random.nextInt(KEYS);
        int op = random.nextInt(10);
        if (op < 4) {
          check(key, last.get(key), store.get(NS, key), clock);
        } else if (op < 6 || ttl) {
          WriteOptions options = ttl ? WriteOptions.ttl(Duration.ofMillis(50 + random.nextInt(400))) : WriteOptions.none();
          remember(key, store.put(NS, key, next(), options));
        } else if (op < 8) {
          Last was = last.get(key);
          remember(key, was == null || was.deleted()
              ? store.create(NS, key, next(), WriteOptions.none())
              : store.compareAndSet(NS, key, was.version(), next(), WriteOptions.none()));
        } else if (op < 9) {
          Last was = last.get(key);
          boolean deleted = store.delete(NS, key);
          assertThat(deleted).as("delete of %s", key).isEqualTo(was != null && !was.deleted());
          last.put(key, new Last(null, 0, Optional.empty(), true));
        } else {
          List<String> keys = List.of("w" + id + "-" + random.nextInt(KEYS), "w" + id + "-" + random.nextInt(KEYS));
          Map<String, Entry> read = store.getAll(NS, keys);
          for (String k : keys) {
            check(k, last.get(k), Optional.ofNullable(read.get(k)), clock);
          }
        }
        operations.incrementAndGet();
      }
    }

    private Value next() {
      return Value.string("w" + id + "#" + (++serial));
    }

    private void remember(String key, Entry written) {
      last.put(key, new Last(written.value(), written.version(), written.expiresAt(), false));
    }

    /** A read of {@code key} returned {@code read}: what was written last, or nothing if that is gone. */
    static void check(String key, Last last, Optional<Entry> read, Clock clock) {
      if (last == null || last.deleted()) {
        assertThat(read).as("read of %s, deleted or never written", key).isEmpty();
        return;
      }
      if (read.isPresent()) {
        assertThat(read.get().value()).as("value of %s", key).isEqualTo(last.value());
        assertThat(read.get().version()).as("version of %s", key).isEqualTo(last.version());
        return;
      }
      // Absent is right only once the last write expired: the store decided before now.
      assertThat(last.expiresAt()).as("%s absent though written without a TTL", key).isPresent();
      assertThat(clock.instant()).as("%s absent before its expiry", key).isAfterOrEqualTo(last.expiresAt().get());
    }
  }
}
