package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.KvStore;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.NotFoundException;
import io.kv.Principal;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.core.KeyRing;
import io.kv.core.KvStores;
import io.kv.core.MasterKeys;
import io.kv.memory.MemoryKvStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NamespaceCatalogTest {
  private final MemoryKvStore backend = MemoryKvStore.builder().sweepInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    backend.close();
  }

  /**
   * The backend's namespaces, counting reads, and reporting no changes (as a backend of an
   * application's own that does not implement {@link Namespaces#watch}).
   */
  private final class Unreported implements Namespaces {
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();
    volatile CountDownLatch gate;
    volatile CountDownLatch reading;

    @Override
    public Namespace create(String name, NamespaceSettings settings) {
      return backend.namespaces().create(name, settings);
    }

    @Override
    public Optional<Namespace> get(String name) {
      gets.incrementAndGet();
      Optional<Namespace> read = backend.namespaces().get(name);
      CountDownLatch g = gate;
      if (g != null) {
        reading.countDown();
        await(g);
      }
      return read;
    }

    @Override
    public List<Namespace> list() {
      lists.incrementAndGet();
      return backend.namespaces().list();
    }

    @Override
    public Namespace update(String name, NamespaceSettings settings) {
      return backend.namespaces().update(name, settings);
    }

    @Override
    public boolean delete(String name, DeleteMode mode) {
      return backend.namespaces().delete(name, mode);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void aDeclarationIsReadOnceAndThenServedFromMemory() {
    Unreported source = new Unreported();
    backend.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    try (NamespaceCatalog catalog = NamespaceCatalog.caching(source, Duration.ZERO)) {
      for (int i = 0; i < 100; i++) {
        assertThat(catalog.secret("vault")).isTrue();
        assertThat(catalog.declared("app")).isFalse();
        assertThat(catalog.get(i % 2 == 0 ? "vault" : "app").isPresent()).isEqualTo(i % 2 == 0);
      }
      assertThat(source.gets).as("reads of the source: one per name").hasValue(2);
    }
  }

  @Test
  void aDirectCatalogReadsEveryTime() {
    Unreported source = new Unreported();
    try (NamespaceCatalog catalog = NamespaceCatalog.direct(source)) {
      catalog.declared("app");
      catalog.declared("app");
      assertThat(source.gets).hasValue(2);
    }
  }

  @Test
  void aChangeTheBackendReportsIsSeenAtOnce() {
    try (NamespaceCatalog catalog = NamespaceCatalog.caching(backend.namespaces(), Duration.ZERO)) {
      assertThat(catalog.declared("app")).isFalse();
      backend.namespaces().create("app", NamespaceSettings.defaults());
      assertThat(catalog.declared("app")).isTrue();
      assertThat(catalog.secret("app")).isFalse();
      backend.namespaces().delete("app", Namespaces.DeleteMode.CASCADE);
      backend.namespaces().create("app", NamespaceSettings.defaults().withSecret(true));
      assertThat(catalog.secret("app")).isTrue();
    }
  }

  @Test
  void anUnreportedChangeIsSeenAfterARefresh() {
    Unreported source = new Unreported();
    try (NamespaceCatalog catalog = NamespaceCatalog.caching(source, Duration.ZERO)) {
      assertThat(catalog.declared("app")).isFalse();
      backend.namespaces().create("app", NamespaceSettings.defaults().withDescription("first"));
      assertThat(catalog.declared("app")).as("not reported, not refreshed yet").isFalse();

      catalog.refresh();
      assertThat(catalog.get("app")).map(n -> n.settings().description()).contains("first");
      int reads = source.gets.get();
      catalog.refresh();
      assertThat(catalog.declared("app")).isTrue();
      assertThat(source.gets).as("an unchanged declaration is kept by a refresh").hasValue(reads);

      backend.namespaces().update("app", NamespaceSettings.defaults().withDescription("second"));
      catalog.refresh();
      assertThat(catalog.get("app")).map(n -> n.settings().description()).contains("second");
    }
  }

  @Test
  void theBackgroundRefreshBoundsHowLongAnUnreportedChangeGoesUnseen() throws Exception {
    Unreported source = new Unreported();
    try (NamespaceCatalog catalog = NamespaceCatalog.caching(source, Duration.ofMillis(20))) {
      assertThat(catalog.declared("app")).isFalse();
      backend.namespaces().create("app", NamespaceSettings.defaults());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!catalog.declared("app") && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(catalog.declared("app")).isTrue();
      assertThat(source.lists.get()).isPositive();
    }
  }

  @Test
  void aReadThatOverlapsAChangeIsNotKept() throws Exception {
    Unreported source = new Unreported();
    try (NamespaceCatalog catalog = NamespaceCatalog.caching(source, Duration.ZERO)) {
      CountDownLatch gate = new CountDownLatch(1);
      source.reading = new CountDownLatch(1);
      source.gate = gate;
      CompletableFuture<Boolean> slow = CompletableFuture.supplyAsync(() -> catalog.declared("app"));
      await(source.reading);
      // The slow read saw "undeclared"; the declaration lands (and is reported, as the stack
      // reports its own changes) while that read is still on its way back.
      source.gate = null;
      backend.namespaces().create("app", NamespaceSettings.defaults());
      catalog.invalidate("app");
      gate.countDown();
      assertThat(slow.get(10, TimeUnit.SECONDS)).as("the overlapping read answers what it read").isFalse();
      assertThat(catalog.declared("app")).as("but what it read was not kept").isTrue();
    }
  }

  @Test
  void closingStopsTheBackendsReports() {
    NamespaceCatalog catalog = NamespaceCatalog.caching(backend.namespaces(), Duration.ZERO);
    assertThat(catalog.declared("app")).isFalse();
    catalog.close();
    backend.namespaces().create("app", NamespaceSettings.defaults());
    assertThat(catalog.declared("app")).as("no longer told").isFalse();
  }

  @Test
  void closingAPrincipalViewLeavesTheStacksCatalogToTheStack() {
    KvStores.Builder[] builders = {
        KvStores.builder(backend).requireDeclaredNamespaces().namespaceRefresh(Duration.ZERO),
        KvStores.builder(backend).requireDeclaredNamespaces().namespaceRefresh(Duration.ZERO)
            .encryption(KeyRing.of("k1", MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")))};
    int i = 0;
    for (KvStores.Builder builder : builders) {
      KvStore stack = builder.build();
      String ns = "ns" + i++;
      assertThatThrownBy(() -> stack.get(ns, "k")).isInstanceOf(NotFoundException.class);
      stack.as(Principal.of("ops")).close();
      // Still told of the backend's changes: the view did not close the catalog.
      backend.namespaces().create(ns, NamespaceSettings.defaults());
      assertThat(stack.get(ns, "k")).isEmpty();
    }
  }

  @Test
  void aStackSeesNamespaceChangesMadeThroughItAndOnItsBackendAtOnce() {
    Unreported source = new Unreported();
    KvStore stack = KvStores.builder(backend).requireDeclaredNamespaces().namespaceRefresh(Duration.ZERO)
        .encryption(KeyRing.of("k1", MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")))
        .build();
    assertThatThrownBy(() -> stack.get("app", "k")).isInstanceOf(NotFoundException.class);
    stack.namespaces().create("app", NamespaceSettings.defaults());
    stack.put("app", "k", Value.string("v"));
    assertThat(stack.get("app", "k")).isPresent();

    // Declared on the backend directly: the memory store reports it.
    backend.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    stack.put("vault", "k", Value.string("secret"));
    assertThat(backend.get("vault", "k").orElseThrow().value().type()).as("stored encrypted").isEqualTo(ValueType.BINARY);
    assertThat(stack.get("vault", "k").orElseThrow().value().asString()).isEqualTo("secret");

    stack.as(Principal.of("ops")).namespaces().delete("app", Namespaces.DeleteMode.CASCADE);
    assertThatThrownBy(() -> stack.get("app", "k")).isInstanceOf(NotFoundException.class);
    assertThat(source.gets).hasValue(0);
    stack.close();
  }
}
