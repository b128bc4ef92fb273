package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.kv.AlreadyExistsException;
import io.kv.Entry;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces.DeleteMode;
import io.kv.Namespaces;
import io.kv.NotFoundException;
import io.kv.StateConflictException;
import io.kv.Value;
import io.kv.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Namespace administration, and what a namespace's settings do to the writes in it. */
public abstract class NamespaceContract extends ContractGroup {
  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected NamespaceContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected NamespaceContract(ContractSuite suite) {
    super(suite);
  }

  /**
   * Settings with every field set, secret where the store can hold a secret namespace: the checks
   * that use them are about administration, so they run on a stack without encryption too.
   */
  private NamespaceSettings settings() {
    return NamespaceSettings.defaults().withDescription("d").withSecret(acceptsSecretNamespaces()).withMaxVersions(5);
  }

  private Namespaces namespaces() {
    return store().namespaces();
  }

  private List<String> names() {
    return namespaces().list().stream().map(Namespace::name).collect(Collectors.toList());
  }

  @Test
  void createReturnsTheNamespaceAsStored() {
    Instant t0 = now();

    Namespace ns = namespaces().create("ns", settings());

    assertThat(ns.name()).isEqualTo("ns");
    assertThat(ns.settings()).isEqualTo(settings());
    assertThat(ns.settings().description()).isEqualTo("d");
    assertThat(ns.settings().secret()).isEqualTo(acceptsSecretNamespaces());
    assertThat(ns.settings().maxVersions()).isEqualTo(5);
    assertThat(ns.createdAt()).isEqualTo(t0);
    assertThat(ns.updatedAt()).isEqualTo(t0);
    assertThat(namespaces().get("ns")).contains(ns);
  }

  @Test
  void aSecretNamespaceIsKeptSecretAndItsValuesReadBackAsWritten() {
    requireSecretNamespaces();
    NamespaceSettings secret = NamespaceSettings.defaults().withSecret(true);

    namespaces().create("vault", secret);
    Entry written = store().put("vault", "token", Value.string("s3cr3t"));

    assertThat(namespaces().get("vault").orElseThrow().settings().secret()).isTrue();
    assertThat(written.value()).isEqualTo(Value.string("s3cr3t"));
    assertThat(store().get("vault", "token")).contains(written);
  }

  @Test
  void aStoreThatRefusesSecretNamespacesDeclaresNone() {
    assumeFalse(acceptsSecretNamespaces(), "the store accepts secret namespaces");
    NamespaceSettings secret = NamespaceSettings.defaults().withSecret(true);
    Namespace plain = namespaces().create("plain", NamespaceSettings.defaults());

    assertThat(catchThrowable(() -> namespaces().create("vault", secret))).as("declaring a secret namespace").isNotNull();
    assertThat(catchThrowable(() -> namespaces().update("plain", secret))).as("making a namespace secret").isNotNull();

    assertThat(namespaces().get("vault")).isEmpty();
    assertThat(namespaces().get("plain")).contains(plain);
  }

  @Test
  void createOfADeclaredNamespaceThrowsAlreadyExists() {
    Namespace first = namespaces().create("ns", settings());
    advanceMillis(10);

    AlreadyExistsException e = thrown(AlreadyExistsException.class,
        () -> namespaces().create("ns", NamespaceSettings.defaults()));

    assertThat(e.namespace()).contains("ns");
    assertThat(e.key()).isEmpty();
    assertThat(namespaces().get("ns")).contains(first);
  }

  @Test
  void getOfAnUndeclaredNamespaceIsEmpty() {
    assertThat(namespaces().get("ns")).isEmpty();
  }

  @Test
  void writingToAnUndeclaredNamespaceDoesNotDeclareIt() {
    store().put("implicit", "k", Value.string("v"));

    assertThat(namespaces().get("implicit")).isEmpty();
    assertThat(namespaces().list()).isEmpty();
    assertThat(store().get("implicit", "k")).isPresent();
  }

  @Test
  void listIsSortedByName() {
    namespaces().create("zeta", NamespaceSettings.defaults());
    namespaces().create("alpha", NamespaceSettings.defaults());
    namespaces().create("Mid", NamespaceSettings.defaults());
    namespaces().create("beta-2", NamespaceSettings.defaults());
    namespaces().create("beta", NamespaceSettings.defaults());

    assertThat(names()).containsExactly("Mid", "alpha", "beta", "beta-2", "zeta");
    assertThat(namespaces().list().get(4)).isEqualTo(namespaces().get("zeta").orElseThrow());
  }

  @Test
  void updateReplacesTheSettingsAndMovesUpdatedAtOnly() {
    Instant t0 = now();
    namespaces().create("ns", settings());
    Instant t1 = advance(Duration.ofMinutes(5));
    NamespaceSettings changed = NamespaceSettings.defaults().withOwner("team-b").withMaxVersions(2);

    Namespace ns = namespaces().update("ns", changed);

    assertThat(ns.name()).isEqualTo("ns");
    assertThat(ns.settings()).isEqualTo(changed);
    assertThat(ns.createdAt()).isEqualTo(t0);
    assertThat(ns.updatedAt()).isEqualTo(t1);
    assertThat(namespaces().get("ns")).contains(ns);
  }

  @Test
  void updateOfAnUndeclaredNamespaceThrowsNotFound() {
    NotFoundException e = thrown(NotFoundException.class, () -> namespaces().update("ns", settings()));

    assertThat(e.namespace()).contains("ns");
    assertThat(e.key()).isEmpty();
    assertThat(namespaces().get("ns")).isEmpty();
  }

  @Test
  void cascadingDeleteRemovesTheNamespaceAndItsEntries() {
    namespaces().create("ns", settings());
    namespaces().create("other", settings());
    store().put("ns", "a", Value.string("1"));
    store().put("ns", "a", Value.string("2"));
    store().put("ns", "b/c", Value.string("3"));
    Entry kept = store().put("other", "a", Value.string("4"));

    assertThat(namespaces().delete("ns", DeleteMode.CASCADE)).isTrue();

    assertThat(namespaces().get("ns")).isEmpty();
    assertThat(names()).containsExactly("other");
    assertThat(store().get("ns", "a")).isEmpty();
    assertThat(store().list("ns", ListOptions.all()).entries()).isEmpty();
    assertThat(store().history("ns", "a")).isEmpty();
    assertThat(store().get("other", "a")).contains(kept);
    assertThat(store().put("ns", "a", Value.string("new")).version()).isEqualTo(1);
  }

  @Test
  void refusingDeleteOfANamespaceWithEntriesThrowsAndRemovesNothing() {
    Namespace ns = namespaces().create("ns", settings());
    Entry e = store().put("ns", "a", Value.string("1"));

    StateConflictException refused =
        thrown(StateConflictException.class, () -> namespaces().delete("ns", DeleteMode.REFUSE_IF_NOT_EMPTY));

    assertThat(refused.namespace()).contains("ns");
    assertThat(refused.key()).isEmpty();

    assertThat(namespaces().get("ns")).contains(ns);
    assertThat(store().get("ns", "a")).contains(e);
  }

  @Test
  void refusingDeleteOfAnEmptyNamespaceDeletesIt() {
    namespaces().create("ns", settings());
    store().put("ns", "a", Value.string("1"));
    store().delete("ns", "a");
    store().put("ns", "gone", Value.string("1"), WriteOptions.ttl(Duration.ofSeconds(1)));
    advance(Duration.ofSeconds(1));

    assertThat(namespaces().delete("ns", DeleteMode.REFUSE_IF_NOT_EMPTY)).isTrue();

    assertThat(namespaces().get("ns")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(DeleteMode.class)
  void deleteOfAnUndeclaredNamespaceReturnsFalse(DeleteMode mode) {
    namespaces().create("other", settings());

    assertThat(namespaces().delete("ns", mode)).isFalse();

    assertThat(names()).containsExactly("other");
  }

  @Test
  void aDeletedNamespaceCanBeDeclaredAgain() {
    namespaces().create("ns", settings());
    namespaces().delete("ns", DeleteMode.CASCADE);
    Instant t1 = advanceMillis(1);

    Namespace again = namespaces().create("ns", NamespaceSettings.defaults());

    assertThat(again.settings()).isEqualTo(NamespaceSettings.defaults());
    assertThat(again.createdAt()).isEqualTo(t1);
  }

  @Test
  void defaultTtlAppliesToWritesThatSetNone() {
    namespaces().create("ns", NamespaceSettings.defaults().withDefaultTtl(Duration.ofSeconds(60)));
    Instant t0 = now();

    Entry byDefault = store().put("ns", "a", Value.string("1"));
    Entry own = store().put("ns", "b", Value.string("2"), WriteOptions.ttl(Duration.ofSeconds(5)));
    Entry elsewhere = store().put(NS, "a", Value.string("3"));

    assertThat(byDefault.expiresAt()).contains(t0.plusSeconds(60));
    assertThat(own.expiresAt()).contains(t0.plusSeconds(5));
    assertThat(elsewhere.expiresAt()).isEmpty();
    clock().set(t0.plusSeconds(60).minusMillis(1));
    assertThat(store().get("ns", "a")).isPresent();
    clock().set(t0.plusSeconds(60));
    assertThat(store().get("ns", "a")).isEmpty();
    assertThat(store().get(NS, "a")).isPresent();
  }

  @Test
  void newSettingsApplyToLaterWritesAndExistingEntriesKeepTheirExpiry() {
    namespaces().create("ns", NamespaceSettings.defaults().withDefaultTtl(Duration.ofSeconds(60)));
    Instant t0 = now();
    store().put("ns", "a", Value.string("1"));

    namespaces().update("ns", NamespaceSettings.defaults());
    Entry b = store().put("ns", "b", Value.string("2"));

    assertThat(store().get("ns", "a").orElseThrow().expiresAt()).contains(t0.plusSeconds(60));
    assertThat(b.expiresAt()).isEqualTo(Optional.empty());
  }

  @Test
  void aDefaultTtlIsKeptInWholeMillisecondsAndAppliedAsKept() {
    Instant t0 = now();
    namespaces().create("ns", NamespaceSettings.defaults().withDefaultTtl(Duration.ofMillis(1).plusNanos(500_000)));

    Optional<Duration> kept = Optional.of(Duration.ofMillis(1));
    assertThat(namespaces().get("ns").orElseThrow().settings().defaultTtl()).isEqualTo(kept);
    assertThat(namespaces().list()).extracting(n -> n.settings().defaultTtl()).containsExactly(kept);
    assertThat(store().put("ns", "k", Value.string("v")).expiresAt()).contains(t0.plusMillis(1));
    advanceMillis(1);
    assertThat(store().get("ns", "k")).isEmpty();
  }

  @Test
  void descriptionAndOwnerAtTheirLimitsReadBackAsWritten() {
    // Pairs of surrogates: two chars, one code point, four bytes of UTF-8 each.
    NamespaceSettings settings = NamespaceSettings.defaults()
        .withDescription("\uD83D\uDCDA".repeat(NamespaceSettings.MAX_DESCRIPTION_LENGTH / 2))
        .withOwner("\u00E9quipe " + "\u4E16".repeat(NamespaceSettings.MAX_OWNER_LENGTH - 7))
        .withMaxVersions(NamespaceSettings.MAX_VERSIONS_LIMIT)
        .withDefaultTtl(WriteOptions.MAX_TTL);

    namespaces().create("ns", settings);

    assertThat(namespaces().get("ns").orElseThrow().settings()).isEqualTo(settings);
    assertThat(namespaces().list()).extracting(Namespace::settings).containsExactly(settings);
  }
}
