package io.kv.benchmarks;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.memory.MemoryKvStore;
import java.time.Clock;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code get} through the kv-core layer stack over the memory store, from a plain namespace,
 * beside {@link ConcurrentHashMap#get} of the same keys: what the layers cost on the hottest path.
 *
 * <p>Rows: stack-get ({@link #stackGet}: encryption configured, audit and permissions off) and
 * stack-get-full ({@link #stackGetFull}: the same with {@code Grants} permissions and an audit
 * sink that drops records), both over {@link #chmGet}; 10^4 keys. {@link #backendGet}, the
 * store alone, shows what the layers add. JMH creates and drives instances of this class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {Jvm.MIN_HEAP, Jvm.MAX_HEAP, Jvm.PRE_TOUCH})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
public class StackBenchmark {
  private static final int KEY_COUNT = 10_000;

  private String[] order;
  private ConcurrentHashMap<String, Object> map;
  private MemoryKvStore backend;
  private KvStore stack;
  private KvStore fullStack;

  /** Fills the store through the stack, and the map with the entries the stack returned. */
  @Setup(Level.Trial)
  public void setUp() {
    String[] keys = Data.keys(KEY_COUNT);
    backend = MemoryKvStore.builder().clock(Clock.systemUTC()).build();
    stack = Stacks.encrypting(backend);
    fullStack = Stacks.full(backend, MemoryBenchmark.NAMESPACE);
    map = new ConcurrentHashMap<>();
    for (int i = 0; i < KEY_COUNT; i++) {
      map.put(keys[i], stack.put(MemoryBenchmark.NAMESPACE, keys[i], Data.value(i)));
    }
    order = Data.shuffled(keys);
    Checks.hit(stack.get(MemoryBenchmark.NAMESPACE, order[0]), order[0]);
    Checks.hit(fullStack.get(MemoryBenchmark.NAMESPACE, order[0]), order[0]);
  }

  /** Closes the backend. */
  @TearDown(Level.Trial)
  public void tearDown() {
    backend.close();
  }

  /** Baseline: {@link ConcurrentHashMap#get} of a key that is there. */
  @Benchmark
  public Object chmGet(Cursor cursor) {
    return map.get(cursor.next(order));
  }

  /** The memory store under the stacks, alone: what the layers add is the rest of a stack row. */
  @Benchmark
  public Optional<Entry> backendGet(Cursor cursor) {
    return backend.get(MemoryBenchmark.NAMESPACE, cursor.next(order));
  }

  /** The stack with encryption only, plain namespace. */
  @Benchmark
  public Optional<Entry> stackGet(Cursor cursor) {
    return stack.get(MemoryBenchmark.NAMESPACE, cursor.next(order));
  }

  /** The stack with encryption, permissions and audit, plain namespace. */
  @Benchmark
  public Optional<Entry> stackGetFull(Cursor cursor) {
    return fullStack.get(MemoryBenchmark.NAMESPACE, cursor.next(order));
  }
}
