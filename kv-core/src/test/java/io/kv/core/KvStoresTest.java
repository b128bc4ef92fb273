package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.NotFoundException;
import io.kv.PermissionDeniedException;
import io.kv.Principal;
import io.kv.StateConflictException;
import io.kv.TransactionFailedException;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
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
  void withoutAClockReadRecordsTakeTheTickedClockAndChangeRecordsTheSystemClock() {
    InMemoryAuditSink audit = AuditSinks.inMemory();
    MemoryKvStore real = MemoryKvStore.builder().build();
    KvStore store = KvStores.builder(real).audit(audit).build();
    long before = System.currentTimeMillis();
    store.put("ns", "k", Value.string("v"));
    store.get("ns", "k");
    long after = System.currentTimeMillis();
    assertThat(audit.records()).hasSize(2);
    // The change read the system clock at its end; the read is never later than the system clock
    // (and here, where the ticking thread started with the read, not before the test began).
    assertThat(audit.records().get(0).timestamp().toEpochMilli()).isBetween(before, after);
    assertThat(audit.records().get(1).timestamp().toEpochMilli()).isLessThanOrEqualTo(after)
        .isGreaterThan(before - 10_000);
    real.close();
  }

  @Test
  void withAClockEveryRecordTakesItsTime() {
    InMemoryAuditSink audit = AuditSinks.inMemory();
    KvStore store = KvStores.builder(backend).clock(clock).audit(audit).build();
    store.put("ns", "k", Value.string("v"));
    store.get("ns", "k");
    store.count("ns");
    assertThat(audit.records()).extracting(r -> r.timestamp()).containsOnly(clock.instant());
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

  /** A transaction through the stack: each layer treats it as it treats the single writes. */
  @Nested
  class Transactions {
    private static final Principal ALICE = Principal.of("alice");

    @Test
    void secretValuesReachTheBackendSealedAndComeBackAsGiven() {
      KvStore store = KvStores.builder(backend).clock(clock).secretHistory(3).encryption(KEYS).build();
      store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
      store.put("vault", "a", Value.string("hunter2-old"));

      TransactionResult result = store.transaction("vault")
          .versionIs("a", 1)
          .update("a", Value.string("hunter2-new-a"))
          .create("b", Value.string("hunter2-new-b"))
          .commit();

      assertThat(result.written().get("a").value()).isEqualTo(Value.string("hunter2-new-a"));
      assertThat(result.written().get("b").value()).isEqualTo(Value.string("hunter2-new-b"));
      for (String key : List.of("a", "b")) {
        Value stored = backend.get("vault", key).orElseThrow().value();
        assertThat(stored.type()).isEqualTo(ValueType.BINARY);
        assertThat(new String(stored.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
      }
      assertThat(store.get("vault", "b").map(Entry::value)).contains(Value.string("hunter2-new-b"));
      assertThat(store.history("vault", "a")).extracting(VersionRecord::value)
          .contains(Value.string("hunter2-old"), Value.string("hunter2-new-a"));
    }

    @Test
    void everyPermissionIsCheckedBeforeAnythingIsWritten() {
      KvStore store = KvStores.builder(backend).clock(clock)
          .permissions(Grants.builder()
              .grant(ALICE, Permission.ENTRY_WRITE, "ns", "open/")
              .grant(ALICE, Permission.ENTRY_READ, "ns", "open/")
              .build())
          .build();
      backend.put("ns", "open/old", Value.number(1));
      backend.put("ns", "closed/c", Value.number(1));
      KvStore alice = store.as(ALICE);

      assertThatThrownBy(() -> alice.transaction("ns").put("open/a", Value.number(1)).put("closed/b", Value.number(2))
          .commit()).as("a write outside the grant").isInstanceOf(PermissionDeniedException.class);
      assertThatThrownBy(() -> alice.transaction("ns").put("open/a", Value.number(1)).delete("open/old").commit())
          .as("a delete without ENTRY_DELETE").isInstanceOf(PermissionDeniedException.class);
      assertThatThrownBy(() -> alice.transaction("ns").versionIs("closed/c", 1).put("open/a", Value.number(1)).commit())
          .as("a compare of a key it may not read").isInstanceOf(PermissionDeniedException.class);
      assertThat(backend.get("ns", "open/a")).isEmpty();
      assertThat(backend.get("ns", "open/old")).isPresent();

      alice.transaction("ns").versionIs("open/old", 1).put("open/a", Value.number(1)).commit();
      assertThat(backend.get("ns", "open/a")).isPresent();
    }

    @Test
    void theQuotaCountsThePutsAndCreatesOfAbsentKeys() {
      KvStore store = KvStores.builder(backend).clock(clock)
          .limits(LimitPolicy.defaults().withMaxEntriesPerNamespace(3)).build();
      store.put("ns", "a", Value.number(1));
      store.put("ns", "b", Value.number(2));

      assertThatThrownBy(() -> store.transaction("ns").put("c", Value.number(3)).create("d", Value.number(4)).commit())
          .isInstanceOf(QuotaExceededException.class);
      assertThat(backend.getAll("ns", List.of("c", "d"))).isEmpty();

      store.transaction("ns").put("a", Value.number(10)).update("b", Value.number(20)).create("c", Value.number(3))
          .commit();
      assertThat(backend.count("ns")).isEqualTo(3);
    }

    @Test
    void aTransactionTakesOneRateToken() {
      KvStore store = KvStores.builder(backend).clock(clock)
          .limits(LimitPolicy.defaults().withMaxOperationsPerSecond(2)).build();

      store.transaction("ns").put("a", Value.number(1)).put("b", Value.number(2)).put("c", Value.number(3)).commit();
      store.transaction("ns").put("d", Value.number(4)).put("e", Value.number(5)).commit();

      assertThatThrownBy(() -> store.transaction("ns").put("f", Value.number(6)).commit())
          .isInstanceOf(RateLimitedException.class);
      assertThat(backend.count("ns")).isEqualTo(5);
    }

    @Test
    void auditRecordsEachKeyWithTheOutcome() {
      InMemoryAuditSink audit = AuditSinks.inMemory();
      KvStore store = KvStores.builder(backend).clock(clock).audit(audit).build();
      store.put("ns", "gone", Value.number(0));
      audit.clear();

      store.transaction("ns").put("a", Value.number(1)).delete("gone").create("b", Value.number(2)).commit();
      assertThatThrownBy(() -> store.transaction("ns").absent("a").put("c", Value.number(3)).delete("b").commit())
          .isInstanceOf(TransactionFailedException.class);

      assertThat(audit.records()).extracting(r -> r.action() + " " + r.key().orElseThrow() + " " + r.success() + " "
              + r.errorKind().orElse("-"))
          .containsExactly(
              "WRITE a true -", "DELETE gone true -", "WRITE b true -",
              "WRITE c false TransactionFailedException", "DELETE b false TransactionFailedException");
    }

    @Test
    void anUndeclaredNamespaceIsRefusedWhenDeclarationsAreRequired() {
      KvStore store = KvStores.builder(backend).requireDeclaredNamespaces().build();

      assertThatThrownBy(() -> store.transaction("nowhere").put("k", Value.number(1)).commit())
          .isInstanceOf(NotFoundException.class);
      store.namespaces().create("somewhere", NamespaceSettings.defaults());
      assertThat(store.transaction("somewhere").put("k", Value.number(1)).commit().written()).containsOnlyKeys("k");
      assertThat(backend.getAll("nowhere", List.of("k"))).isEqualTo(Map.of());
    }
  }
}
