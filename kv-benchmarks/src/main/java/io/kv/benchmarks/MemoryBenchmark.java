package io.kv.benchmarks;

import io.kv.Entry;
import io.kv.ListOptions;
import io.kv.Page;
import io.kv.Value;
import io.kv.memory.MemoryKvStore;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
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
 * The memory store beside a {@link ConcurrentHashMap} holding the same keys, at 10^4 keys (which
 * stay in the CPU caches) and 10^6 (which do not): {@code get}, {@code put} over an existing entry
 * of a plain namespace, and a prefix page of 100.
 *
 * <p>Rows: memory-get ({@link #storeGet} over {@link #chmGet}), memory-put ({@link #storePut} over
 * {@link #chmPut}, 10^4 keys), memory-get-scale ({@link #storeGetHot} at 10^6 over 10^4: the
 * same 10^4 keys read from a store holding 10^6 or 10^4) and the memory half of list-scale
 * ({@link #storeList} at 10^6 over 10^4). For information: {@link #chmGetHot}, what a map pays for
 * its size on memory-get-scale's reads, and the equal-key pair: a caller that builds its keys at
 * run time passes another String object than the stored one, and the lookup then compares
 * characters.
 *
 * <p>Every read hits; every write replaces an entry that is there. The store runs on {@link
 * Clock#systemUTC()}, as a user's does. JMH creates and drives instances of this class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {Jvm.MIN_HEAP, Jvm.MAX_HEAP, Jvm.PRE_TOUCH})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
public class MemoryBenchmark {
  static final String NAMESPACE = "bench";

  /** How many keys the map and the store hold. */
  @Param({"10000", "1000000"})
  public int keyCount;

  /** Warm-up of the put pair: see {@link #storePut}. */
  static final int PUT_WARMUP_ITERATIONS = 4;
  static final int PUT_WARMUP_SECONDS = 2;

  /** How many distinct keys {@link #storeGetHot} reads, at every store size. */
  static final int HOT_KEYS = 10_000;

  private String[] order;
  private String[] hot;
  private String[] equalOrder;
  private String[] prefixes;
  private Value[] values;
  private ConcurrentHashMap<String, Object> map;
  private MemoryKvStore store;
  private ListOptions[] pages;

  /**
   * Fills the map and the store with the same keys, each with a value object of its own (a map
   * holding one shared object for every key is not a store, and measures faster for it).
   *
   * @throws IllegalStateException if the store does not return what was written
   */
  @Setup(Level.Trial)
  public void setUp() {
    String[] keys = Data.keys(keyCount);
    map = new ConcurrentHashMap<>();
    store = MemoryKvStore.builder().clock(Clock.systemUTC()).build();
    values = new Value[keyCount];
    for (int i = 0; i < keyCount; i++) {
      values[i] = Data.value(i);
      map.put(keys[i], store.put(NAMESPACE, keys[i], values[i]));
    }
    order = Data.shuffled(keys);
    // put writes each key the value it already had, so the store's content is the same
    // throughout; shuffled with the keys' seed, values stay paired with their keys.
    values = Data.shuffled(values);
    equalOrder = Data.equalCopies(order);
    hot = Arrays.copyOf(order, Math.min(HOT_KEYS, order.length));
    String[] groupPrefixes = new String[Data.GROUPS];
    for (int g = 0; g < Data.GROUPS; g++) {
      groupPrefixes[g] = Data.groupPrefix(g);
    }
    prefixes = Data.shuffled(groupPrefixes);
    pages = new ListOptions[prefixes.length];
    for (int i = 0; i < prefixes.length; i++) {
      pages[i] = ListOptions.prefix(prefixes[i]).limit(100);
    }
    Checks.hit(store.get(NAMESPACE, order[0]), order[0]);
    Checks.fullPage(store.list(NAMESPACE, pages[0]), 100);
  }

  /** Closes the store. */
  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  /** Baseline: {@link ConcurrentHashMap#get} of a key that is there. */
  @Benchmark
  public Object chmGet(Cursor cursor) {
    return map.get(cursor.next(order));
  }

  /** {@code get} of an entry without a TTL, with the stored key object. */
  @Benchmark
  public Optional<Entry> storeGet(Cursor cursor) {
    return store.get(NAMESPACE, cursor.next(order));
  }

  /**
   * {@code get} of the same number of distinct keys ({@value #HOT_KEYS}, in random order) whatever
   * the store holds: the cost of the store's size alone. Reads spread evenly over all 10^6 keys
   * instead ({@link #storeGet}) measure the machine's memory latency, which a map pays as much.
   */
  @Benchmark
  public Optional<Entry> storeGetHot(Cursor cursor) {
    return store.get(NAMESPACE, cursor.next(hot));
  }

  /**
   * For information: {@link ConcurrentHashMap#get} of the same {@value #HOT_KEYS} keys as {@link
   * #storeGetHot}, what a map pays for its size on the same reads.
   */
  @Benchmark
  public Object chmGetHot(Cursor cursor) {
    return map.get(cursor.next(hot));
  }

  /** Baseline: {@link ConcurrentHashMap#get} with a key equal to the stored one, another object. */
  @Benchmark
  public Object chmGetEqualKey(Cursor cursor) {
    return map.get(cursor.next(equalOrder));
  }

  /** {@code get} with a key equal to the stored one, another object. */
  @Benchmark
  public Optional<Entry> storeGetEqualKey(Cursor cursor) {
    return store.get(NAMESPACE, cursor.next(equalOrder));
  }

  /**
   * Baseline: {@link ConcurrentHashMap#put} replacing the value of a key that is there. Warmed up
   * as long as {@link #storePut}, its pair.
   */
  @Benchmark
  @Warmup(iterations = PUT_WARMUP_ITERATIONS, time = PUT_WARMUP_SECONDS, timeUnit = TimeUnit.SECONDS)
  public Object chmPut(PairCursor cursor) {
    int i = cursor.next(order.length);
    return map.put(order[i], values[i]);
  }

  /**
   * {@code put} without options into a plain namespace, replacing an entry with a new version.
   * Warmed up longer than the reads: every put leaves its old version to the collector, and
   * measured here the first seconds run at two to three times the steady cost while the
   * collector sizes its young generation (about 350 ns, then 130 ns from the third second on).
   */
  @Benchmark
  @Warmup(iterations = PUT_WARMUP_ITERATIONS, time = PUT_WARMUP_SECONDS, timeUnit = TimeUnit.SECONDS)
  public Entry storePut(PairCursor cursor) {
    int i = cursor.next(order.length);
    return store.put(NAMESPACE, order[i], values[i]);
  }

  /** The first page of 100 entries under one of the 50 key prefixes, prefixes in random order. */
  @Benchmark
  public Page storeList(Cursor cursor) {
    return store.list(NAMESPACE, cursor.next(pages));
  }
}
