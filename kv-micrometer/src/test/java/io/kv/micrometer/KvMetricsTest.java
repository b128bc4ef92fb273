package io.kv.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.AlreadyExistsException;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.NotFoundException;
import io.kv.PermissionDeniedException;
import io.kv.Principal;
import io.kv.TransactionFailedException;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.core.Grants;
import io.kv.core.KvStores;
import io.kv.core.Permission;
import io.kv.memory.MemoryKvStore;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KvMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private long count(String operation, String namespace, String outcome) {
    Timer timer = registry.find(KvMetrics.OPERATIONS)
        .tags("operation", operation, "namespace", namespace, "outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void timesEachOperationWithItsNamespaceAndOutcome() {
    KvStore store = KvMetrics.timed(MemoryKvStore.create(), registry);

    store.put("app", "a", Value.string("1"));
    store.put("app", "b", Value.string("2"));
    store.get("app", "a");
    store.get("app", "missing");
    assertThatThrownBy(() -> store.create("app", "a", Value.string("x"))).isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> store.compareAndSet("app", "a", 99, Value.string("x"))).isInstanceOf(VersionConflictException.class);
    assertThatThrownBy(() -> store.update("app", "nope", Value.string("x"))).isInstanceOf(NotFoundException.class);
    assertThat(store.delete("app", "b")).isTrue();
    assertThat(store.delete("app", "b")).isFalse();
    store.count("other-ns");

    assertThat(count("put", "app", "success")).isEqualTo(2);
    assertThat(count("get", "app", "success")).isEqualTo(1);
    assertThat(count("get", "app", "not_found")).isEqualTo(1);
    assertThat(count("create", "app", "conflict")).isEqualTo(1);
    assertThat(count("compareAndSet", "app", "conflict")).isEqualTo(1);
    assertThat(count("update", "app", "not_found")).isEqualTo(1);
    assertThat(count("delete", "app", "success")).isEqualTo(1);
    assertThat(count("delete", "app", "not_found")).isEqualTo(1);
    assertThat(count("count", "other-ns", "success")).isEqualTo(1);
    assertThat(registry.find(KvMetrics.OPERATIONS).timers()).hasSize(9);
  }

  @Test
  void aTransactionIsTimedAsCommitAndAFailedCompareIsAConflict() {
    KvStore store = KvMetrics.timed(MemoryKvStore.create(), registry);

    store.transaction("bank").create("a", Value.number(10)).create("b", Value.number(0)).commit();
    assertThatThrownBy(() -> store.transaction("bank").versionIs("a", 7).put("a", Value.number(5)).commit())
        .isInstanceOf(TransactionFailedException.class);

    assertThat(count("commit", "bank", "success")).isEqualTo(1);
    assertThat(count("commit", "bank", "conflict")).isEqualTo(1);
  }

  @Test
  void timesNamespaceOperationsAndInvalidInputIsAnError() {
    KvStore store = KvMetrics.timed(MemoryKvStore.create(), registry);
    Namespaces namespaces = store.namespaces();

    namespaces.create("cfg", NamespaceSettings.defaults());
    assertThatThrownBy(() -> namespaces.create("cfg", NamespaceSettings.defaults())).isInstanceOf(AlreadyExistsException.class);
    assertThat(namespaces.get("absent")).isEmpty();
    namespaces.list();
    assertThat(namespaces.delete("absent", Namespaces.DeleteMode.REFUSE_IF_NOT_EMPTY)).isFalse();
    assertThatThrownBy(() -> store.put("cfg", "", Value.string("x"))).isInstanceOf(RuntimeException.class);

    assertThat(count("namespaces.create", "cfg", "success")).isEqualTo(1);
    assertThat(count("namespaces.create", "cfg", "conflict")).isEqualTo(1);
    assertThat(count("namespaces.get", "absent", "not_found")).isEqualTo(1);
    assertThat(count("namespaces.list", "none", "success")).isEqualTo(1);
    assertThat(count("namespaces.delete", "absent", "not_found")).isEqualTo(1);
    assertThat(count("put", "cfg", "error")).isEqualTo(1);
  }

  @Test
  void principalViewsOfAStackAreTimedAndDeniedIsItsOwnOutcome() {
    KvStore stack = KvStores.builder(MemoryKvStore.create())
        .permissions(Grants.builder().grant(Principal.of("alice"), Permission.ENTRY_READ, "ns").build())
        .build();
    KvStore store = KvMetrics.timed(stack, registry);
    KvStore alice = store.as(Principal.of("alice"));

    assertThatThrownBy(() -> alice.put("ns", "k", Value.string("v"))).isInstanceOf(PermissionDeniedException.class);
    assertThat(alice.get("ns", "k")).isEmpty();

    assertThat(count("put", "ns", "denied")).isEqualTo(1);
    assertThat(count("get", "ns", "not_found")).isEqualTo(1);
  }

  @Test
  void namespacesBeyondTheLimitShareTheOtherTag() {
    KvStore store = KvMetrics.timed(MemoryKvStore.create(), registry, 2, Tags.of("store", "main"));
    for (int i = 0; i < 5; i++) {
      store.put("ns" + i, "k", Value.string("v"));
    }
    store.put("ns0", "k2", Value.string("v"));

    assertThat(count("put", "ns0", "success")).isEqualTo(2);
    assertThat(count("put", "ns1", "success")).isEqualTo(1);
    assertThat(count("put", "other", "success")).isEqualTo(3);
    assertThat(registry.find(KvMetrics.OPERATIONS).timers())
        .extracting(t -> t.getId().getTag("namespace")).containsExactlyInAnyOrder("ns0", "ns1", "other");
    assertThat(registry.find(KvMetrics.OPERATIONS).tag("store", "main").timers()).hasSize(3);
  }

  @Test
  void overridesEveryAbstractStoreAndNamespacesMethod() {
    assertThat(notOverridden(KvStore.class, TimedKvStore.class))
        // Not operations: registrations (live, and from a revision), the store's revision,
        // identity and lifecycle forward untimed.
        .containsExactlyInAnyOrder("subscribe", "subscribe", "revision", "as", "principal", "capabilities", "feature", "close");
    assertThat(notOverridden(Namespaces.class, TimedNamespaces.class)).isEmpty();
  }

  private static List<String> notOverridden(Class<?> api, Class<?> impl) {
    return Arrays.stream(api.getMethods())
        .filter(m -> Modifier.isAbstract(m.getModifiers()))
        .filter(m -> !declares(impl, m))
        .map(Method::getName)
        .collect(Collectors.toList());
  }

  private static boolean declares(Class<?> impl, Method m) {
    try {
      impl.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @Test
  void checksItsArguments() {
    KvStore memory = MemoryKvStore.create();
    assertThatThrownBy(() -> KvMetrics.timed(memory, registry, -1, Tags.empty())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KvMetrics.timed(null, registry)).isInstanceOf(NullPointerException.class);
  }
}
