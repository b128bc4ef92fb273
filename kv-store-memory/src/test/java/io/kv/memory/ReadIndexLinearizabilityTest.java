package io.kv.memory;

import static io.kv.memory.LincheckScenarios.parallel;

import io.kv.Entry;
import io.kv.Value;
import io.kv.testkit.MutableClock;
import io.kv.testkit.SuiteFigures;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck over {@link ReadIndex} used as the store uses it: writes one at a time under a lock,
 * reads with no lock at all. Every history must be explainable by some order of the operations run
 * one at a time, as {@link Spec} does them; a reader that sees a torn slot, a value from before a
 * rebuild that was already replaced, or a value paired with another write's expiry gives a result
 * no order can give.
 *
 * <p>Each index starts with key 1 at version 1 and seven filler keys, one key short of the load at
 * which it grows, so that the first write of key 2 or 3 rebuilds the table while readers look for
 * key 1. In the index with expiries an odd version never expires and an even one has expired
 * already, so {@link #getLive} returning an even version means it paired a value with the expiry
 * of another write. A lock-free {@code getLive} may answer "ask the source of truth" while a write
 * is under way; the store then reads under its lock, and so does {@link #getLive} here.
 *
 * <p>Both of Lincheck's modes run: model checking explores thread switches at every shared access
 * (the index takes no lock of its own, so it does not hang as the whole store does), and stress
 * runs real threads. Two targeted scenarios (see {@link #targetedScenarios}) are always explored.
 * Scenario counts are kept small for CI (about 15 s together); {@code -Dkv.lincheck.scenarios=N}
 * runs more of each.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "version", gen = IntGen.class, conf = "1:4")
public class ReadIndexLinearizabilityTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final MutableClock CLOCK = MutableClock.at(T0);
  private static final int FILLERS = 7;
  /** Scenarios per mode; model checking explores each far more deeply, so it runs fewer. */
  private static final int MODEL_SCENARIOS = Integer.getInteger("kv.lincheck.scenarios", 3);
  private static final int STRESS_SCENARIOS = Integer.getInteger("kv.lincheck.scenarios", 12);

  private final Object lock = new Object();
  private final ReadIndex plain = new ReadIndex();
  private final ReadIndex expiring = ReadIndex.withExpiry();

  /** Public, as Lincheck makes a fresh instance for every run of a scenario. */
  public ReadIndexLinearizabilityTest() {
    for (int i = 0; i < FILLERS; i++) {
      String key = "filler-" + i;
      plain.put(key, value(key, 1), null);
      expiring.put(key, value(key, 1), expiresAt(1), null);
    }
    put(1, 1);
  }

  private static String key(int key) {
    return "k" + key;
  }

  private static Optional<Entry> value(String key, long version) {
    return Optional.of(new Entry("ns", key, Value.string("v"), version, T0, T0, Optional.empty(), Map.of(), Set.of()));
  }

  /** Odd versions live on, even ones expired a second before the clock. */
  private static long expiresAt(long version) {
    return version % 2 == 1 ? Long.MAX_VALUE : T0.toEpochMilli() - 1_000;
  }

  private static int version(Optional<Entry> value) {
    return value == null ? 0 : (int) value.orElseThrow().version();
  }

  @Operation
  public void put(@Param(name = "key") int key, @Param(name = "version") int version) {
    String k = key(key);
    synchronized (lock) {
      plain.put(k, value(k, version), null);
      expiring.put(k, value(k, version), expiresAt(version), null);
    }
  }

  /** The writer's path for a key that is there: overwrite the slot in place. */
  @Operation
  public void replace(@Param(name = "key") int key, @Param(name = "version") int version) {
    String k = key(key);
    synchronized (lock) {
      int slot = plain.liveSlot(k);
      if (slot >= 0) {
        plain.replaceAt(slot, value(k, version));
      } else {
        plain.put(k, value(k, version), null);
      }
      expiring.put(k, value(k, version), expiresAt(version), null);
    }
  }

  @Operation
  public void remove(@Param(name = "key") int key) {
    String k = key(key);
    synchronized (lock) {
      plain.remove(k);
      expiring.remove(k);
    }
  }

  /** A lock-free read; an equal key that is another object, so both probes of a read run. */
  @Operation
  public int get(@Param(name = "key") int key) {
    return version(plain.get(new String(key(key).toCharArray())));
  }

  /** A lock-free read of a live value, falling back to a read under the lock when it cannot tell. */
  @Operation
  public int getLive(@Param(name = "key") int key) {
    String k = key(key);
    Optional<Entry> seen = expiring.getLive(k, CLOCK);
    if (seen != null) {
      return version(seen);
    }
    synchronized (lock) {
      return version(expiring.getLive(k, CLOCK));
    }
  }

  /**
   * Scenarios model checking always explores, besides random ones: a rebuild while key 1 is read,
   * and an overwrite in place and a write of an expired version while key 1's value and expiry are
   * read.
   */
  private static List<ExecutionScenario> targetedScenarios() {
    return List.of(
        parallel(List.of(), List.of(actor("put", 2, 1)), List.of(actor("get", 1), actor("getLive", 1))),
        parallel(List.of(), List.of(actor("put", 1, 2), actor("replace", 1, 3)), List.of(actor("getLive", 1), actor("get", 1))));
  }

  private static Actor actor(String operation, Object... args) {
    return LincheckScenarios.actor(ReadIndexLinearizabilityTest.class, operation, args);
  }

  @Test
  void modelChecking() {
    int invocations = 200;
    List<ExecutionScenario> targeted = targetedScenarios();
    LincheckScenarios.modelChecking(targeted, MODEL_SCENARIOS, invocations, Spec.class).check(getClass());
    publish("model checking", MODEL_SCENARIOS + targeted.size(), invocations);
  }

  @Test
  void stress() {
    int invocations = 1_000;
    new StressOptions()
        .iterations(STRESS_SCENARIOS)
        .invocationsPerIteration(invocations)
        .threads(3)
        .actorsPerThread(3)
        .sequentialSpecification(Spec.class)
        .check(getClass());
    publish("stress", STRESS_SCENARIOS, invocations);
  }

  private static void publish(String mode, int scenarios, int invocations) {
    Map<String, Long> figures = new LinkedHashMap<>();
    figures.put("scenarios", (long) scenarios);
    figures.put("invocations", (long) scenarios * invocations);
    SuiteFigures.publish("ReadIndex linearizability (Lincheck " + mode + ")", "memory", figures);
  }

  /** The sequential specification: a map from key to version, one operation at a time. */
  public static final class Spec {
    private final Map<Integer, Integer> versions = new HashMap<>(Map.of(1, 1));

    public void put(int key, int version) {
      versions.put(key, version);
    }

    public void replace(int key, int version) {
      versions.put(key, version);
    }

    public void remove(int key) {
      versions.remove(key);
    }

    public int get(int key) {
      return versions.getOrDefault(key, 0);
    }

    public int getLive(int key) {
      int version = versions.getOrDefault(key, 0);
      return version % 2 == 1 ? version : 0;
    }
  }
}
