package io.kv.memory;

import io.kv.AlreadyExistsException;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.NotFoundException;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.WriteOptions;
import io.kv.testkit.MutableClock;
import io.kv.testkit.SuiteFigures;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck over the memory store's single-key operations on two keys: every concurrent history it
 * runs or explores must be explainable by some order of the operations executed one at a time, as
 * {@link Spec} does them. Results are plain strings and numbers, so a lost write, a doubled version
 * or a conditional write that two racers both win shows as a result no order can give. Puts with
 * and without a TTL move a key between the store's two read indexes; the windows inside a write
 * that this rarely hits are explored by {@link NamespaceTableReadLinearizabilityTest}.
 *
 * <p>Stress mode: real threads run each scenario many times. Lincheck's model-checking mode reports
 * a hang on this store (a thread parked inside Lincheck's own switch point while it holds the
 * namespace's {@code ReentrantLock}) and needs minutes to do so, so it is not run here.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:2")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
@Param(name = "version", gen = IntGen.class, conf = "1:3")
public class MemoryKvStoreLinearizabilityTest {
  private static final WriteOptions ONE_HOUR = WriteOptions.ttl(Duration.ofHours(1));

  private final KvStore store =
      MemoryKvStore.builder().clock(MutableClock.fixed()).sweepInterval(Duration.ZERO).build();

  /** Public, as Lincheck makes a fresh instance for every run of a scenario. */
  public MemoryKvStoreLinearizabilityTest() {}

  @Operation
  public String get(@Param(name = "key") int key) {
    return store.get("n", "k" + key).map(MemoryKvStoreLinearizabilityTest::show).orElse("none");
  }

  @Operation
  public String put(@Param(name = "key") int key, @Param(name = "value") int value) {
    return show(store.put("n", "k" + key, Value.number(value)));
  }

  /**
   * A put with a TTL that does not run out (the clock stands still): the key moves between the
   * store's two read indexes as it gains and loses a TTL, and a read must not notice the move.
   */
  @Operation
  public String putWithTtl(@Param(name = "key") int key, @Param(name = "value") int value) {
    return show(store.put("n", "k" + key, Value.number(value), ONE_HOUR));
  }

  @Operation
  public String create(@Param(name = "key") int key, @Param(name = "value") int value) {
    try {
      return show(store.create("n", "k" + key, Value.number(value)));
    } catch (AlreadyExistsException e) {
      return "exists";
    }
  }

  @Operation
  public String update(@Param(name = "key") int key, @Param(name = "value") int value) {
    try {
      return show(store.update("n", "k" + key, Value.number(value)));
    } catch (NotFoundException e) {
      return "absent";
    }
  }

  @Operation
  public String compareAndSet(@Param(name = "key") int key, @Param(name = "version") int version,
      @Param(name = "value") int value) {
    try {
      return show(store.compareAndSet("n", "k" + key, version, Value.number(value)));
    } catch (VersionConflictException e) {
      return "conflict";
    }
  }

  @Operation
  public boolean delete(@Param(name = "key") int key) {
    return store.delete("n", "k" + key);
  }

  private static String show(Entry e) {
    return e.value().asString() + "@" + e.version();
  }

  @Test
  void stress() {
    int scenarios = 30;
    int invocations = 1000;
    new StressOptions()
        .iterations(scenarios)
        .invocationsPerIteration(invocations)
        .threads(3)
        .actorsPerThread(3)
        .sequentialSpecification(Spec.class)
        .check(getClass());
    Map<String, Long> figures = new LinkedHashMap<>();
    figures.put("scenarios", (long) scenarios);
    figures.put("concurrent runs", (long) scenarios * invocations);
    SuiteFigures.publish("linearizability (Lincheck stress)", "memory", figures);
  }

  /** The sequential specification: a map from key to value and version, one operation at a time. */
  public static final class Spec {
    private final Map<Integer, long[]> entries = new HashMap<>();

    public String get(int key) {
      long[] e = entries.get(key);
      return e == null ? "none" : e[0] + "@" + e[1];
    }

    public String put(int key, int value) {
      long[] e = entries.get(key);
      long[] next = {value, e == null ? 1 : e[1] + 1};
      entries.put(key, next);
      return next[0] + "@" + next[1];
    }

    public String putWithTtl(int key, int value) {
      return put(key, value);
    }

    public String create(int key, int value) {
      return entries.containsKey(key) ? "exists" : put(key, value);
    }

    public String update(int key, int value) {
      return entries.containsKey(key) ? put(key, value) : "absent";
    }

    public String compareAndSet(int key, int version, int value) {
      long[] e = entries.get(key);
      return e != null && e[1] == version ? put(key, value) : "conflict";
    }

    public boolean delete(int key) {
      return entries.remove(key) != null;
    }
  }
}
