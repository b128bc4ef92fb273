package io.kv.junit;

import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.core.KvStores;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test a fresh {@link KvStore} on a {@link MutableClock} of
 * its own, and closes the store after the test. Register it on a field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final KvStoreExtension kv = KvStoreExtension.memory()
 *     .stack(builder -> builder.requireDeclaredNamespaces())
 *     .namespace("config");
 *
 * @Test
 * void entryExpires(KvStore store, MutableClock clock) {
 *   store.put("config", "flag", Value.of("on"), WriteOptions.ttl(Duration.ofMinutes(1)));
 *   clock.advance(Duration.ofMinutes(2));
 *   assertThat(store.get("config", "flag")).isEmpty();
 * }
 * }</pre>
 *
 * <p>Before each test the extension sets a new clock to the start instant, builds the backend on
 * it, wraps it in a {@link KvStores} stack if {@link #stack} asked for one, and creates the
 * declared namespaces through the top of the stack. Test methods (and {@code @BeforeEach}
 * methods) receive the store and the clock as {@link KvStore} and {@link MutableClock}
 * parameters; {@link #store()} and {@link #clock()} return the same objects.
 *
 * <p>Immutable: each configuration method returns a new extension. Thread-safe; under parallel
 * execution with one extension shared by concurrent tests, take the store and clock as parameters,
 * since {@link #store()} and {@link #clock()} see the test that started last.
 */
public final class KvStoreExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KvStoreExtension.class);

  private final Function<? super Clock, ? extends KvStore> backend;
  private final Consumer<? super KvStores.Builder> stack;
  private final Map<String, NamespaceSettings> namespaces;
  private final Instant start;
  private volatile Running current;

  private KvStoreExtension(Function<? super Clock, ? extends KvStore> backend, Consumer<? super KvStores.Builder> stack,
      Map<String, NamespaceSettings> namespaces, Instant start) {
    this.backend = backend;
    this.stack = stack;
    this.namespaces = namespaces;
    this.start = start;
  }

  /**
   * An extension that gives each test a new memory store, starting at 2030-01-01T00:00:00Z.
   *
   * @return an extension over the memory store, with no stack and no declared namespaces
   */
  public static KvStoreExtension memory() {
    return over(clock -> MemoryKvStore.builder().clock(clock).build());
  }

  /**
   * An extension that gives each test the store {@code backend} builds on the test's clock, such
   * as a JDBC store on a new database. The extension closes it after the test.
   *
   * @param backend builds a new store on the clock it is given; called once before each test
   * @return an extension over that backend, with no stack and no declared namespaces
   * @throws NullPointerException if {@code backend} is null
   */
  public static KvStoreExtension over(Function<? super Clock, ? extends KvStore> backend) {
    return new KvStoreExtension(Objects.requireNonNull(backend, "backend"), null, Map.of(), MutableClock.fixed().instant());
  }

  /**
   * The same extension, with the backend wrapped in a {@link KvStores} stack that {@code
   * configure} sets up. The extension sets the stack's clock; {@code configure} must not.
   *
   * @param configure adds layers to the stack's builder; called once before each test
   * @return a new extension; this one is unchanged
   * @throws NullPointerException if {@code configure} is null
   * @throws IllegalStateException if a stack was already configured
   */
  public KvStoreExtension stack(Consumer<? super KvStores.Builder> configure) {
    Objects.requireNonNull(configure, "configure");
    if (stack != null) {
      throw new IllegalStateException("stack was already configured");
    }
    return new KvStoreExtension(backend, configure, namespaces, start);
  }

  /**
   * The same extension, with {@code name} created with default settings before each test.
   *
   * @param name the namespace to create
   * @return a new extension; this one is unchanged
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalStateException if {@code name} was already declared
   */
  public KvStoreExtension namespace(String name) {
    return namespace(name, NamespaceSettings.defaults());
  }

  /**
   * The same extension, with {@code name} created with {@code settings} before each test.
   *
   * @param name the namespace to create
   * @param settings the settings it is created with
   * @return a new extension; this one is unchanged
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if {@code name} was already declared
   */
  public KvStoreExtension namespace(String name, NamespaceSettings settings) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
    if (namespaces.containsKey(name)) {
      throw new IllegalStateException("namespace " + name + " was already declared");
    }
    Map<String, NamespaceSettings> more = new LinkedHashMap<>(namespaces);
    more.put(name, settings);
    // Kept in declaration order, so a test may declare namespaces that depend on each other.
    return new KvStoreExtension(backend, stack, Collections.unmodifiableMap(more), start);
  }

  /**
   * The same extension, with each test's clock starting at {@code instant}.
   *
   * @param instant where each test's clock starts
   * @return a new extension; this one is unchanged
   * @throws NullPointerException if {@code instant} is null
   */
  public KvStoreExtension startingAt(Instant instant) {
    return new KvStoreExtension(backend, stack, namespaces, Objects.requireNonNull(instant, "instant"));
  }

  /**
   * The running test's store.
   *
   * @return the running test's store (the top of its stack, if any), the object its parameters get
   * @throws IllegalStateException outside a test
   */
  public KvStore store() {
    return running().store();
  }

  /**
   * The running test's clock.
   *
   * @return the clock the running test's store reads, the object its parameters get
   * @throws IllegalStateException outside a test
   */
  public MutableClock clock() {
    return running().clock();
  }

  /** Builds the test's store; called by JUnit. */
  @Override
  public void beforeEach(ExtensionContext context) {
    MutableClock clock = MutableClock.at(start);
    KvStore store = open(clock);
    Running running = new Running(clock, store);
    context.getStore(NAMESPACE).put(this, running);
    current = running;
  }

  /** Closes the test's store; called by JUnit. */
  @Override
  public void afterEach(ExtensionContext context) {
    Running running = context.getStore(NAMESPACE).remove(this, Running.class);
    if (running == null) {
      return;
    }
    if (current == running) {
      current = null;
    }
    running.store().close();
  }

  /** Whether a parameter is a {@link KvStore} or a {@link MutableClock}; called by JUnit. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KvStore.class || type == MutableClock.class;
  }

  /** The running test's store or clock; called by JUnit. */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Running running = context.getStore(NAMESPACE).get(this, Running.class);
    if (running == null) {
      throw new ParameterResolutionException("KvStoreExtension resolves " + parameter.getParameter().getType().getSimpleName()
          + " only in test and @BeforeEach/@AfterEach methods, not in " + parameter.getDeclaringExecutable());
    }
    return parameter.getParameter().getType() == KvStore.class ? running.store() : running.clock();
  }

  @Override
  public String toString() {
    return "KvStoreExtension[stack=" + (stack != null) + ", namespaces=" + namespaces.keySet() + ", start=" + start + "]";
  }

  private KvStore open(MutableClock clock) {
    KvStore base = Objects.requireNonNull(backend.apply(clock), "backend returned null");
    KvStore store = base;
    try {
      if (stack != null) {
        KvStores.Builder builder = KvStores.builder(base).clock(clock);
        stack.accept(builder);
        store = builder.build();
      }
      for (Map.Entry<String, NamespaceSettings> ns : namespaces.entrySet()) {
        store.namespaces().create(ns.getKey(), ns.getValue());
      }
      return store;
    } catch (RuntimeException | Error e) {
      // The test never sees this store, so nothing else would close it.
      store.close();
      if (store != base) {
        base.close();
      }
      throw e;
    }
  }

  private Running running() {
    Running running = current;
    if (running == null) {
      throw new IllegalStateException("no test is running with this KvStoreExtension");
    }
    return running;
  }

  /** One test's clock and store. */
  private record Running(MutableClock clock, KvStore store) {}
}
