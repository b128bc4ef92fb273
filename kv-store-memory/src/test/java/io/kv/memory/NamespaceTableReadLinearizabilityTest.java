package io.kv.memory;

import static io.kv.memory.LincheckScenarios.parallel;
import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.Principal;
import io.kv.Value;
import io.kv.testkit.MutableClock;
import io.kv.testkit.SuiteFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model checking over one key of a {@link NamespaceTable}, written as the store writes
 * it (a version with a TTL, one without, an overwrite in place of the fast index, a delete, each
 * under the namespace lock) and read as {@link PrincipalView#get} reads it, with no lock: the fast
 * index, then {@link NamespaceTable#readPastFast}; or by node, as getAll, list and history read it,
 * with {@link NamespaceTable#nodeAsRead}. A key moves between the two read indexes and
 * its node slot as it changes between a TTL and none, and a read that finds it in neither index
 * falls back on the node; every history of reads must still be explainable by the writes done one
 * at a time, so a reader that sees a value and then an older one fails.
 *
 * <p>Three targeted scenarios (see {@link #targetedScenarios}) are always explored. Scenario
 * counts are small for CI; {@code -Dkv.lincheck.scenarios=N}
 * explores more random ones.
 */
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class NamespaceTableReadLinearizabilityTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final MutableClock CLOCK = MutableClock.at(T0);
  private static final long EXPIRES_AT = T0.plus(Duration.ofHours(1)).toEpochMilli();
  private static final String KEY = "k";
  private static final int MODEL_SCENARIOS = Integer.getInteger("kv.lincheck.scenarios", 1);

  private final NamespaceTable table = new NamespaceTable("ns");

  /** Public, as Lincheck makes a fresh instance for every run of a scenario. */
  public NamespaceTableReadLinearizabilityTest() {}

  private static Node node(Node cur, int value, long expiresAt) {
    long version = cur == null ? 1 : cur.entry.version() + 1;
    Entry entry = new Entry("ns", KEY, Value.number(value), version, T0, T0,
        expiresAt == Node.NO_EXPIRY ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expiresAt)), Map.of(), Set.of());
    return new Node(entry, expiresAt, ChangeType.UPDATED, Principal.ANONYMOUS, Optional.empty(), Node.NONE, true);
  }

  /** A write with a TTL. */
  @Operation
  public void putWithTtl(@Param(name = "value") int value) {
    table.lock.lock();
    try {
      Node cur = table.node(KEY);
      table.replace(KEY, cur, node(cur, value, EXPIRES_AT));
    } finally {
      table.lock.unlock();
    }
  }

  /** A write without a TTL: in place when the fast index holds the key, as the store's put does. */
  @Operation
  public void put(@Param(name = "value") int value) {
    table.lock.lock();
    try {
      int i = table.fast.liveSlot(KEY);
      if (i >= 0) {
        table.replaceInFast(i, node(table.fast.nodeSlotAt(i).node(), value, Node.NO_EXPIRY));
      } else {
        Node cur = table.node(KEY);
        table.replace(KEY, cur, node(cur, value, Node.NO_EXPIRY));
      }
    } finally {
      table.lock.unlock();
    }
  }

  @Operation
  public void delete() {
    table.lock.lock();
    try {
      Node cur = table.node(KEY);
      if (cur != null) {
        table.replace(KEY, cur, null);
      }
    } finally {
      table.lock.unlock();
    }
  }

  /** The store's read: the value written, or 0 for none. */
  @Operation
  public int get() {
    Optional<Entry> read = table.fast.get(KEY);
    if (read == null) {
      read = table.readPastFast(KEY, CLOCK);
    }
    return read == null || read.isEmpty() ? 0 : (int) read.orElseThrow().value().asNumber().longValue();
  }

  /** A read by nodes, as the store's getAll, list and history read: the value written, or 0 for none. */
  @Operation
  public int getByNode() {
    Node n = table.nodeAsRead(KEY);
    return n == null || n.expiredAt(CLOCK.millis()) ? 0 : (int) n.entry.value().asNumber().longValue();
  }

  @Test
  void modelChecking() {
    int invocations = 300;
    List<ExecutionScenario> targeted = targetedScenarios();
    ModelCheckingOptions options = LincheckScenarios.modelChecking(targeted, MODEL_SCENARIOS, invocations, Spec.class);
    // The key map and the sorted sets are tested classes of the JDK: one step each, so that the
    // exploration spends its budget on the orders of the store's own reads and writes.
    options.addGuarantee(forClasses(ConcurrentHashMap.class.getName(), TreeSet.class.getName(), TreeMap.class.getName(),
        ConcurrentSkipListSet.class.getName(), ConcurrentSkipListMap.class.getName()).allMethods().treatAsAtomic());
    options.check(getClass());
    Map<String, Long> figures = new LinkedHashMap<>();
    figures.put("scenarios", (long) MODEL_SCENARIOS + targeted.size());
    figures.put("invocations", (long) (MODEL_SCENARIOS + targeted.size()) * invocations);
    SuiteFigures.publish("read fallback linearizability (Lincheck model checking)", "memory", figures);
  }

  /**
   * A key gets a TTL and then loses it while read twice; the case of the fault as first seen, a key
   * with a TTL written twice without one (the second write in place), read twice; and the first
   * case read by node and then by {@code get}.
   */
  private static List<ExecutionScenario> targetedScenarios() {
    List<Actor> reads = List.of(actor("get"), actor("get"));
    return List.of(
        parallel(List.of(), List.of(actor("putWithTtl", 1), actor("put", 2)), reads),
        parallel(List.of(actor("putWithTtl", 1)), List.of(actor("put", 2), actor("put", 3)), reads),
        parallel(List.of(), List.of(actor("putWithTtl", 1), actor("put", 2)), List.of(actor("getByNode"), actor("get"))));
  }

  private static Actor actor(String operation, Object... args) {
    return LincheckScenarios.actor(NamespaceTableReadLinearizabilityTest.class, operation, args);
  }

  /** The sequential specification: one key's value, or 0 when it has none. */
  public static final class Spec {
    private int value;

    public void putWithTtl(int v) {
      value = v;
    }

    public void put(int v) {
      value = v;
    }

    public void delete() {
      value = 0;
    }

    public int get() {
      return value;
    }

    public int getByNode() {
      return value;
    }
  }
}
