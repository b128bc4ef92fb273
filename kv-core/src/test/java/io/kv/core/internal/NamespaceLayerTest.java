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
  /** Requires declared namespaces; the default TTL is the backend's to apply, checked through the layer. */
  private final KvStore store = new NamespaceLayer(backend);
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
  void namespacesWithoutADefaultKeepEntriesForever() {
    store.namespaces().create("plain", NamespaceSettings.defaults());
    assertThat(store.put("plain", "a", Value.string("1")).expiresAt()).isEmpty();
    assertThat(store.put("plain", "b", Value.string("1"), WriteOptions.ttl(Duration.ofSeconds(5))).expiresAt())
        .contains(start.plusSeconds(5));
  }

  @Test
  void viewsForAPrincipalBehaveTheSame() {
    declareSessions();
    KvStore alice = store.as(io.kv.Principal.of("alice"));
    assertThat(alice.put("sessions", "a", Value.string("1")).expiresAt()).contains(start.plus(DEFAULT));
    assertThat(alice.history("sessions", "a")).singleElement()
        .satisfies(r -> assertThat(r.changedBy().name()).isEqualTo("alice"));
    assertThatThrownBy(() -> alice.get("ghost", "k")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void requiringDeclaredNamespacesRefusesEveryEntryOperationOnAnUndeclaredOne() {
    backend.put("ghost", "k", Value.string("v"));   // written around the layer

    List<ThrowingCallable> calls = List.of(
        () -> store.get("ghost", "k"),
        () -> store.getAll("ghost", List.of("k")),
        () -> store.put("ghost", "k", Value.string("v")),
        () -> store.put("ghost", "k", Value.string("v"), WriteOptions.ttl(Duration.ofSeconds(5))),
        () -> store.create("ghost", "n", Value.string("v")),
        () -> store.update("ghost", "k", Value.string("v")),
        () -> store.compareAndSet("ghost", "k", 1, Value.string("v")),
        () -> store.delete("ghost", "k"),
        () -> store.deleteIfVersion("ghost", "k", 1),
        () -> store.putAll("ghost", Map.of("k", Value.string("v"))),
        () -> store.deleteAll("ghost", List.of("k")),
        () -> store.list("ghost", ListOptions.all()),
        () -> store.count("ghost"),
        () -> store.rotate("ghost", "k", Value.string("v"), WriteOptions.none()),
        () -> store.rollback("ghost", "k", 1, WriteOptions.none()),
        () -> store.history("ghost", "k"));
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("'ghost'")
          .asInstanceOf(type(NotFoundException.class))
          .satisfies(e -> {
            assertThat(e.namespace()).contains("ghost");
            assertThat(e.key()).isEmpty();
          });
    }
    assertThat(backend.get("ghost", "k").orElseThrow().version()).isEqualTo(1);
    assertThat(backend.count("ghost")).isEqualTo(1);
  }

  @Test
  void requiringDeclaredNamespacesLetsDeclaredOnesWorkAndLeavesAdministrationAlone() {
    Namespaces ns = store.namespaces();
    assertThat(ns.get("app")).isEmpty();
    ns.create("app", NamespaceSettings.defaults().withDefaultTtl(DEFAULT));

    assertThat(store.put("app", "k", Value.string("v")).expiresAt()).contains(start.plus(DEFAULT));
    assertThat(store.get("app", "k")).isPresent();
    assertThat(store.count("app")).isEqualTo(1);

    ns.delete("app", Namespaces.DeleteMode.CASCADE);
    assertThatThrownBy(() -> store.get("app", "k")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anInvalidNamespaceNameIsStillAnInvalidInput() {
    assertThatThrownBy(() -> store.get("-bad", "k")).isInstanceOf(io.kv.InvalidInputException.class);
    assertThatThrownBy(() -> store.get(null, "k")).isInstanceOf(NullPointerException.class);
    declareSessions();
    assertThatThrownBy(() -> store.put("sessions", "k", Value.string("v"), null)).isInstanceOf(NullPointerException.class);
  }
}
