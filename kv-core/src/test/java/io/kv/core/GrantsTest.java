package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.Principal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrantsTest {
  private static final Principal ALICE = Principal.of("alice");
  private static final Principal BOB = Principal.of("bob");
  private static final Optional<String> NO_KEY = Optional.empty();

  private static Optional<String> key(String key) {
    return Optional.of(key);
  }

  @Test
  void anEmptyTableDeniesEverything() {
    PermissionPolicy policy = Grants.builder().build();

    for (Permission p : Permission.values()) {
      assertThat(policy.allows(ALICE, p, "app", NO_KEY)).isFalse();
      assertThat(policy.allows(ALICE, p, "app", key("k"))).isFalse();
    }
  }

  @Test
  void aGrantCoversOnePrincipalOnePermissionAndOneNamespace() {
    PermissionPolicy policy = Grants.builder().grant(ALICE, Permission.ENTRY_READ, "app").build();

    assertThat(policy.allows(ALICE, Permission.ENTRY_READ, "app", key("any/key"))).isTrue();
    assertThat(policy.allows(ALICE, Permission.ENTRY_READ, "app", NO_KEY)).isTrue();
    assertThat(policy.allows(BOB, Permission.ENTRY_READ, "app", key("any/key"))).isFalse();
    assertThat(policy.allows(ALICE, Permission.ENTRY_WRITE, "app", key("any/key"))).isFalse();
    assertThat(policy.allows(ALICE, Permission.ENTRY_READ, "other", key("any/key"))).isFalse();
  }

  @Test
  void aPrefixGrantCoversLiteralPrefixesOnlyAndNeverTheWholeNamespace() {
    PermissionPolicy policy = Grants.builder()
        .grant(ALICE, Permission.ENTRY_READ, "app", "config/")
        .grant(ALICE, Permission.ENTRY_READ, "app", "feature")
        .build();

    assertThat(policy.allows(ALICE, Permission.ENTRY_READ, "app", key("config/db/host"))).isTrue();
    assertThat(policy.allows(ALICE, Permission.ENTRY_READ, "app", key("features/x"))).isTrue();
    assertThat(policy.allows(ALICE, Permission.ENTRY_READ, "app", key("configuration"))).isFalse();
    assertThat(policy.allows(ALICE, Permission.ENTRY_READ, "app", key("Config/db"))).isFalse();
    assertThat(policy.allows(ALICE, Permission.ENTRY_READ, "app", NO_KEY)).isFalse();
  }

  @Test
  void theEmptyPrefixIsTheWholeNamespace() {
    PermissionPolicy policy = Grants.builder().grant(ALICE, Permission.ENTRY_DELETE, "app", "").build();

    assertThat(policy.allows(ALICE, Permission.ENTRY_DELETE, "app", NO_KEY)).isTrue();
    assertThat(policy.allows(ALICE, Permission.ENTRY_DELETE, "app", key("x"))).isTrue();
  }

  @Test
  void theWildcardNamespaceCoversEveryNamespace() {
    PermissionPolicy policy = Grants.builder()
        .grant(ALICE, Permission.NAMESPACE_READ, Grants.ANY_NAMESPACE)
        .grant(ALICE, Permission.ENTRY_READ, "*", "public/")
        .build();

    assertThat(policy.allows(ALICE, Permission.NAMESPACE_READ, "anything", NO_KEY)).isTrue();
    assertThat(policy.allows(ALICE, Permission.ENTRY_READ, "x", key("public/a"))).isTrue();
    assertThat(policy.allows(ALICE, Permission.ENTRY_READ, "x", key("private/a"))).isFalse();
  }

  @Test
  void grantAllGivesEveryPermission() {
    PermissionPolicy policy = Grants.builder().grantAll(ALICE, "app").build();

    for (Permission p : Permission.values()) {
      assertThat(policy.allows(ALICE, p, "app", p.appliesToKeys() ? key("k") : NO_KEY)).as(p.id()).isTrue();
      assertThat(policy.allows(ALICE, p, "other", NO_KEY)).as(p.id()).isFalse();
    }
  }

  @Test
  void allowAllAllowsAnything() {
    assertThat(Grants.allowAll().allows(BOB, Permission.NAMESPACE_DELETE, "x", NO_KEY)).isTrue();
  }

  @Test
  void theBuilderChecksEachArgumentAtOnce() {
    Grants.Builder b = Grants.builder();

    assertThatThrownBy(() -> b.grant(null, Permission.ENTRY_READ, "app")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.grant(ALICE, null, "app")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.grant(ALICE, Permission.ENTRY_READ, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.grant(ALICE, Permission.ENTRY_READ, "app", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.grant(ALICE, Permission.ENTRY_READ, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.grant(ALICE, Permission.ENTRY_READ, "app*")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.grantAll(ALICE, "**")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.grant(ALICE, Permission.NAMESPACE_READ, "app", "config/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kv-namespace:read");
    assertThat(b.build().allows(ALICE, Permission.ENTRY_READ, "app", key("k"))).isFalse();
  }

  @Test
  void aBuiltPolicyDoesNotSeeLaterGrants() {
    Grants.Builder b = Grants.builder().grant(ALICE, Permission.ENTRY_READ, "app");
    PermissionPolicy first = b.build();

    b.grant(BOB, Permission.ENTRY_READ, "app");

    assertThat(first.allows(BOB, Permission.ENTRY_READ, "app", key("k"))).isFalse();
    assertThat(b.build().allows(BOB, Permission.ENTRY_READ, "app", key("k"))).isTrue();
  }

  @Test
  void toStringListsTheGrants() {
    PermissionPolicy policy = Grants.builder()
        .grant(BOB, Permission.ENTRY_READ, "app", "config/")
        .grant(ALICE, Permission.NAMESPACE_READ, "*")
        .build();

    assertThat(policy).hasToString("Grants[alice kv-namespace:read on *, bob kv-entry:read on app under [config/]]");
  }

  @Test
  void aPolicyForOnePrincipalAnswersExactlyAsTheTableForEveryone() {
    PermissionPolicy policy = Grants.builder()
        .grant(ALICE, Permission.ENTRY_READ, "app", "config/")
        .grant(ALICE, Permission.ENTRY_WRITE, "app")
        .grant(ALICE, Permission.NAMESPACE_READ, Grants.ANY_NAMESPACE)
        .grant(BOB, Permission.ENTRY_DELETE, "other")
        .build();
    Principal carol = Principal.of("carol");
    Principal aliceAgain = Principal.of("alice");
    PermissionPolicy forAlice = policy.forPrincipal(ALICE);
    PermissionPolicy forCarol = policy.forPrincipal(carol);

    int allowed = 0;
    for (Principal who : new Principal[] {ALICE, aliceAgain, BOB, carol}) {
      for (Permission p : Permission.values()) {
        // An equal namespace that is another String object takes the lookup by equality.
        for (String ns : new String[] {"app", new String("app"), "other", "third"}) {
          for (Optional<String> k : java.util.List.of(NO_KEY, key("config/db"), key("x"))) {
            boolean expected = policy.allows(who, p, ns, k);
            allowed += expected ? 1 : 0;
            assertThat(forAlice.allows(who, p, ns, k)).as("%s %s %s %s", who, p, ns, k).isEqualTo(expected);
            assertThat(forCarol.allows(who, p, ns, k)).as("%s %s %s %s", who, p, ns, k).isEqualTo(expected);
          }
        }
      }
    }
    assertThat(allowed).isPositive();
    assertThat(forAlice.allows(ALICE, Permission.ENTRY_WRITE, new String("app"), key("k"))).isTrue();
    assertThat(policy.allows(ALICE, Permission.ENTRY_WRITE, new String("app"), key("k"))).isTrue();
    assertThatThrownBy(() -> forAlice.allows(null, Permission.ENTRY_READ, "app", NO_KEY)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> forAlice.allows(ALICE, Permission.ENTRY_READ, "app", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> policy.forPrincipal(null)).isInstanceOf(NullPointerException.class);
    assertThat(forAlice.toString()).contains("alice");
  }

  @Test
  void aPolicyWithoutItsOwnAnswersForOnePrincipalIsItself() {
    PermissionPolicy custom = (principal, permission, namespace, key) -> namespace.equals("open");
    assertThat(custom.forPrincipal(ALICE)).isSameAs(custom);
    assertThatThrownBy(() -> custom.forPrincipal(null)).isInstanceOf(NullPointerException.class);
  }
}
