package io.kv.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.kv.KvStore;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

class KvStoreExtensionTest {
  private static final Set<KvStore> SEEN = ConcurrentHashMap.newKeySet();

  @RegisterExtension
  final KvStoreExtension kv = KvStoreExtension.memory().namespace("config");

  private KvStore fromBeforeEach;

  @BeforeEach
  void keep(KvStore store) {
    fromBeforeEach = store;
  }

  // Two tests write the same key and both expect to find it absent first: whichever runs second
  // fails unless each gets a store of its own.
  @Test
  void firstTestGetsAnEmptyStoreOfItsOwn(KvStore store) {
    assertThat(SEEN.add(store)).isTrue();
    assertThat(store.get("config", "k")).isEmpty();
    store.put("config", "k", Value.string("first"));
  }

  @Test
  void secondTestGetsAnEmptyStoreOfItsOwn(KvStore store) {
    assertThat(SEEN.add(store)).isTrue();
    assertThat(store.get("config", "k")).isEmpty();
    store.put("config", "k", Value.string("second"));
  }

  @Test
  void parametersAccessorsAndBeforeEachSeeTheSameStoreAndClock(KvStore store, MutableClock clock) {
    assertThat(store).isSameAs(kv.store()).isSameAs(fromBeforeEach);
    assertThat(clock).isSameAs(kv.clock());
    assertThat(clock.instant()).isEqualTo(MutableClock.fixed().instant());
    assertThat(store.namespaces().get("config")).isPresent();
  }

  @Test
  void movingTheClockExpiresEntries(KvStore store, MutableClock clock) {
    store.put("config", "session", Value.string("s1"), WriteOptions.ttl(Duration.ofMinutes(5)));
    clock.advance(Duration.ofMinutes(4));
    assertThat(store.get("config", "session")).isPresent();
    clock.advance(Duration.ofMinutes(2));
    assertThat(store.get("config", "session")).isEmpty();
  }

  @Test
  void configurationMethodsCheckTheirArguments() {
    KvStoreExtension memory = KvStoreExtension.memory();
    assertThatThrownBy(() -> memory.namespace(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> memory.namespace("a").namespace("a")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a");
    assertThatThrownBy(() -> memory.stack(b -> {}).stack(b -> {})).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> memory.startingAt(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(memory::store).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void eachTestsStoreIsClosedAfterTheTest() {
    ClosingProbe.OPENED.clear();
    ClosingProbe.CLOSED.clear();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(ClosingProbe.class)).build(), listener);
    TestExecutionSummary summary = listener.getSummary();

    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(summary.getTestsFailedCount()).isZero();
    assertThat(ClosingProbe.OPENED).hasSize(2).doesNotHaveDuplicates();
    assertThat(ClosingProbe.CLOSED).containsExactlyElementsOf(ClosingProbe.OPENED);
  }

  /**
   * Run through the launcher above: each test checks its store is still open, and the outer test
   * checks both were closed afterwards. Surefire may run it on its own too, where it passes alike.
   */
  static class ClosingProbe {
    static final List<KvStore> OPENED = new CopyOnWriteArrayList<>();
    static final List<KvStore> CLOSED = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final KvStoreExtension kv = KvStoreExtension.over(clock -> recordingClose(MemoryKvStore.builder().clock(clock).build()));

    @Test
    void one(KvStore store) {
      OPENED.add(store);
      assertThat(CLOSED).doesNotContain(store);
    }

    @Test
    void two(KvStore store) {
      OPENED.add(store);
      assertThat(CLOSED).doesNotContain(store);
    }

    private static KvStore recordingClose(KvStore inner) {
      KvStore[] self = new KvStore[1];
      InvocationHandler handler = (proxy, method, args) -> {
        // Identity, so the lists can tell the two tests' stores apart.
        if (method.getName().equals("equals") && method.getParameterCount() == 1) {
          return proxy == args[0];
        }
        if (method.getName().equals("hashCode") && method.getParameterCount() == 0) {
          return System.identityHashCode(proxy);
        }
        if (method.getName().equals("close") && method.getParameterCount() == 0) {
          CLOSED.add(self[0]);
        }
        try {
          return method.invoke(inner, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      };
      self[0] = (KvStore) Proxy.newProxyInstance(KvStore.class.getClassLoader(), new Class<?>[] {KvStore.class}, handler);
      return self[0];
    }
  }
}
