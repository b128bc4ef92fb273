package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.NotFoundException;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NamespaceLayerTest {
  private static final Duration DEFAULT = Duration.ofSeconds(60);

  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();
  private final KvStore store = new NamespaceLayer(backend, false);
  private final Instant start = clock.instant();

  @AfterEach
  void close() {
    backend.close();
  }

  private void declareSessions() {
    store.namespaces().create("sessions", NamespaceSettings.defaults().withDefaultTtl(DEFAULT).withMaxVersions(10));
  }

  @Test
  void everyWriteWithoutATtlExpiresByTheNamespaceDefault() {
    declareSessions();
    Optional<Instant> expected = Optional.of(start.plus(DEFAULT));
    List<Entry> written = List.of(
        store.put("sessions", "a", Value.string("1")),
        store.create("sessions", "b", Value.string("1")),
        store.update("sessions", "a", Value.string("2")),
        store.compareAndSet("sessions", "a", 2, Value.string("3")),
        store.rotate("sessions", "a", Value.string("4"), WriteOptions.none()),
        store.rollback("sessions", "a", 1, WriteOptions.none().withReason("undo")));
    assertThat(written).extracting(Entry::expiresAt).containsOnly(expected);
    assertThat(store.putAll("sessions", Map.of("c", Value.string("1"), "d", Value.string("1"))).values())
        .extracting(Entry::expiresAt).containsOnly(expected);
  }

  @Test
  void anExplicitTtlOverridesTheDefault() {
    declareSessions();
    WriteOptions tenSeconds = WriteOptions.ttl(Duration.ofSeconds(10));
    Optional<Instant> expected = Optional.of(start.plusSeconds(10));
    assertThat(store.put("sessions", "a", Value.string("1"), tenSeconds).expiresAt()).isEqualTo(expected);
    assertThat(store.update("sessions", "a", Value.string("1"), tenSeconds).expiresAt()).isEqualTo(expected);
    assertThat(store.putAll("sessions", Map.of("b", Value.string("1")), tenSeconds).get("b").expiresAt())
        .isEqualTo(expected);
    assertThat(store.put("sessions", "long", Value.string("1"), WriteOptions.ttl(Duration.ofDays(1))).expiresAt())
        .contains(start.plus(Duration.ofDays(1)));
  }

  @Test
  void anEntryExpiresExactlyAtTheDefault() {
    declareSessions();
    store.put("sessions", "a", Value.string("1"));

    clock.advance(DEFAULT.minusMillis(1));
    assertThat(store.get("sessions", "a")).isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(store.get("sessions", "a")).isEmpty();
    assertThat(store.count("sessions")).isZero();
  }

  @Test
  void aWriteAfterTheDefaultChangedUsesTheNewDefaultAndEarlierEntriesKeepTheirs() {
    declareSessions();
    store.put("sessions", "old", Value.string("1"));
    store.namespaces().update("sessions", NamespaceSettings.defaults().withDefaultTtl(Duration.ofSeconds(5)));
    store.put("sessions", "new", Value.string("1"));
    assertThat(store.get("sessions", "old").orElseThrow().expiresAt()).contains(start.plus(DEFAULT));
    assertThat(store.get("sessions", "new").orElseThrow().expiresAt()).contains(start.plusSeconds(5));

    store.namespaces().update("sessions", NamespaceSettings.defaults());
    assertThat(store.put("sessions", "none", Value.string("1")).expiresAt()).isEmpty();
  }

  @Test
  void namespacesWithoutADefaultOrUndeclaredKeepEntriesForever() {
    store.namespaces().create("plain", NamespaceSettings.defaults());
    assertThat(store.put("plain", "a", Value.string("1")).expiresAt()).isEmpty();
    assertThat(store.put("undeclared", "a", Value.string("1")).expiresAt()).isEmpty();
    assertThat(store.get("undeclared", "a")).isPresent();
    assertThat(store.count("undeclared")).isEqualTo(1);
  }

  @Test
  void viewsForAPrincipalApplyTheDefaultToo() {
    declareSessions();
    KvStore alice = store.as(io.kv.Principal.of("alice"));
    assertThat(alice.put("sessions", "a", Value.string("1")).expiresAt()).contains(start.plus(DEFAULT));
    assertThat(alice.history("sessions", "a")).singleElement()
        .satisfies(r -> assertThat(r.changedBy().name()).isEqualTo("alice"));
  }

  @Test
  void requiringDeclaredNamespacesRefusesEveryEntryOperationOnAnUndeclaredOne() {
    KvStore strict = new NamespaceLayer(backend, true);
    backend.put("ghost", "k", Value.string("v"));   // written around the layer

    List<ThrowingCallable> calls = List.of(
        () -> strict.get("ghost", "k"),
        () -> strict.getAll("ghost", List.of("k")),
        () -> strict.put("ghost", "k", Value.string("v")),
        () -> strict.put("ghost", "k", Value.string("v"), WriteOptions.ttl(Duration.ofSeconds(5))),
        () -> strict.create("ghost", "n", Value.string("v")),
        () -> strict.update("ghost", "k", Value.string("v")),
        () -> strict.compareAndSet("ghost", "k", 1, Value.string("v")),
        () -> strict.delete("ghost", "k"),
        () -> strict.deleteIfVersion("ghost", "k", 1),
        () -> strict.putAll("ghost", Map.of("k", Value.string("v"))),
        () -> strict.deleteAll("ghost", List.of("k")),
        () -> strict.list("ghost", ListOptions.all()),
        () -> strict.count("ghost"),
        () -> strict.rotate("ghost", "k", Value.string("v"), WriteOptions.none()),
        () -> strict.rollback("ghost", "k", 1, WriteOptions.none()),
        () -> strict.history("ghost", "k"));
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("'ghost'")
          .asInstanceOf(type(NotFoundException.class))
          .satisfies(e -> {
            assertThat(e.namespace()).isEqualTo("ghost");
            assertThat(e.key()).isEmpty();
          });
    }
    assertThat(backend.get("ghost", "k").orElseThrow().version()).isEqualTo(1);
    assertThat(backend.count("ghost")).isEqualTo(1);
  }

  @Test
  void requiringDeclaredNamespacesLetsDeclaredOnesWorkAndLeavesAdministrationAlone() {
    KvStore strict = new NamespaceLayer(backend, true);
    Namespaces ns = strict.namespaces();
    assertThat(ns.get("app")).isEmpty();
    ns.create("app", NamespaceSettings.defaults().withDefaultTtl(DEFAULT));

    assertThat(strict.put("app", "k", Value.string("v")).expiresAt()).contains(start.plus(DEFAULT));
    assertThat(strict.get("app", "k")).isPresent();
    assertThat(strict.count("app")).isEqualTo(1);

    ns.delete("app", Namespaces.DeleteMode.CASCADE);
    assertThatThrownBy(() -> strict.get("app", "k")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anInvalidNamespaceNameIsStillAnInvalidInput() {
    KvStore strict = new NamespaceLayer(backend, true);
    assertThatThrownBy(() -> strict.get("-bad", "k")).isInstanceOf(io.kv.InvalidInputException.class);
    assertThatThrownBy(() -> strict.get(null, "k")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.put("sessions", "k", Value.string("v"), null)).isInstanceOf(NullPointerException.class);
  }
}
