package io.kv.benchmarks;

import io.kv.Entry;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-key reads and writes of the memory store beside a plain {@link ConcurrentHashMap} holding
 * the same keys, measured in the same run so that the ratio between them means something on a
 * noisy machine.
 *
 * <p>Every store and map is filled with {@link #keyCount} hierarchical keys before measuring, and
 * every operation hits a key that is there: reads are hits, writes replace an existing entry.
 * Each thread walks the keys in one fixed random order through its own {@link Cursor}, so consecutive operations
 * touch different keys. The stores run on {@link Clock#systemUTC()}, the clock a user gets.
 *
 * <p>JMH creates and drives instances of this class; it is not meant to be used otherwise.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class GetPutBenchmark {
  /** The namespace every benchmark reads and writes. */
  static final String NAMESPACE = "bench";

  /** A TTL long enough that no entry expires during a run, yet every read must check it. */
  static final Duration TTL = Duration.ofDays(365);

  /**
   * How many distinct keys the map and the stores hold: 10k stay in the CPU caches, 1M do not,
   * which is where a lookup costs what the issue measured (~22 ns for the map).
   */
  @Param({"10000", "1000000"})
  public int keyCount;

  private String[] keys;
  /** The keys in a fixed random order: the order reads and writes visit them. */
  private String[] order;
  /**
   * {@link #order} again, each key a new String object equal to the stored one: what a caller
   * that builds its keys at run time passes, so that a lookup compares characters.
   */
  private String[] equalOrder;
  private Value value;
  private ConcurrentHashMap<String, Object> map;
  private MemoryKvStore store;
  private MemoryKvStore ttlStore;

  /**
   * The position of one benchmark thread in the key array. Each thread has its own, so threads
   * do not contend on it.
   */
  @State(Scope.Thread)
  public static class Cursor {
    private int index;

    /** The next key in order, wrapping around at the end. */
    String next(String[] keys) {
      int i = index;
      index = i + 1 == keys.length ? 0 : i + 1;
      return keys[i];
    }
  }

  /**
   * Builds the keys and fills the map and both stores: {@code store} without a TTL and {@code
   * ttlStore} with {@link #TTL}, so the two differ only in the expiry check on read.
   *
   * @throws IllegalArgumentException if {@link #keyCount} is not positive
   * @throws IllegalStateException if a store does not return what was written
   */
  @Setup(Level.Trial)
  public void setUp() {
    if (keyCount < 1) {
      throw new IllegalArgumentException("keyCount must be positive, was " + keyCount);
    }
    keys = new String[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = "config/service-" + i + "/setting";
    }
    value = Value.string("jdbc:postgresql://db.internal:5432/orders?sslmode=require");

    map = new ConcurrentHashMap<>();
    store = MemoryKvStore.builder().clock(Clock.systemUTC()).build();
    ttlStore = MemoryKvStore.builder().clock(Clock.systemUTC()).build();
    WriteOptions withTtl = WriteOptions.ttl(TTL);
    for (String key : keys) {
      // The map holds a value of its own per key, as the store does: a map holding one shared
      // object for every key is not a store, and measures faster for it.
      map.put(key, store.put(NAMESPACE, key, value, WriteOptions.none()));
      ttlStore.put(NAMESPACE, key, value, withTtl);
    }

    // Visit the keys in an order unrelated to the one they were written in, as an application
    // would; walking them in insertion order would reward whichever structure happened to be
    // laid out in that order in memory.
    order = keys.clone();
    Collections.shuffle(Arrays.asList(order), new Random(42));
    equalOrder = new String[keyCount];
    for (int i = 0; i < keyCount; i++) {
      equalOrder[i] = new String(order[i].toCharArray());
    }

    // A benchmark of misses would look fast and mean nothing: check that reads will hit.
    String probe = keys[keyCount - 1];
    Entry plain = store.get(NAMESPACE, probe)
        .orElseThrow(() -> new IllegalStateException("store lost " + probe));
    Entry expiring = ttlStore.get(NAMESPACE, probe)
        .orElseThrow(() -> new IllegalStateException("ttlStore lost " + probe));
    if (plain.expiresAt().isPresent() || expiring.expiresAt().isEmpty()) {
      throw new IllegalStateException("entries do not have the expiry this benchmark relies on");
    }
  }

  /** Closes both stores. */
  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    ttlStore.close();
  }

  /** Baseline: {@link ConcurrentHashMap#get} of a key that is there. */
  @Benchmark
  public Object chmGet(Cursor cursor) {
    return map.get(cursor.next(order));
  }

  /** {@code get} of an entry written without a TTL. */
  @Benchmark
  public Optional<Entry> storeGet(Cursor cursor) {
    return store.get(NAMESPACE, cursor.next(order));
  }

  /** Baseline: {@link ConcurrentHashMap#get} with a key equal to the stored one, not the same object. */
  @Benchmark
  public Object chmGetEqualKey(Cursor cursor) {
    return map.get(cursor.next(equalOrder));
  }

  /** {@code get} without a TTL, with a key equal to the stored one, not the same object. */
  @Benchmark
  public Optional<Entry> storeGetEqualKey(Cursor cursor) {
    return store.get(NAMESPACE, cursor.next(equalOrder));
  }

  /** {@code get} of an entry written with a TTL, so the read compares its expiry with the clock. */
  @Benchmark
  public Optional<Entry> storeGetWithTtl(Cursor cursor) {
    return ttlStore.get(NAMESPACE, cursor.next(order));
  }

  /** Baseline: {@link ConcurrentHashMap#put} replacing the value of a key that is there. */
  @Benchmark
  public Object chmPut(Cursor cursor) {
    return map.put(cursor.next(order), value);
  }

  /** {@code put} without options, replacing an entry that is there with a new version. */
  @Benchmark
  public Entry storePut(Cursor cursor) {
    return store.put(NAMESPACE, cursor.next(order), value);
  }
}
