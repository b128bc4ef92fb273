package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces.DeleteMode;
import io.kv.Page;
import io.kv.PermissionDeniedException;
import io.kv.Principal;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.core.AuditAction;
import io.kv.core.AuditFailurePolicy;
import io.kv.core.AuditRecord;
import io.kv.core.AuditSinks;
import io.kv.core.Grants;
import io.kv.core.InMemoryAuditSink;
import io.kv.core.Permission;
import io.kv.core.PermissionPolicy;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PermissionLayerTest {
  private static final Principal BOB = Principal.of("bob");
  private static final Value V = Value.string("v");

  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();

  @BeforeEach
  void seed() {
    backend.namespaces().create("app", NamespaceSettings.defaults().withMaxVersions(5));
    backend.put("app", "k", Value.string("v1"));
    backend.put("app", "k", Value.string("v2"));
    backend.put("app", "other", V);
  }

  @AfterEach
  void close() {
    backend.close();
  }

  private KvStore as(Principal principal, PermissionPolicy policy) {
    return new PermissionLayer(backend, policy).as(principal);
  }

  /** Everything a call could change: entries, versions, history and namespace declarations. */
  private String snapshot() {
    List<String> state = new ArrayList<>();
    for (Namespace n : backend.namespaces().list()) {
      state.add(n.toString());
    }
    for (String ns : List.of("app", "new")) {
      for (Entry e : backend.list(ns, ListOptions.all()).entries()) {
        state.add(e + " " + e.value().asString() + " " + backend.history(ns, e.key()).size());
      }
    }
    return String.join("\n", state);
  }

  @Test
  void eachViewAsksThePolicyForItsPrincipalOnceAndThenAsksTheAnswer() {
    List<Principal> boundTo = new ArrayList<>();
    List<String> asked = new ArrayList<>();
    PermissionPolicy policy = new PermissionPolicy() {
      @Override
      public boolean allows(Principal principal, Permission permission, String namespace, Optional<String> key) {
        throw new AssertionError("the view asks the policy bound to its principal");
      }

      @Override
      public PermissionPolicy forPrincipal(Principal principal) {
        boundTo.add(principal);
        return (who, permission, namespace, key) -> {
          asked.add(principal.name() + ":" + who.name() + ":" + permission.id() + ":" + key.orElse("-"));
          return principal.equals(BOB) && permission == Permission.ENTRY_READ;
        };
      }
    };
    KvStore bob = new PermissionLayer(backend, policy).as(BOB);
    assertThat(bob.get("app", "k")).isPresent();
    assertThatThrownBy(() -> bob.put("app", "k", V)).isInstanceOf(PermissionDeniedException.class);
    assertThat(boundTo).contains(BOB);
    assertThat(asked).containsExactly("bob:bob:kv-entry:read:k", "bob:bob:kv-entry:write:k");
    assertThat(snapshot()).contains("v2");
  }

  // ---------------------------------------------------------------- the operation to permission map

  static Stream<Arguments> operations() {
    return Stream.of(
        op("get", Permission.ENTRY_READ, s -> s.get("app", "k")),
        op("getAll", Permission.ENTRY_READ, s -> s.getAll("app", List.of("k", "other"))),
        op("history", Permission.ENTRY_READ, s -> s.history("app", "k")),
        op("list", Permission.NAMESPACE_READ, s -> s.list("app", ListOptions.all())),
        op("count", Permission.NAMESPACE_READ, s -> s.count("app")),
        op("put", Permission.ENTRY_WRITE, s -> s.put("app", "k", V)),
        op("create", Permission.ENTRY_WRITE, s -> s.create("app", "fresh", V)),
        op("update", Permission.ENTRY_WRITE, s -> s.update("app", "k", V)),
        op("compareAndSet", Permission.ENTRY_WRITE, s -> s.compareAndSet("app", "k", 2, V)),
        op("putAll", Permission.ENTRY_WRITE, s -> s.putAll("app", Map.of("a", V, "b", V))),
        op("delete", Permission.ENTRY_DELETE, s -> s.delete("app", "k")),
        op("deleteIfVersion", Permission.ENTRY_DELETE, s -> s.deleteIfVersion("app", "k", 2)),
        op("deleteAll", Permission.ENTRY_DELETE, s -> s.deleteAll("app", List.of("k", "other"))),
        op("rotate", Permission.SECRET_ROTATE, s -> s.rotate("app", "k", V, WriteOptions.none())),
        op("rollback", Permission.SECRET_ROTATE, s -> s.rollback("app", "k", 1, WriteOptions.none())),
        op("namespaces().create", Permission.NAMESPACE_WRITE, s -> s.namespaces().create("new", NamespaceSettings.defaults())),
        op("namespaces().get", Permission.NAMESPACE_READ, s -> s.namespaces().get("app")),
        op("namespaces().update", Permission.NAMESPACE_WRITE,
            s -> s.namespaces().update("app", NamespaceSettings.defaults().withDescription("d"))),
        op("namespaces().delete", Permission.NAMESPACE_DELETE, s -> s.namespaces().delete("app", DeleteMode.CASCADE)));
  }

  private static Arguments op(String name, Permission needed, Consumer<KvStore> call) {
    return Arguments.of(name, needed, call);
  }

  @ParameterizedTest(name = "{0} needs {1}")
  @MethodSource("operations")
  void theNeededPermissionAloneAllowsTheOperation(String name, Permission needed, Consumer<KvStore> call) {
    KvStore bob = as(BOB, Grants.builder().grant(BOB, needed, "app").grant(BOB, needed, "new").build());

    assertThatCode(() -> call.accept(bob)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0} is denied without {1}")
  @MethodSource("operations")
  void everyOtherPermissionTogetherIsDeniedAndChangesNothing(String name, Permission needed, Consumer<KvStore> call) {
    Grants.Builder grants = Grants.builder();
    for (Permission p : EnumSet.complementOf(EnumSet.of(needed))) {
      grants.grant(BOB, p, Grants.ANY_NAMESPACE);
    }
    KvStore bob = as(BOB, grants.build());
    String before = snapshot();

    PermissionDeniedException e = catchThrowableOfType(() -> call.accept(bob), PermissionDeniedException.class);

    assertThat(e).isNotNull();
    assertThat(e.permission()).isEqualTo(needed.id());
    assertThat(e.principal()).isEqualTo(BOB);
    assertThat(e.namespace()).hasValueSatisfying(ns -> assertThat(ns).isIn("app", "new"));
    assertThat(e.key().isPresent()).isEqualTo(needed.appliesToKeys());
    assertThat(snapshot()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0} is denied by default")
  @MethodSource("operations")
  void everythingIsDeniedByDefault(String name, Permission needed, Consumer<KvStore> call) {
    KvStore anonymous = new PermissionLayer(backend, Grants.builder().build());
    String before = snapshot();

    assertThatThrownBy(() -> call.accept(anonymous)).isInstanceOf(PermissionDeniedException.class)
        .hasMessageStartingWith("anonymous lacks " + needed.id() + " on " + (needed.appliesToKeys() ? "'app/" : "namespace '"));
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void grantsForAnotherPrincipalOrNamespaceDoNotApply() {
    PermissionPolicy policy = Grants.builder()
        .grantAll(Principal.of("alice"), "app")
        .grantAll(BOB, "elsewhere")
        .build();

    assertThatThrownBy(() -> as(BOB, policy).get("app", "k")).isInstanceOf(PermissionDeniedException.class)
        .hasMessage("bob lacks kv-entry:read on 'app/k'");
    assertThat(as(Principal.of("alice"), policy).get("app", "k")).isPresent();
  }

  // ---------------------------------------------------------------- prefixes and bulk calls

  @Nested
  class PrefixGrants {
    private final PermissionPolicy policy = Grants.builder()
        .grant(BOB, Permission.NAMESPACE_READ, "app")
        .grant(BOB, Permission.ENTRY_READ, "app", "config/")
        .grant(BOB, Permission.ENTRY_WRITE, "app", "config/")
        .grant(BOB, Permission.ENTRY_DELETE, "app", "config/")
        .build();
    private final KvStore bob = as(BOB, policy);

    @BeforeEach
    void seed() {
      backend.put("app", "config/a", V);
      backend.put("app", "config/b", V);
      backend.put("app", "secret/c", V);
    }

    @Test
    void coverOnlyKeysUnderThePrefix() {
      assertThat(bob.get("app", "config/a")).isPresent();
      bob.put("app", "config/new", V);

      assertThatThrownBy(() -> bob.get("app", "secret/c")).isInstanceOf(PermissionDeniedException.class)
          .hasMessage("bob lacks kv-entry:read on 'app/secret/c'");
      assertThatThrownBy(() -> bob.put("app", "configuration", V)).isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void aBulkReadWithOneDeniedKeyIsDeniedWhole() {
      assertThat(bob.getAll("app", List.of("config/a", "config/b"))).hasSize(2);

      assertThatThrownBy(() -> bob.getAll("app", List.of("config/a", "secret/c")))
          .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("'app/secret/c'");
    }

    @Test
    void aBulkWriteWithOneDeniedKeyWritesNothing() {
      Map<String, Value> values = new LinkedHashMap<>();
      values.put("config/x", V);
      values.put("secret/y", V);
      values.put("config/z", V);

      assertThatThrownBy(() -> bob.putAll("app", values)).isInstanceOf(PermissionDeniedException.class);

      assertThat(backend.getAll("app", List.of("config/x", "secret/y", "config/z"))).isEmpty();
    }

    @Test
    void aBulkDeleteWithOneDeniedKeyDeletesNothing() {
      assertThatThrownBy(() -> bob.deleteAll("app", List.of("config/a", "secret/c")))
          .isInstanceOf(PermissionDeniedException.class);

      assertThat(backend.getAll("app", List.of("config/a", "secret/c"))).hasSize(2);
    }

    @Test
    void aBulkCallNamingNoKeyNeedsThePermissionOnTheWholeNamespace() {
      assertThatThrownBy(() -> bob.getAll("app", List.of())).isInstanceOf(PermissionDeniedException.class)
          .hasMessage("bob lacks kv-entry:read on namespace 'app'")
          .isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
            assertThat(e.namespace()).contains("app");
            assertThat(e.key()).isEmpty();
          });
      assertThat(as(BOB, Grants.builder().grant(BOB, Permission.ENTRY_READ, "app").build()).getAll("app", List.of()))
          .isEmpty();
    }

    @Test
    void aListingShowsOnlyReadableKeys() {
      assertThat(bob.list("app", ListOptions.all()).entries()).extracting(Entry::key)
          .containsExactly("config/a", "config/b");
      assertThat(bob.list("app", ListOptions.prefix("secret/")).entries()).isEmpty();
    }

    @Test
    void aCountCountsOnlyReadableKeys() {
      assertThat(bob.count("app")).isEqualTo(bob.list("app", ListOptions.all()).entries().size()).isEqualTo(2);
      assertThat(as(BOB, Grants.builder().grant(BOB, Permission.NAMESPACE_READ, "app").build()).count("app")).isZero();
      KvStore wholeReader = as(BOB, Grants.builder().grant(BOB, Permission.NAMESPACE_READ, "app")
          .grant(BOB, Permission.ENTRY_READ, "app").build());
      assertThat(wholeReader.count("app")).isEqualTo(backend.count("app")).isEqualTo(5);
    }

    @Test
    void aCountOfReadableKeysGoesPastOnePage() {
      Map<String, Value> batch = new LinkedHashMap<>();
      for (int i = 0; i < ListOptions.MAX_LIMIT; i++) {
        batch.put("secret/" + i, V);
      }
      backend.putAll("app", batch);
      backend.put("app", "zz/config", V);
      backend.put("app", "config/c", V);

      assertThat(bob.count("app")).isEqualTo(3);
      assertThat(backend.count("app")).isEqualTo(ListOptions.MAX_LIMIT + 7);
    }

    @Test
    void aListingNeedsNamespaceReadEvenWithEntryRead() {
      KvStore reader = as(BOB, Grants.builder().grant(BOB, Permission.ENTRY_READ, "app").build());

      assertThatThrownBy(() -> reader.list("app", ListOptions.all())).isInstanceOf(PermissionDeniedException.class)
          .hasMessage("bob lacks kv-namespace:read on namespace 'app'");
    }
  }

  @Test
  void aFilteredListingPagesThroughEveryReadableKeyInFullPages() {
    for (int i = 0; i < 50; i++) {
      backend.put("big", String.format("%s/%02d", i % 3 == 0 ? "open" : "closed", i), V);
      backend.put("big", String.format("mixed/%02d", i), V);
    }
    PermissionPolicy policy = (p, perm, ns, key) -> perm == Permission.NAMESPACE_READ
        || (perm == Permission.ENTRY_READ && key.isPresent()
            && (key.get().startsWith("open/") || key.get().endsWith("7")));
    KvStore bob = as(BOB, policy);
    List<String> expected = backend.list("big", ListOptions.all().limit(1000)).entries().stream().map(Entry::key)
        .filter(k -> k.startsWith("open/") || k.endsWith("7")).collect(Collectors.toList());

    for (int limit : new int[] {1, 3, 4, 10, 100}) {
      List<String> seen = new ArrayList<>();
      ListOptions options = ListOptions.all().limit(limit);
      Page page = bob.list("big", options);
      seen.addAll(page.entries().stream().map(Entry::key).collect(Collectors.toList()));
      while (page.hasMore()) {
        assertThat(page.entries()).hasSize(limit);
        page = bob.list("big", options.after(page.nextCursor().orElseThrow()));
        seen.addAll(page.entries().stream().map(Entry::key).collect(Collectors.toList()));
      }
      assertThat(seen).as("limit %d", limit).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void namespaceListingShowsOnlyReadableNamespaces() {
    backend.namespaces().create("hidden", NamespaceSettings.defaults());
    backend.namespaces().create("shown", NamespaceSettings.defaults());
    KvStore bob = as(BOB, Grants.builder().grant(BOB, Permission.NAMESPACE_READ, "shown").build());

    assertThat(bob.namespaces().list()).extracting(Namespace::name).containsExactly("shown");
    assertThat(as(BOB, Grants.builder().build()).namespaces().list()).isEmpty();
  }

  @Test
  void rotateAndRollbackNeedOnlySecretRotate() {
    KvStore rotator = as(BOB, Grants.builder().grant(BOB, Permission.SECRET_ROTATE, "app", "k").build());

    assertThat(rotator.rotate("app", "k", Value.string("v3"), WriteOptions.none()).version()).isEqualTo(3);
    assertThat(rotator.rollback("app", "k", 1, WriteOptions.none()).value().asString()).isEqualTo("v1");
    assertThatThrownBy(() -> rotator.get("app", "k")).isInstanceOf(PermissionDeniedException.class);
  }

  // ---------------------------------------------------------------- events

  @Test
  void aListenerHearsOnlyEventsForKeysItsSubscriberMayRead() {
    List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
    KvStore bob = as(BOB, Grants.builder().grant(BOB, Permission.ENTRY_READ, "app", "public/").build());
    bob.subscribe(ChangeFilter.all(), heard::add);

    backend.put("app", "public/a", V);
    backend.put("app", "private/b", V);
    backend.put("other", "public/c", V);
    backend.delete("app", "public/a");

    assertThat(heard).extracting(ChangeEvent::key, ChangeEvent::type).containsExactly(
        org.assertj.core.groups.Tuple.tuple("public/a", io.kv.ChangeType.CREATED),
        org.assertj.core.groups.Tuple.tuple("public/a", io.kv.ChangeType.DELETED));
  }

  @Test
  void aReplayFromARevisionTellsOnlyChangesItsSubscriberMayRead() {
    backend.put("app", "public/a", V);
    backend.put("app", "private/b", V);
    backend.put("other", "public/c", V);
    List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
    KvStore bob = as(BOB, Grants.builder().grant(BOB, Permission.ENTRY_READ, "app", "public/").build());

    bob.subscribe(ChangeFilter.all(), 0, heard::add);
    backend.put("app", "private/b", V);
    backend.put("app", "public/a", V);

    assertThat(heard).extracting(ChangeEvent::key, ChangeEvent::version).containsExactly(
        org.assertj.core.groups.Tuple.tuple("public/a", 1L),
        org.assertj.core.groups.Tuple.tuple("public/a", 2L));
  }

  // ---------------------------------------------------------------- under the audit layer

  @Nested
  class UnderTheAuditLayer {
    private final InMemoryAuditSink sink = AuditSinks.inMemory();
    private final KvStore bob = new AuditLayer(
        new PermissionLayer(backend, Grants.builder().grant(BOB, Permission.ENTRY_READ, "app").build()),
        sink, AuditFailurePolicy.FAIL_OPERATION, clock).as(BOB);

    private AuditRecord record(AuditAction action, String key, boolean success) {
      return new AuditRecord(clock.instant(), BOB, action, Optional.of("app"), Optional.ofNullable(key), success,
          success ? Optional.empty() : Optional.of("PermissionDeniedException"));
    }

    @Test
    void aDeniedCallIsAuditedAsAFailureAndChangesNothing() {
      String before = snapshot();

      assertThatThrownBy(() -> bob.put("app", "k", V)).isInstanceOf(PermissionDeniedException.class);
      assertThatThrownBy(() -> bob.namespaces().delete("app", DeleteMode.CASCADE))
          .isInstanceOf(PermissionDeniedException.class);
      assertThat(bob.get("app", "k")).isPresent();

      assertThat(sink.records()).containsExactly(
          record(AuditAction.WRITE, "k", false),
          new AuditRecord(clock.instant(), BOB, AuditAction.NAMESPACE_DELETE, Optional.of("app"), Optional.empty(), false,
              Optional.of("PermissionDeniedException")),
          record(AuditAction.READ, "k", true));
      assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aDeniedBulkCallIsAuditedAsAFailureForEveryKey() {
      String before = snapshot();

      assertThatThrownBy(() -> bob.deleteAll("app", List.of("k", "other"))).isInstanceOf(PermissionDeniedException.class);

      assertThat(sink.records()).containsExactly(record(AuditAction.DELETE, "k", false), record(AuditAction.DELETE, "other", false));
      assertThat(snapshot()).isEqualTo(before);
    }
  }
}
