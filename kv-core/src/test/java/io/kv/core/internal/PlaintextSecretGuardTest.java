package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.StateConflictException;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlaintextSecretGuardTest {
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(MutableClock.fixed()).build();
  private final KvStore store = new PlaintextSecretGuard(backend);

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void refusesToDeclareASecretNamespace() {
    assertThatThrownBy(() -> store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true)))
        .isInstanceOfSatisfying(StateConflictException.class, e -> {
          assertThat(e.namespace()).contains("vault");
          assertThat(e.key()).isEmpty();
        })
        .hasMessageContaining("'vault' is secret");
    assertThat(backend.namespaces().get("vault")).isEmpty();
  }

  @Test
  void refusesToMakeANamespaceSecretLater() {
    store.namespaces().create("app", NamespaceSettings.defaults().withDescription("config"));
    assertThatThrownBy(() -> store.namespaces().update("app", NamespaceSettings.defaults().withSecret(true)))
        .isInstanceOf(StateConflictException.class);
    assertThat(backend.namespaces().get("app").orElseThrow().settings().secret()).isFalse();
  }

  @Test
  void everythingElsePassesThroughAndViewsKeepTheGuard() {
    KvStore alice = store.as(Principal.of("alice"));
    alice.namespaces().create("app", NamespaceSettings.defaults());
    assertThat(alice.namespaces().list()).extracting(n -> n.name()).containsExactly("app");
    assertThatThrownBy(() -> alice.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true)))
        .isInstanceOf(StateConflictException.class);
  }
}
