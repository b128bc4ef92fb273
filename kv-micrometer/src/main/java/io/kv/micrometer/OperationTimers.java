package io.kv.micrometer;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@code kv.operations} timers of one decorated store and all its views. The timer of an
 * (operation, namespace, outcome) is registered on first use and kept, so a call costs one map
 * lookup and one array read, and allocates nothing. At most {@code maxNamespaces} namespaces get
 * their own tag value; the others share {@value #OTHER}, so that namespace names an application
 * makes up without bound cannot grow the registry without bound. Thread-safe.
 */
final class OperationTimers {
  static final String NAME = "kv.operations";
  static final String OTHER = "other";
  /** The namespace tag of operations that concern no one namespace ({@code namespaces().list()}). */
  static final String NONE = "none";

  private static final Operation[] OPERATIONS = Operation.values();
  private static final Outcome[] OUTCOMES = Outcome.values();

  private final MeterRegistry registry;
  private final Clock clock;
  private final Tags tags;
  private final int maxNamespaces;
  private final ConcurrentHashMap<String, NamespaceTimers> byNamespace = new ConcurrentHashMap<>();
  private final AtomicInteger tagged = new AtomicInteger();
  private final NamespaceTimers other;
  private final NamespaceTimers none;

  OperationTimers(MeterRegistry registry, Tags tags, int maxNamespaces) {
    this.registry = registry;
    this.clock = registry.config().clock();
    this.tags = tags;
    this.maxNamespaces = maxNamespaces;
    this.other = new NamespaceTimers(OTHER);
    this.none = new NamespaceTimers(NONE);
  }

  /** The registry clock's monotonic time, to pass to {@link #record}. */
  long start() {
    return clock.monotonicTime();
  }

  /** Records the time since {@code start} for {@code operation} in {@code namespace} (null: none). */
  void record(Operation operation, String namespace, Outcome outcome, long start) {
    long elapsed = clock.monotonicTime() - start;
    forNamespace(namespace).timer(operation, outcome).record(elapsed, TimeUnit.NANOSECONDS);
  }

  /** Runs {@code call} and times it; the outcome is success unless it throws. */
  <T> T time(Operation operation, String namespace, Supplier<T> call) {
    return time(operation, namespace, call, result -> true);
  }

  /**
   * Runs {@code call} and times it; the outcome is success if {@code found} holds for the result,
   * not_found if not, and follows the exception if it throws.
   */
  <T> T time(Operation operation, String namespace, Supplier<T> call, Predicate<? super T> found) {
    long start = start();
    Outcome outcome = Outcome.ERROR;
    try {
      T result = call.get();
      outcome = found.test(result) ? Outcome.SUCCESS : Outcome.NOT_FOUND;
      return result;
    } catch (RuntimeException | Error e) {
      outcome = Outcome.of(e);
      throw e;
    } finally {
      record(operation, namespace, outcome, start);
    }
  }

  private NamespaceTimers forNamespace(String namespace) {
    if (namespace == null) {
      return none;
    }
    NamespaceTimers timers = byNamespace.get(namespace);
    if (timers != null) {
      return timers;
    }
    if (tagged.get() >= maxNamespaces) {
      return other;
    }
    timers = byNamespace.computeIfAbsent(namespace,
        n -> tagged.getAndIncrement() < maxNamespaces ? new NamespaceTimers(n) : null);
    return timers != null ? timers : other;
  }

  /** The timers of one namespace tag value, one slot per (operation, outcome), filled on first use. */
  private final class NamespaceTimers {
    private final String namespace;
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(OPERATIONS.length * OUTCOMES.length);

    NamespaceTimers(String namespace) {
      this.namespace = namespace;
    }

    Timer timer(Operation operation, Outcome outcome) {
      int slot = operation.ordinal() * OUTCOMES.length + outcome.ordinal();
      Timer timer = timers.get(slot);
      if (timer == null) {
        // Two threads may both register: the registry hands both the same timer.
        timer = Timer.builder(NAME)
            .description("kv store operations by operation, namespace and outcome")
            .tags(tags)
            .tag("operation", operation.tag)
            .tag("namespace", namespace)
            .tag("outcome", outcome.tag)
            .register(registry);
        timers.set(slot, timer);
      }
      return timer;
    }
  }
}
