package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import org.junit.jupiter.api.Test;

/** Principal views made with {@link KvStore#as}, and closing. */
public abstract class PrincipalContract extends ContractGroup {
  private static final Principal ALICE = Principal.of("alice");

  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected PrincipalContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected PrincipalContract(ContractSuite suite) {
    super(suite);
  }

  @Test
  void anUnboundStoreActsForAnonymous() {
    assertThat(store().principal()).isEqualTo(Principal.ANONYMOUS);
  }

  @Test
  void aViewActsForItsPrincipalAndLeavesTheStoreAlone() {
    KvStore alice = store().as(ALICE);
    KvStore bob = store().as(Principal.of("bob"));

    assertThat(alice.principal()).isEqualTo(ALICE);
    assertThat(bob.principal()).isEqualTo(Principal.of("bob"));
    assertThat(store().principal()).isEqualTo(Principal.ANONYMOUS);
  }

  @Test
  void aViewSharesEntriesAndNamespacesWithTheStore() {
    KvStore alice = store().as(ALICE);

    Entry viaView = alice.put(NS, "a", Value.string("from alice"));
    Entry viaStore = store().put(NS, "b", Value.string("from the store"));
    alice.namespaces().create("declared", NamespaceSettings.defaults());

    assertThat(store().get(NS, "a")).contains(viaView);
    assertThat(alice.get(NS, "b")).contains(viaStore);
    assertThat(store().namespaces().get("declared")).isPresent();
    assertThat(alice.update(NS, "b", Value.string("changed")).version()).isEqualTo(2);
    assertThat(store().get(NS, "b").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void closingAViewDoesNothing() {
    KvStore alice = store().as(ALICE);
    put("k", "v");

    alice.close();

    assertThat(store().get(NS, "k")).isPresent();
    assertThat(alice.get(NS, "k")).isPresent();
    assertThat(store().put(NS, "k", Value.string("w")).version()).isEqualTo(2);
  }

  @Test
  void closingTwiceIsHarmless() {
    store().close();
    store().close();
  }
}
