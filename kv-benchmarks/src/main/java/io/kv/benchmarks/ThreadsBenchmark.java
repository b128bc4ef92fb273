package io.kv.benchmarks;

import io.kv.Entry;
import io.kv.memory.MemoryKvStore;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Memory store reads of 10^4 keys on one thread and on two, for the two-thread-get row: reads
 * take no lock, so two threads should do nearly twice the work of one.
 *
 * <p>Both methods report the average time of one {@code get} on one thread; the throughput ratio
 * is {@code 2 * getOneThread / getTwoThreads}. On a machine with two cores that other work
 * shares, the second thread competes with it too. JMH creates and drives instances of this
 * class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {Jvm.MIN_HEAP, Jvm.MAX_HEAP, Jvm.PRE_TOUCH})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
public class ThreadsBenchmark {
  private static final int KEY_COUNT = 10_000;

  private String[] order;
  private MemoryKvStore store;

  /** Fills the store. */
  @Setup(Level.Trial)
  public void setUp() {
    String[] keys = Data.keys(KEY_COUNT);
    store = MemoryKvStore.builder().clock(Clock.systemUTC()).build();
    for (int i = 0; i < KEY_COUNT; i++) {
      store.put(MemoryBenchmark.NAMESPACE, keys[i], Data.value(i));
    }
    order = Data.shuffled(keys);
    Checks.hit(store.get(MemoryBenchmark.NAMESPACE, order[0]), order[0]);
  }

  /** Closes the store. */
  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  /** {@code get} on one thread. */
  @Benchmark
  @Threads(1)
  public Optional<Entry> getOneThread(Cursor cursor) {
    return store.get(MemoryBenchmark.NAMESPACE, cursor.next(order));
  }

  /** {@code get} on two threads at once, each walking the keys from its own place. */
  @Benchmark
  @Threads(2)
  public Optional<Entry> getTwoThreads(Cursor cursor) {
    return store.get(MemoryBenchmark.NAMESPACE, cursor.next(order));
  }
}
