package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.NotFoundException;
import io.kv.StateConflictException;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KvStoresTest {
  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(clock).build();

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void theDefaultStackRefusesTtlsUnderOneSecond() {
    KvStore store = KvStores.builder(backend).clock(clock).build();
    assertThatThrownBy(() -> store.put("ns", "k", Value.string("v"), WriteOptions.ttl(Duration.ofMillis(999))))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("ttl"));
    store.put("ns", "k", Value.string("v"), WriteOptions.ttl(Duration.ofSeconds(1)));
  }

  private static final KeyRing KEYS = KeyRing.of("k1", MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));

  @Test
  void withoutAKeyRingASecretNamespaceIsRefused() {
    KvStore store = KvStores.builder(backend).build();
    assertThatThrownBy(() -> store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true)))
        .isInstanceOf(StateConflictException.class)
        .hasMessageContaining("encryption(keyRing)");
    store.namespaces().create("plain", NamespaceSettings.defaults());
    assertThatThrownBy(() -> store.namespaces().update("plain", NamespaceSettings.defaults().withSecret(true)))
        .isInstanceOf(StateConflictException.class);
    assertThat(backend.namespaces().get("vault")).isEmpty();
  }

  @Test
  void secretValuesReachTheBackendEncryptedAndComeBackDecrypted() {
    KvStore store = KvStores.builder(backend).clock(clock).encryption(KEYS).build();
    store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    store.put("vault", "db/password", Value.string("hunter2-hunter2"));

    assertThat(store.get("vault", "db/password").orElseThrow().value()).isEqualTo(Value.string("hunter2-hunter2"));
    Value stored = backend.get("vault", "db/password").orElseThrow().value();
    assertThat(stored.type()).isEqualTo(io.kv.ValueType.BINARY);
    assertThat(new String(stored.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
  }

  @Test
  void theDefaultStackKeepsHistoryForSecretNamespaces() {
    KvStore store = KvStores.builder(backend).clock(clock).secretHistory(2).encryption(KEYS).build();
    store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    assertThat(backend.namespaces().get("vault").orElseThrow().settings().maxVersions()).isEqualTo(2);
  }

  @Test
  void perNamespaceLimitsReplaceTheStores() {
    KvStore store = KvStores.builder(backend).clock(clock)
        .limits(LimitPolicy.defaults().withMaxValueBytes(4))
        .limits("big", LimitPolicy.defaults().withMaxValueBytes(8))
        .build();
    assertThatThrownBy(() -> store.put("small", "k", Value.string("12345"))).isInstanceOf(InvalidInputException.class);
    store.put("big", "k", Value.string("12345678"));
  }

  @Test
  void requireDeclaredNamespacesRefusesUndeclaredOnes() {
    KvStore store = KvStores.builder(backend).requireDeclaredNamespaces().build();
    assertThatThrownBy(() -> store.put("nowhere", "k", Value.string("v"))).isInstanceOf(NotFoundException.class);
    store.namespaces().create("somewhere", NamespaceSettings.defaults());
    store.put("somewhere", "k", Value.string("v"));
  }

  @Test
  void anEventExecutorMovesDeliveryOffTheWritingThread() {
    Queue<Runnable> tasks = new ArrayDeque<>();
    KvStore store = KvStores.builder(backend).eventExecutor(tasks::add).build();
    List<ChangeEvent> seen = new ArrayList<>();
    store.subscribe(ChangeFilter.all(), seen::add);
    store.put("ns", "k", Value.string("v"));
    assertThat(seen).isEmpty();
    tasks.forEach(Runnable::run);
    assertThat(seen).hasSize(1);
  }

  @Test
  void auditSitsAbovePermissionsSoDeniedCallsAreRecorded() {
    InMemoryAuditSink audit = AuditSinks.inMemory();
    KvStore store = KvStores.builder(backend).clock(clock).audit(audit)
        .permissions(Grants.builder().grant(io.kv.Principal.of("alice"), Permission.ENTRY_READ, "ns").build())
        .build();
    KvStore alice = store.as(io.kv.Principal.of("alice"));

    assertThatThrownBy(() -> alice.put("ns", "k", Value.string("v"))).isInstanceOf(io.kv.PermissionDeniedException.class);
    assertThat(backend.get("ns", "k")).isEmpty();
    assertThat(audit.records()).singleElement().satisfies(r -> {
      assertThat(r.action()).isEqualTo(AuditAction.WRITE);
      assertThat(r.success()).isFalse();
      assertThat(r.errorKind()).contains("PermissionDeniedException");
      assertThat(r.principal().name()).isEqualTo("alice");
    });
  }

  @Test
  void anAuditFailurePolicyNeedsASink() {
    assertThatThrownBy(() -> KvStores.builder(backend).auditFailurePolicy(AuditFailurePolicy.FAIL_OPERATION).build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void eachSettingIsCheckedAtOnceAndOnlyOnce() {
    KvStores.Builder b = KvStores.builder(backend).clock(clock).limits(LimitPolicy.defaults()).limits("ns", LimitPolicy.defaults());
    assertThatThrownBy(() -> b.clock(clock)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> b.limits(LimitPolicy.defaults())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> b.limits("ns", LimitPolicy.defaults())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> b.limits("bad name", LimitPolicy.defaults())).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> b.secretHistory(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KvStores.builder(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.eventExecutor(null)).isInstanceOf(NullPointerException.class);
    b.encryption(KEYS);
    assertThatThrownBy(() -> b.encryption(KEYS)).isInstanceOf(IllegalStateException.class);
  }
}
