package io.kv.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.InvalidInputException;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the memory store does beyond the contract: reclaiming expired entries, its builder, its read path. */
class MemoryKvStoreTest {
  private static final WriteOptions TEN_SECONDS = WriteOptions.ttl(Duration.ofSeconds(10));

  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore store = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    store.close();
  }

  /**
   * Writes that switch namespace, through the store and through a principal view, each land in
   * the namespace named, whichever namespace the view used last.
   */
  @Test
  void writesAlternatingBetweenNamespacesLandInTheNamespaceNamed() {
    MemoryKvStore view = store.as(Principal.of("writer"));
    for (int i = 1; i <= 3; i++) {
      store.put("a", "k", Value.number(i));
      view.put("b", "k", Value.number(10 + i));
      store.put("b", "k", Value.number(20 + i));
      view.put("a", "k", Value.number(30 + i));
    }
    assertThat(store.get("a", "k")).map(Entry::version).contains(6L);
    assertThat(store.get("a", "k")).map(Entry::value).contains(Value.number(33));
    assertThat(view.get("b", "k")).map(Entry::version).contains(6L);
    assertThat(view.get("b", "k")).map(Entry::value).contains(Value.number(23));
    assertThat(store.history("a", "k")).extracting(VersionRecord::changedBy).first().isEqualTo(Principal.of("writer"));
  }

  /**
   * An overwrite of a key without a TTL carries history forward from its slot (the record the
   * write before it left there), every other write from the current node. The same writes to a
   * key without a TTL and to one with a TTL, so that one goes each way, leave the same history
   * after every write: by various principals, with and without reasons, as puts, updates and
   * rotations, across changes to how many versions the namespace keeps, and with the first key
   * taking a TTL now and then, which moves it from one path to the other and back.
   */
  @Test
  void historyIsTheSameWhetherAnOverwriteCarriesItFromTheSlotOrTheNode() {
    store.namespaces().create("h", NamespaceSettings.defaults().withMaxVersions(3));
    Duration day = Duration.ofDays(1);
    Random random = new Random(11);
    int longest = 0;
    for (int step = 0; step < 400; step++) {
      clock.advance(Duration.ofMillis(1 + random.nextInt(5)));
      if (random.nextInt(25) == 0) {
        int keep = random.nextInt(5);
        store.namespaces().update("h", NamespaceSettings.defaults().withMaxVersions(keep));
        continue;
      }
      MemoryKvStore view = store.as(Principal.of("p" + random.nextInt(3)));
      Value value = Value.number(step);
      WriteOptions options = random.nextBoolean() ? WriteOptions.none() : WriteOptions.none().withReason("r" + step);
      boolean fastTakesTtl = random.nextInt(10) == 0;
      int kind = random.nextInt(3);
      for (String key : List.of("fast", "timed")) {
        WriteOptions o = key.equals("timed") || fastTakesTtl ? options.withTtl(day) : options;
        if (kind == 0 || step == 0) {
          view.put("h", key, value, o);
        } else if (kind == 1) {
          view.update("h", key, value, o);
        } else {
          view.rotate("h", key, value, o);
        }
      }
      List<VersionRecord> fast = store.history("h", "fast");
      assertThat(fast).as("step %d", step).isEqualTo(store.history("h", "timed"));
      longest = Math.max(longest, fast.size());
    }
    // The comparison saw histories of several versions, not only single records.
    assertThat(longest).isGreaterThanOrEqualTo(4);
  }

  @Test
  void createNeedsNoArguments() {
    try (MemoryKvStore s = MemoryKvStore.create()) {
      s.put("app", "greeting", Value.string("hello"));
      assertThat(s.get("app", "greeting")).map(e -> e.value().asString()).contains("hello");
    }
  }

  @Test
  void purgeExpiredRemovesDueEntriesAndReportsThemAsExpired() {
    List<ChangeEvent> events = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 300; i++) {
      store.put("ns", "short/" + i, Value.number(i), TEN_SECONDS);
    }
    store.put("ns", "long", Value.bool(true), WriteOptions.ttl(Duration.ofHours(1)));
    store.put("ns", "forever", Value.bool(true));
    store.subscribe(ChangeFilter.all(), events::add);

    clock.advance(Duration.ofSeconds(10));
    assertThat(store.size()).isEqualTo(302);
    assertThat(store.purgeExpired()).isEqualTo(300);

    assertThat(store.size()).isEqualTo(2);
    assertThat(events).hasSize(300).allSatisfy(e -> {
      assertThat(e.type()).isEqualTo(ChangeType.EXPIRED);
      assertThat(e.principal()).isEqualTo(Principal.SYSTEM);
      assertThat(e.at()).isEqualTo(Instant.parse("2030-01-01T00:00:10Z"));
      assertThat(e.version()).isEqualTo(1);
    });
    assertThat(store.purgeExpired()).isZero();
  }

  @Test
  void countReclaimsDueEntriesAndCountsOnlyLiveOnes() {
    store.put("ns", "a", Value.number(1), TEN_SECONDS);
    store.put("ns", "b", Value.number(2));
    store.put("other", "c", Value.number(3));
    assertThat(store.count("ns")).isEqualTo(2);

    clock.advance(Duration.ofSeconds(10));

    assertThat(store.count("ns")).isEqualTo(1);
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.count("never-used")).isZero();
  }

  @Test
  void rewriteValuesReplacesCurrentValueAndHistoryKeepingVersionsTimestampsAndExpiry() {
    store.namespaces().create("hist", NamespaceSettings.defaults().withMaxVersions(5));
    WriteOptions withAll = WriteOptions.ttl(Duration.ofHours(1)).withMetadata(Map.of("m", "1")).withTags(Set.of("t"));
    store.put("hist", "k", Value.string("a"), withAll.withReason("first"));
    clock.advance(Duration.ofSeconds(1));
    store.as(Principal.of("ops")).rotate("hist", "k", Value.string("b"), withAll.withReason("second"));
    clock.advance(Duration.ofSeconds(1));
    Entry before = store.get("hist", "k").orElseThrow();
    List<VersionRecord> historyBefore = store.history("hist", "k");
    List<ChangeEvent> events = new CopyOnWriteArrayList<>();
    store.subscribe(ChangeFilter.all(), events::add);

    int changed = store.rewriteValues("hist", "k", v -> Value.string(v.asString().toUpperCase(Locale.ROOT)));

    assertThat(changed).isEqualTo(2);
    Entry after = store.get("hist", "k").orElseThrow();
    assertThat(after.value()).isEqualTo(Value.string("B"));
    assertThat(after).usingRecursiveComparison().ignoringFields("value").isEqualTo(before);
    List<VersionRecord> historyAfter = store.history("hist", "k");
    assertThat(historyAfter).extracting(VersionRecord::value).containsExactly(Value.string("B"), Value.string("A"));
    assertThat(historyAfter).usingRecursiveFieldByFieldElementComparatorIgnoringFields("value")
        .containsExactlyElementsOf(historyBefore);
    assertThat(store.list("hist", ListOptions.all()).entries()).containsExactly(after);
    assertThat(events).isEmpty();
    assertThat(store.rollback("hist", "k", 1, WriteOptions.none()).value()).isEqualTo(Value.string("A"));
  }

  @Test
  void rewriteValuesCallsTheFunctionOncePerStoredValueSoTheEntryAndItsNewestRecordAgree() {
    store.put("ns", "k", Value.string("a"));
    AtomicLong calls = new AtomicLong();

    store.rewriteValues("ns", "k", v -> Value.number(calls.incrementAndGet()));

    assertThat(calls.get()).isEqualTo(1);
    assertThat(store.get("ns", "k").orElseThrow().value()).isEqualTo(Value.number(1));
    assertThat(store.history("ns", "k")).extracting(VersionRecord::value).containsExactly(Value.number(1));
  }

  @Test
  void rewriteValuesThatChangesNothingWritesNothing() {
    store.namespaces().create("hist", NamespaceSettings.defaults().withMaxVersions(5));
    store.put("hist", "k", Value.string("a"));
    store.put("hist", "k", Value.string("b"));
    Entry before = store.get("hist", "k").orElseThrow();

    assertThat(store.rewriteValues("hist", "k", v -> Value.of(v.type(), v.bytes()))).isZero();
    assertThat(store.get("hist", "k").orElseThrow()).isSameAs(before);

    assertThat(store.rewriteValues("hist", "k", v -> v.asString().equals("a") ? Value.string("x") : v)).isEqualTo(1);
    assertThat(store.get("hist", "k").orElseThrow()).isSameAs(before);
    assertThat(store.history("hist", "k")).extracting(VersionRecord::value)
        .containsExactly(Value.string("b"), Value.string("x"));
  }

  @Test
  void rewriteValuesOfAnAbsentOrExpiredEntryDoesNothing() {
    store.put("ns", "short", Value.string("a"), TEN_SECONDS);
    clock.advance(Duration.ofSeconds(10));

    assertThat(store.rewriteValues("ns", "short", v -> Value.string("x"))).isZero();
    assertThat(store.rewriteValues("ns", "absent", v -> Value.string("x"))).isZero();
    assertThat(store.rewriteValues("never-used", "k", v -> Value.string("x"))).isZero();
    assertThat(store.size()).isZero();
  }

  @Test
  void rewriteValuesThatFailsWritesNothing() {
    MemoryKvStore small = MemoryKvStore.builder().clock(clock).limits(InputRules.defaults().withMaxValueBytes(4)).build();
    small.namespaces().create("hist", NamespaceSettings.defaults().withMaxVersions(5));
    small.put("hist", "k", Value.string("a"));
    small.put("hist", "k", Value.string("b"));
    Entry before = small.get("hist", "k").orElseThrow();

    assertThatThrownBy(() -> small.rewriteValues("hist", "k", v -> v.asString().equals("a") ? Value.string("12345") : v))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> small.rewriteValues("hist", "k", v -> {
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    assertThatThrownBy(() -> small.rewriteValues("hist", "k", v -> null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> small.rewriteValues("hist", "bad//key", v -> v)).isInstanceOf(InvalidInputException.class);

    assertThat(small.get("hist", "k")).contains(before);
    assertThat(small.history("hist", "k")).extracting(VersionRecord::value)
        .containsExactly(Value.string("b"), Value.string("a"));
  }

  @Test
  void aReadThatMeetsAnExpiredEntryReclaimsIt() {
    store.put("ns", "k", Value.string("v"), TEN_SECONDS);
    clock.advance(Duration.ofSeconds(10));

    assertThat(store.get("ns", "k")).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void everyWriteReclaimsAFewDueEntries() {
    for (int i = 0; i < 20; i++) {
      store.put("ns", "old/" + i, Value.number(i), TEN_SECONDS);
    }
    clock.advance(Duration.ofSeconds(10));

    store.put("ns", "new", Value.number(1));

    assertThat(store.size()).isEqualTo(21 - SharedState.RECLAIM_PER_WRITE);
  }

  @Test
  void aRewrittenEntryIsNotReclaimedByItsOldExpiry() {
    store.put("ns", "k", Value.string("v1"), TEN_SECONDS);
    store.put("ns", "k", Value.string("v2"), WriteOptions.ttl(Duration.ofSeconds(60)));
    clock.advance(Duration.ofSeconds(30));

    assertThat(store.purgeExpired()).isZero();
    assertThat(store.get("ns", "k")).map(e -> e.value().asString()).contains("v2");
  }

  @Test
  void backgroundSweepReclaimsWithoutAnyRead() throws InterruptedException {
    CountDownLatch expired = new CountDownLatch(3);
    try (MemoryKvStore swept = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ofMillis(10)).build()) {
      countExpiries(swept, expired);
      for (int i = 0; i < 3; i++) {
        swept.put("ns", "k" + i, Value.number(i), TEN_SECONDS);
      }
      clock.advance(Duration.ofSeconds(10));

      assertThat(expired.await(10, TimeUnit.SECONDS)).as("the sweep reported three expiries").isTrue();
      assertThat(swept.size()).isZero();
    }
  }

  @Test
  void closingAPrincipalViewLeavesTheStoresSweepRunning() throws InterruptedException {
    CountDownLatch expired = new CountDownLatch(2);
    try (MemoryKvStore swept = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ofMillis(10)).build()) {
      countExpiries(swept, expired);
      // One view closed before the sweep has started, one after: neither may stop it.
      swept.as(Principal.of("early")).close();
      swept.put("ns", "a", Value.number(1), TEN_SECONDS);
      MemoryKvStore late = swept.as(Principal.of("late"));
      late.put("ns", "b", Value.number(2), TEN_SECONDS);
      late.close();
      clock.advance(Duration.ofSeconds(10));

      assertThat(expired.await(10, TimeUnit.SECONDS)).as("the sweep reported both expiries").isTrue();
      assertThat(swept.size()).isZero();
    }
  }

  private static void countExpiries(MemoryKvStore s, CountDownLatch expired) {
    s.subscribe(ChangeFilter.all(), e -> {
      if (e.type() == ChangeType.EXPIRED) {
        expired.countDown();
      }
    });
  }

  @Test
  void readsOfEntriesWithoutTtlNeverReadTheClock() {
    CountingClock counting = new CountingClock(clock);
    try (MemoryKvStore s = MemoryKvStore.builder().clock(counting).build()) {
      s.put("ns", "k", Value.string("v"));
      long before = counting.reads.get();
      for (int i = 0; i < 100; i++) {
        assertThat(s.get("ns", "k")).isPresent();
      }
      assertThat(counting.reads.get()).isEqualTo(before);

      s.put("ns", "t", Value.string("v"), TEN_SECONDS);
      long beforeTtl = counting.reads.get();
      assertThat(s.get("ns", "t")).isPresent();
      assertThat(counting.reads.get()).isEqualTo(beforeTtl + 1);
    }
  }

  /**
   * Readers race one writer that moves keys between no TTL, a TTL and deleted, so every read index
   * and the node map change under them. Each value names the write that made it ("sequence:t" with
   * a TTL, "sequence:n" without), so a reader can check that the entry it got is of the key asked,
   * that its expiry belongs to the same write as its value, and that a key never goes back to an
   * earlier write.
   */
  @Test
  void readsRacingWritesSeeWholeWritesOfTheirKeyInOrder() throws Exception {
    String[] keys = new String[32];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "race/key-" + i;
    }
    int writes = 50_000;
    int readers = 3;
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
    try {
      Future<?> writer = pool.submit(() -> {
        Random random = new Random(5);
        for (int seq = 1; seq <= writes; seq++) {
          String key = keys[random.nextInt(keys.length)];
          int op = random.nextInt(10);
          if (op < 2) {
            store.delete("race", key);
          } else if (op < 6) {
            store.put("race", key, Value.string(seq + ":t"), TEN_SECONDS);
          } else {
            store.put("race", key, Value.string(seq + ":n"));
          }
        }
        stop.set(true);
      });
      List<Future<Long>> results = new ArrayList<>();
      for (int r = 0; r < readers; r++) {
        int seed = r;
        results.add(pool.submit(() -> {
          Random random = new Random(50 + seed);
          long[] seen = new long[keys.length];
          long hits = 0;
          while (!stop.get() || hits < 1_000) {
            int k = random.nextInt(keys.length);
            Optional<Entry> read = store.get("race", keys[k]);
            if (read.isEmpty()) {
              continue;
            }
            hits++;
            checkWholeAndInOrder(keys, k, read.orElseThrow(), seen);
          }
          return hits;
        }));
      }
      writer.get(60, TimeUnit.SECONDS);
      for (Future<Long> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(1_000L);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  /**
   * Writers race to overwrite the same few keys, which all go in place: the namespace lock
   * serializes them, so every write gets its own version and none is lost or given twice.
   */
  @Test
  void racingOverwritesEachGetTheirOwnVersion() throws Exception {
    String[] keys = {"hot/a", "hot/b", "hot/c"};
    for (String key : keys) {
      store.put("hot", key, Value.string("0"));
    }
    int writers = 4;
    int writesEach = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(writers);
    List<Future<List<Entry>>> results = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        int seed = w;
        results.add(pool.submit(() -> {
          start.countDown();
          start.await();
          Random random = new Random(seed);
          List<Entry> written = new ArrayList<>(writesEach);
          for (int i = 0; i < writesEach; i++) {
            written.add(store.put("hot", keys[random.nextInt(keys.length)], Value.string(seed + ":" + i)));
          }
          return written;
        }));
      }
      Map<String, Set<Long>> versions = new HashMap<>();
      for (Future<List<Entry>> result : results) {
        for (Entry e : result.get(60, TimeUnit.SECONDS)) {
          assertThat(versions.computeIfAbsent(e.key(), k -> new HashSet<>()).add(e.version()))
              .as(e.key() + " version " + e.version() + " given twice").isTrue();
        }
      }
      for (String key : keys) {
        Entry last = store.get("hot", key).orElseThrow();
        Set<Long> got = versions.getOrDefault(key, Set.of());
        assertThat(last.version()).isEqualTo(got.size() + 1L);
        assertThat(got).allMatch(v -> v >= 2 && v <= last.version());
        assertThat(store.history("hot", key).get(0).version()).isEqualTo(last.version());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * With enough keys that the read index of entries without a TTL grows, shrinks and rebuilds,
   * readers of both paths (get through the read index, getAll through the key slots) race one
   * writer whose overwrites go in place through the index, beside deletes, re-creates and moves to
   * and from a TTL. Each reader checks that it gets its own key and, on each path, never an older
   * write than one it saw on that path (a write sets the slot before the index, so the two paths
   * may differ for a moment); at the end every key reads the same through the index, the slots and
   * its history.
   */
  @Test
  void inPlaceOverwritesRacingRebuildsKeepTheReadIndexAndTheSlotsInStep() throws Exception {
    String[] keys = new String[2_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "place/key-" + i;
    }
    int writes = 200_000;
    int readers = 3;
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
    try {
      Future<?> writer = pool.submit(() -> {
        Random random = new Random(11);
        for (int seq = 1; seq <= writes; seq++) {
          String key = keys[random.nextInt(keys.length)];
          // Alternate between filling the namespace and draining most of it.
          boolean drain = (seq / 20_000) % 2 == 1;
          int op = random.nextInt(10);
          if (drain && op != 0) {
            store.delete("place", key);
          } else if (op == 1) {
            store.put("place", key, Value.string(seq + ":t"), TEN_SECONDS);
          } else {
            store.put("place", key, Value.string(seq + ":n"));
          }
        }
        stop.set(true);
      });
      List<Future<Long>> results = new ArrayList<>();
      for (int r = 0; r < readers; r++) {
        int seed = r;
        results.add(pool.submit(() -> {
          Random random = new Random(110 + seed);
          long[][] seenOnPath = new long[2][keys.length];
          long hits = 0;
          while (!stop.get() || hits < 1_000) {
            int k = random.nextInt(keys.length);
            boolean index = random.nextBoolean();
            long[] seen = seenOnPath[index ? 0 : 1];
            Optional<Entry> read = index
                ? store.get("place", keys[k])
                : Optional.ofNullable(store.getAll("place", List.of(keys[k])).get(keys[k]));
            if (read.isEmpty()) {
              continue;
            }
            hits++;
            checkWholeAndInOrder(keys, k, read.orElseThrow(), seen);
          }
          return hits;
        }));
      }
      writer.get(60, TimeUnit.SECONDS);
      for (Future<Long> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(1_000L);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    long present = 0;
    for (String key : keys) {
      Optional<Entry> read = store.get("place", key);
      assertThat(Optional.ofNullable(store.getAll("place", List.of(key)).get(key))).as(key).isEqualTo(read);
      List<VersionRecord> history = store.history("place", key);
      if (read.isPresent()) {
        present++;
        assertThat(history.get(0).version()).as(key).isEqualTo(read.orElseThrow().version());
        assertThat(history.get(0).value()).as(key).isEqualTo(read.orElseThrow().value());
      } else {
        assertThat(history).as(key).isEmpty();
      }
    }
    assertThat(store.count("place")).isEqualTo(present);
  }

  /**
   * Readers that go through the key slots (getAll, history, listing) race one writer that
   * overwrites, deletes and re-creates keys, so slots are set, cleared and replaced under them. A
   * reader must get entries of the key it asked for, never an entry of a write older than one it
   * saw, and a history whose newest record is a whole write.
   */
  @Test
  void slotReadersRacingOverwritesAndDeletesSeeWholeWritesInOrder() throws Exception {
    String[] keys = new String[16];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "slot/key-" + i;
    }
    int writes = 50_000;
    int readers = 3;
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
    try {
      Future<?> writer = pool.submit(() -> {
        Random random = new Random(7);
        for (int seq = 1; seq <= writes; seq++) {
          String key = keys[random.nextInt(keys.length)];
          if (random.nextInt(8) == 0) {
            store.delete("slots", key);
          } else {
            store.put("slots", key, Value.string(Integer.toString(seq)), WriteOptions.none().withReason("r" + seq));
          }
        }
        stop.set(true);
      });
      List<Future<Long>> results = new ArrayList<>();
      for (int r = 0; r < readers; r++) {
        int seed = r;
        results.add(pool.submit(() -> {
          Random random = new Random(70 + seed);
          long[] seen = new long[keys.length];
          long hits = 0;
          while (!stop.get() || hits < 1_000) {
            int k = random.nextInt(keys.length);
            List<Entry> read = new ArrayList<>();
            switch (random.nextInt(3)) {
              case 0 -> read.addAll(store.getAll("slots", List.of(keys[k])).values());
              case 1 -> read.addAll(store.list("slots", ListOptions.prefix(keys[k])).entries());
              default -> {
                List<VersionRecord> h = store.history("slots", keys[k]);
                if (!h.isEmpty()) {
                  VersionRecord head = h.get(0);
                  if (h.size() != 1 || !head.reason().orElseThrow().equals("r" + head.value().asString())) {
                    throw new AssertionError(keys[k] + ": history " + h + " is not one whole write");
                  }
                  long seq = Long.parseLong(head.value().asString());
                  if (seq < seen[k]) {
                    throw new AssertionError(keys[k] + " history went back from write " + seen[k] + " to " + seq);
                  }
                  seen[k] = seq;
                  hits++;
                }
              }
            }
            for (Entry e : read) {
              if (!e.key().equals(keys[k])) {
                continue; // the prefix listing of key-1 also finds key-10 to key-15
              }
              long seq = Long.parseLong(e.value().asString());
              if (seq < seen[k]) {
                throw new AssertionError(keys[k] + " went back from write " + seen[k] + " to " + seq);
              }
              seen[k] = seq;
              hits++;
            }
          }
          return hits;
        }));
      }
      writer.get(60, TimeUnit.SECONDS);
      for (Future<Long> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(1_000L);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  @Test
  void aReadHitReturnsTheSameOptionalEveryTime() {
    store.put("ns", "k", Value.string("v"));
    assertThat(store.get("ns", "k")).isSameAs(store.get("ns", "k"));
  }

  @Test
  void customLimitsApply() {
    try (MemoryKvStore small = MemoryKvStore.builder().clock(clock).limits(InputRules.defaults().withMaxKeyBytes(8).withMaxValueBytes(4)).build()) {
      small.put("ns", "12345678", Value.string("abcd"));
      assertThatThrownBy(() -> small.put("ns", "123456789", Value.string("a")))
          .hasMessageContaining("key must be at most 8 bytes");
      assertThatThrownBy(() -> small.put("ns", "k", Value.string("abcde")))
          .hasMessageContaining("value must be at most 4 bytes");
    }
  }

  @Test
  void aTtlPastTheLastStorableInstantIsRefused() {
    clock.set(Instant.parse("9999-12-31T00:00:00Z"));
    assertThatThrownBy(() -> store.put("ns", "k", Value.string("v"), WriteOptions.ttl(Duration.ofDays(1))))
        .hasMessageContaining("ttl must not put the expiry after 9999");
    assertThatThrownBy(() -> store.put("ns", "k", Value.string("v"), WriteOptions.ttl(Duration.ofNanos(1))))
        .hasMessageContaining("ttl must be at least 1 millisecond");
    assertThat(store.get("ns", "k")).isEmpty();
  }

  @Test
  void builderChecksEachSettingAtOnce() {
    MemoryKvStore.Builder b = MemoryKvStore.builder().clock(clock);
    assertThatThrownBy(() -> b.clock(clock)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> MemoryKvStore.builder().clock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> MemoryKvStore.builder().sweepInterval(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemoryKvStore.builder().sweepInterval(Duration.ofMillis(5))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemoryKvStore.builder().limits(InputRules.defaults()).limits(InputRules.defaults()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void viewsShareStateButNotPrincipal() {
    MemoryKvStore alice = store.as(Principal.of("alice"));
    alice.put("ns", "k", Value.string("v"));

    assertThat(store.get("ns", "k")).isPresent();
    assertThat(store.size()).isEqualTo(alice.size()).isEqualTo(1);
    assertThat(alice.principal()).isEqualTo(Principal.of("alice"));
    assertThat(alice.toString()).contains("alice");
  }

  /** A clock that counts how often it is read. */
  private static final class CountingClock extends Clock {
    final AtomicLong reads = new AtomicLong();
    private final Clock delegate;

    CountingClock(Clock delegate) {
      this.delegate = delegate;
    }

    @Override
    public ZoneId getZone() {
      return delegate.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      reads.incrementAndGet();
      return delegate.instant();
    }

    @Override
    public long millis() {
      reads.incrementAndGet();
      return delegate.millis();
    }
  }

  /**
   * Checks a read of {@code keys[k]} made by the race tests, whose values are {@code "seq:t"} (a
   * TTL) or {@code "seq:n"} (none): the entry is the key asked for, its expiry matches the write
   * that made its value, and its write is no older than the last one this reader saw of the key.
   */
  private static void checkWholeAndInOrder(String[] keys, int k, Entry e, long[] seen) {
    String[] made = e.value().asString().split(":");
    long seq = Long.parseLong(made[0]);
    if (!e.key().equals(keys[k])) {
      throw new AssertionError("asked " + keys[k] + ", got " + e.key());
    }
    if (e.expiresAt().isPresent() != made[1].equals("t")) {
      throw new AssertionError(keys[k] + ": write " + seq + " came back with expiry " + e.expiresAt());
    }
    if (seq < seen[k]) {
      throw new AssertionError(keys[k] + " went back from write " + seen[k] + " to " + seq);
    }
    seen[k] = seq;
  }
}
