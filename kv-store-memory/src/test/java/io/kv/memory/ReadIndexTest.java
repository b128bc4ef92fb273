package io.kv.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.Entry;
import io.kv.Value;
import io.kv.testkit.MutableClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadIndexTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  /** The node slot given to keys by tests that leave it to the index to keep, unread. */
  private static final NamespaceTable.Slot NO_NODE_SLOT = null;

  /** What a read of {@code key} at {@code version} returns; it names its key and version. */
  private static Optional<Entry> entry(String key, long version) {
    return Optional.of(new Entry("ns", key, Value.string("v"), version, T0, T0, Optional.empty(), Map.of(), Set.of()));
  }

  /** The version in a value, or null for none, so assertions read as numbers. */
  private static Long version(Optional<Entry> value) {
    return value == null ? null : value.orElseThrow().version();
  }

  @Test
  void getReturnsWhatWasPutAndNullOtherwise() {
    ReadIndex index = new ReadIndex();
    assertThat(index.get("a")).isNull();

    index.put("a", entry("a", 1), NO_NODE_SLOT);
    index.put("b", entry("b", 2), NO_NODE_SLOT);
    index.put("a", entry("a", 3), NO_NODE_SLOT);

    assertThat(version(index.get("a"))).isEqualTo(3);
    assertThat(version(index.get("b"))).isEqualTo(2);
    assertThat(index.get("c")).isNull();
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void anEqualKeyThatIsAnotherObjectFindsTheValue() {
    ReadIndex index = new ReadIndex();
    String stored = "config/database/host";
    index.put(stored, entry(stored, 1), NO_NODE_SLOT);

    String asked = new String(stored.toCharArray());
    assertThat(asked).isNotSameAs(stored);
    assertThat(version(index.get(asked))).isEqualTo(1);

    index.put(new String(stored.toCharArray()), entry(stored, 2), NO_NODE_SLOT);
    assertThat(version(index.get(stored))).isEqualTo(2);
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void removeForgetsTheValueAndAKeyCanComeBack() {
    ReadIndex index = new ReadIndex();
    index.put("a", entry("a", 1), NO_NODE_SLOT);
    index.put("b", entry("b", 2), NO_NODE_SLOT);

    index.remove("a");
    index.remove("a");
    index.remove("never-there");
    assertThat(index.get("a")).isNull();
    assertThat(version(index.get("b"))).isEqualTo(2);
    assertThat(index.size()).isEqualTo(1);

    index.put("a", entry("a", 3), NO_NODE_SLOT);
    assertThat(version(index.get("a"))).isEqualTo(3);
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void aWriterFindsALiveKeysValueAndNodeSlotAndReplacesTheValueInPlace() {
    ReadIndex index = new ReadIndex();
    NamespaceTable.Slot slotA = new NamespaceTable.Slot(null);
    NamespaceTable.Slot slotB = new NamespaceTable.Slot(null);
    index.put("a", entry("a", 1), slotA);
    index.put("b", entry("b", 1), slotB);

    int a = index.liveSlot(new String("a".toCharArray()));
    assertThat(a).isNotNegative();
    assertThat(version(index.valueAt(a))).isEqualTo(1);
    assertThat(index.nodeSlotAt(a)).isSameAs(slotA);

    index.replaceAt(a, entry("a", 2));
    assertThat(version(index.get("a"))).isEqualTo(2);
    assertThat(index.nodeSlotAt(index.liveSlot("a"))).isSameAs(slotA);
    assertThat(index.size()).isEqualTo(2);

    index.remove("a");
    assertThat(index.liveSlot("a")).isEqualTo(-1);
    assertThat(index.liveSlot("never-there")).isEqualTo(-1);
    assertThatThrownBy(() -> index.replaceAt(a, entry("a", 3))).isInstanceOf(IllegalStateException.class);
    assertThat(index.get("a")).isNull();

    // A key that comes back brings its new node slot.
    NamespaceTable.Slot again = new NamespaceTable.Slot(null);
    index.put("a", entry("a", 1), again);
    assertThat(index.nodeSlotAt(index.liveSlot("a"))).isSameAs(again);
  }

  @Test
  void theNodeSlotHintNamesTheSlotOfALiveKeyOnly() {
    ReadIndex index = new ReadIndex();
    NamespaceTable.Slot slot = new NamespaceTable.Slot(null);
    index.put("a", entry("a", 1), slot);
    assertThat(index.nodeSlotHint("a")).isSameAs(slot);
    assertThat(index.nodeSlotHint(new String("a".toCharArray()))).isSameAs(slot);
    assertThat(index.nodeSlotHint("b")).isNull();
    index.remove("a");
    assertThat(index.nodeSlotHint("a")).isNull();
  }

  @Test
  void nodeSlotsMoveWithTheirKeysWhenTheTableIsRebuilt() {
    ReadIndex index = new ReadIndex();
    Map<String, NamespaceTable.Slot> slots = new HashMap<>();
    for (int i = 0; i < 1_000; i++) {
      String key = "grow/" + i;
      slots.put(key, new NamespaceTable.Slot(null));
      index.put(key, entry(key, 1), slots.get(key));
    }
    int grown = index.capacity();
    for (int i = 0; i < 990; i++) {
      index.remove("grow/" + i);
      slots.remove("grow/" + i);
    }
    assertThat(index.capacity()).isLessThan(grown);
    for (Map.Entry<String, NamespaceTable.Slot> e : slots.entrySet()) {
      int i = index.liveSlot(e.getKey());
      assertThat(index.nodeSlotAt(i)).as(e.getKey()).isSameAs(e.getValue());
      assertThat(index.valueAt(i).orElseThrow().key()).isEqualTo(e.getKey());
    }
  }

  @Test
  void onlyAnIndexWithoutExpiriesIsWrittenInPlace() {
    ReadIndex index = ReadIndex.withExpiry();
    index.put("a", entry("a", 1), T0.toEpochMilli() + 1_000, NO_NODE_SLOT);
    int a = index.liveSlot("a");
    assertThatThrownBy(() -> index.replaceAt(a, entry("a", 2))).isInstanceOf(IllegalStateException.class);
    assertThat(version(index.get("a"))).isEqualTo(1);
  }

  @Test
  void keysWithTheSameHashAreKeptApart() {
    // "Aa" and "BB" share a hash code, so every string made of them shares one too.
    List<String> colliding = new ArrayList<>();
    for (int bits = 0; bits < 64; bits++) {
      StringBuilder sb = new StringBuilder();
      for (int b = 0; b < 6; b++) {
        sb.append((bits >> b & 1) == 0 ? "Aa" : "BB");
      }
      colliding.add(sb.toString());
    }
    assertThat(colliding.stream().mapToInt(String::hashCode).distinct().count()).isEqualTo(1);

    ReadIndex index = new ReadIndex();
    for (int i = 0; i < colliding.size(); i++) {
      index.put(colliding.get(i), entry(colliding.get(i), i + 1), NO_NODE_SLOT);
    }
    for (int i = 0; i < colliding.size(); i += 2) {
      index.remove(colliding.get(i));
    }
    for (int i = 0; i < colliding.size(); i++) {
      String key = new String(colliding.get(i).toCharArray());
      Optional<Entry> got = index.get(key);
      if (i % 2 == 0) {
        assertThat(got).as(key).isNull();
      } else {
        assertThat(got).as(key).isNotNull();
        assertThat(got.orElseThrow().key()).isEqualTo(key);
        assertThat(got.orElseThrow().version()).isEqualTo(i + 1);
      }
    }
  }

  @Test
  void growsAndShrinksAndMatchesAMapThroughRandomWrites() {
    ReadIndex index = new ReadIndex();
    Map<String, Long> expected = new HashMap<>();
    Random random = new Random(7);
    int peakCapacity = 0;
    for (int step = 0; step < 150_000; step++) {
      // Mostly inserts first, then mostly removals.
      String key = "k/" + random.nextInt(20_000);
      boolean remove = random.nextInt(10) < (step < 50_000 ? 3 : 8);
      if (remove) {
        index.remove(key);
        expected.remove(key);
      } else {
        index.put(key, entry(key, step + 1), NO_NODE_SLOT);
        expected.put(key, step + 1L);
      }
      peakCapacity = Math.max(peakCapacity, index.capacity());
      assertThat(index.size()).isEqualTo(expected.size());
      // Never more than three eighths full, so every probe ends, and ends soon.
      assertThat(index.size()).isLessThanOrEqualTo(index.capacity() * 3 / 8);
    }
    for (int k = 0; k < 20_000; k++) {
      String key = "k/" + k;
      assertThat(version(index.get(key))).as(key).isEqualTo(expected.get(key));
    }
    assertThat(peakCapacity).isGreaterThanOrEqualTo(16_384);

    for (int k = 100; k < 20_000; k++) {
      index.remove("k/" + k);
      expected.remove("k/" + k);
    }
    // At most 100 keys left: the table gave back what the removed keys took.
    assertThat(index.size()).isEqualTo(expected.size()).isLessThanOrEqualTo(100);
    assertThat(index.capacity()).isLessThanOrEqualTo(1_024);
    for (int k = 0; k < 20_000; k++) {
      String key = "k/" + k;
      assertThat(version(index.get(key))).as(key).isEqualTo(expected.get(key));
    }
  }

  @Test
  void removingEverythingShrinksToTheSmallestTable() {
    ReadIndex index = new ReadIndex();
    for (int i = 0; i < 10_000; i++) {
      index.put("key-" + i, entry("key-" + i, 1), NO_NODE_SLOT);
    }
    for (int i = 0; i < 10_000; i++) {
      index.remove("key-" + i);
    }
    assertThat(index.size()).isZero();
    assertThat(index.capacity()).isEqualTo(16);
    assertThat(index.get("key-1")).isNull();
  }

  @Test
  void aLiveReadReturnsAValueUntilTheExactMillisecondItExpires() {
    MutableClock clock = MutableClock.at(T0);
    ReadIndex index = ReadIndex.withExpiry();
    long expiresAt = T0.plusSeconds(30).toEpochMilli();
    index.put("session/1", entry("session/1", 1), expiresAt, NO_NODE_SLOT);

    assertThat(version(index.getLive("session/1", clock))).isEqualTo(1);
    assertThat(version(index.getLive(new String("session/1".toCharArray()), clock))).isEqualTo(1);
    clock.set(Instant.ofEpochMilli(expiresAt - 1));
    assertThat(version(index.getLive("session/1", clock))).isEqualTo(1);
    clock.set(Instant.ofEpochMilli(expiresAt));
    assertThat(index.getLive("session/1", clock)).isNull();
    assertThat(index.getLive("session/2", clock)).isNull();

    // A new expiry replaces the old one with the value.
    index.put("session/1", entry("session/1", 2), expiresAt + 1_000, NO_NODE_SLOT);
    assertThat(version(index.getLive("session/1", clock))).isEqualTo(2);
    index.remove("session/1");
    assertThat(index.getLive("session/1", clock)).isNull();
  }

  @Test
  void expiriesSurviveRebuilds() {
    MutableClock clock = MutableClock.at(T0);
    ReadIndex index = ReadIndex.withExpiry();
    long now = T0.toEpochMilli();
    for (int i = 0; i < 5_000; i++) {
      // Even keys have expired already, odd ones expire in i seconds.
      index.put("k/" + i, entry("k/" + i, 1), i % 2 == 0 ? now : now + 1_000L * i, NO_NODE_SLOT);
    }
    for (int i = 0; i < 4_000; i++) {
      index.remove("k/" + i);
    }
    assertThat(index.capacity()).isLessThan(8_192);
    for (int i = 4_000; i < 5_000; i++) {
      boolean expired = i % 2 == 0;
      assertThat(index.getLive("k/" + i, clock) == null).as("k/" + i).isEqualTo(expired);
    }
    clock.set(Instant.ofEpochMilli(now + 4_500_000L));
    for (int i = 4_001; i < 5_000; i += 2) {
      boolean expired = i <= 4_500;
      assertThat(index.getLive("k/" + i, clock) == null).as("k/" + i).isEqualTo(expired);
    }
  }

  @Test
  void eachKindOfIndexRefusesTheOtherKindsWrite() {
    assertThatThrownBy(() -> new ReadIndex().put("a", entry("a", 1), 5L, NO_NODE_SLOT))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ReadIndex.withExpiry().put("a", entry("a", 1), NO_NODE_SLOT))
        .isInstanceOf(IllegalStateException.class);
  }

  /**
   * One writer alternates a key between versions that have expired (odd) and versions that have
   * not (even), so a reader that paired a value with another write's expiry would return an odd
   * version. Readers must see only even versions of the key asked, never going back.
   */
  @Test
  void concurrentLiveReadsNeverPairAValueWithAnotherWritesExpiry() throws Exception {
    String[] keys = keys("ttl/key-", 64);
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    long past = T0.toEpochMilli() - 1;
    long future = T0.toEpochMilli() + 60_000;
    ReadIndex index = ReadIndex.withExpiry();
    long[] versions = new long[keys.length];
    race(keys, (random, write) -> {
      int k = random.nextInt(keys.length);
      long version = ++versions[k];
      index.put(keys[k], entry(keys[k], version), version % 2 == 0 ? future : past, NO_NODE_SLOT);
    }, (random, k) -> {
      Optional<Entry> value = index.getLive(keys[k], clock);
      if (value != null && value.orElseThrow().version() % 2 != 0) {
        throw new AssertionError(keys[k] + " returned expired version " + value.orElseThrow().version());
      }
      return value;
    });
  }

  /**
   * One writer changes values, removes and re-adds keys and grows and shrinks the table, as the
   * namespace lock allows; readers check that a read only ever returns a value written for the key
   * asked, and never one older than a value that thread already saw for that key.
   */
  @Test
  void concurrentReadersSeeOnlyTheirKeysValuesAndNeverGoBack() throws Exception {
    String[] keys = keys("ns/key-", 2_000);
    ReadIndex index = new ReadIndex();
    long[] version = {0};
    race(keys, (random, write) -> {
      // Alternate between filling all keys and draining most of them, so the table grows,
      // shrinks and rebuilds while readers run.
      boolean fill = (write / 20_000) % 2 == 0;
      String key = keys[random.nextInt(keys.length)];
      if (fill || random.nextInt(10) == 0) {
        index.put(key, entry(key, ++version[0]), NO_NODE_SLOT);
      } else {
        index.remove(key);
      }
    }, (random, k) -> {
      // Ask with a copy half the time, to take the equals path as well as the identity one.
      return index.get(random.nextBoolean() ? keys[k] : new String(keys[k].toCharArray()));
    });
  }

  /**
   * As above, but most writes overwrite a key that is there in place, by the slot the writer found
   * for it, while others add and remove keys so that the table rebuilds and slots move. The writer
   * checks that the slot it found still holds the key's node slot.
   */
  @Test
  void concurrentReadersSeeInPlaceOverwritesWholeAndInOrder() throws Exception {
    String[] keys = keys("ns/key-", 2_000);
    Map<String, NamespaceTable.Slot> nodeSlots = new HashMap<>();
    ReadIndex index = new ReadIndex();
    long[] version = {0};
    race(keys, (random, write) -> {
      boolean fill = (write / 20_000) % 2 == 0;
      String key = keys[random.nextInt(keys.length)];
      int i = index.liveSlot(key);
      if (i >= 0 && random.nextInt(4) != 0) {
        if (index.nodeSlotAt(i) != nodeSlots.get(key)) {
          throw new AssertionError(key + " lost its node slot");
        }
        index.replaceAt(i, entry(key, ++version[0]));
      } else if (fill || random.nextInt(10) == 0) {
        NamespaceTable.Slot slot = i >= 0 ? nodeSlots.get(key) : new NamespaceTable.Slot(null);
        nodeSlots.put(key, slot);
        index.put(key, entry(key, ++version[0]), slot);
      } else {
        index.remove(key);
        nodeSlots.remove(key);
      }
    }, (random, k) -> index.get(random.nextBoolean() ? keys[k] : new String(keys[k].toCharArray())));
  }

  private static String[] keys(String prefix, int count) {
    String[] keys = new String[count];
    for (int i = 0; i < count; i++) {
      keys[i] = prefix + i;
    }
    return keys;
  }

  /** One write of a race, given the writer's random source and how many writes came before. */
  private interface Write {
    void run(Random random, long write);
  }

  /** One read of key {@code keys[k]} in a race: its result, or null for none. */
  private interface Read {
    Optional<Entry> run(Random random, int k);
  }

  /**
   * Runs 400,000 writes on one thread (the index allows one writer at a time) beside three reader
   * threads. Every read that returns a value must hold the key asked and a version no older than
   * the last that reader saw for that key. Readers go on after the writer stops until each has
   * 1,000 hits, so a reader that the scheduler starved during the writes still checks something.
   */
  private static void race(String[] keys, Write write, Read read) throws Exception {
    long writes = 400_000;
    int readers = 3;
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
    CountDownLatch started = new CountDownLatch(readers + 1);
    try {
      Future<Long> writer = pool.submit(() -> {
        started.countDown();
        started.await();
        Random random = new Random(1);
        for (long w = 0; w < writes; w++) {
          write.run(random, w);
        }
        stop.set(true);
        return writes;
      });
      List<Future<Long>> readerResults = new ArrayList<>();
      for (int r = 0; r < readers; r++) {
        int seed = r;
        readerResults.add(pool.submit(() -> {
          started.countDown();
          started.await();
          Random random = new Random(100 + seed);
          long[] seen = new long[keys.length];
          long hits = 0;
          while (!stop.get() || hits < 1_000) {
            int k = random.nextInt(keys.length);
            Optional<Entry> value = read.run(random, k);
            if (value == null) {
              continue;
            }
            hits++;
            Entry got = value.orElseThrow();
            if (!got.key().equals(keys[k])) {
              throw new AssertionError("asked " + keys[k] + ", got the value of " + got.key());
            }
            if (got.version() < seen[k]) {
              throw new AssertionError(keys[k] + " went back from " + seen[k] + " to " + got.version());
            }
            seen[k] = got.version();
          }
          return hits;
        }));
      }
      assertThat(writer.get(60, TimeUnit.SECONDS)).isEqualTo(writes);
      for (Future<Long> reader : readerResults) {
        assertThat(reader.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(1_000L);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }
}
