package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeFilter;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Namespaces.DeleteMode;
import io.kv.Value;
import io.kv.WriteOptions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input rules with the default {@link InputRules}: every operation refuses a bad key, namespace,
 * value or option with an {@link InvalidInputException} naming the field, before changing
 * anything; a null argument is a {@link NullPointerException}.
 */
public abstract class ValidationContract extends ContractGroup {
  private static final int MIB = InputRules.DEFAULT_MAX_VALUE_BYTES;

  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected ValidationContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected ValidationContract(ContractSuite suite) {
    super(suite);
  }

  static Stream<Arguments> invalidKeys() {
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("only a slash", "/"),
        Arguments.of("leading slash", "/a"),
        Arguments.of("trailing slash", "a/"),
        Arguments.of("double slash", "a//b"),
        Arguments.of("newline", "a\nb"),
        Arguments.of("NUL", "a\u0000b"),
        Arguments.of("DEL", "a\u007Fb"),
        Arguments.of("C1 control", "a\u0085b"),
        Arguments.of("unpaired high surrogate", "a\uD800"),
        Arguments.of("unpaired low surrogate", "\uDC00a"),
        Arguments.of("513 ASCII bytes", "a".repeat(513)),
        Arguments.of("513 bytes in 171 chars", "\u20AC".repeat(171)));
  }

  static Stream<Arguments> invalidNamespaces() {
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("space", "has space"),
        Arguments.of("leading dash", "-lead"),
        Arguments.of("leading underscore", "_lead"),
        Arguments.of("leading dot", ".lead"),
        Arguments.of("65 chars", "n".repeat(65)),
        Arguments.of("slash", "ns/x"),
        Arguments.of("non-ASCII letter", "n\u00FCn"),
        Arguments.of("newline", "a\nb"));
  }

  private List<String> allKeys() {
    return keys(store().list(NS, ListOptions.all().limit(ListOptions.MAX_LIMIT)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidKeys")
  void singleEntryOperationsRefuseAnInvalidKey(String description, String key) {
    Value v = Value.string("v");

    invalid("key", () -> store().put(NS, key, v));
    invalid("key", () -> store().create(NS, key, v));
    invalid("key", () -> store().get(NS, key));
    invalid("key", () -> store().delete(NS, key));

    assertThat(allKeys()).isEmpty();
  }

  @Test
  void everyKeyedOperationRefusesAnInvalidKey() {
    String bad = "a//b";
    Value v = Value.string("v");
    WriteOptions none = WriteOptions.none();

    invalid("key", () -> store().get(NS, bad));
    invalid("key", () -> store().getAll(NS, List.of("ok", bad)));
    invalid("key", () -> store().put(NS, bad, v, none));
    invalid("key", () -> store().create(NS, bad, v, none));
    invalid("key", () -> store().update(NS, bad, v, none));
    invalid("key", () -> store().compareAndSet(NS, bad, 1, v, none));
    invalid("key", () -> store().delete(NS, bad));
    invalid("key", () -> store().deleteIfVersion(NS, bad, 1));
    invalid("key", () -> store().putAll(NS, Map.of(bad, v), none));
    invalid("key", () -> store().deleteAll(NS, List.of(bad)));
    invalid("key", () -> store().rotate(NS, bad, v, none));
    invalid("key", () -> store().rollback(NS, bad, 1, none));
    invalid("key", () -> store().history(NS, bad));

    assertThat(allKeys()).isEmpty();
  }

  @Test
  void keysUpTo512BytesOfUtf8AreAccepted() {
    List<String> longest = List.of(
        "a".repeat(512),
        "\u20AC".repeat(170) + "ab",
        "\uD83D\uDE00".repeat(128),
        "seg/".repeat(127) + "last");
    for (String key : longest) {
      Entry e = store().put(NS, key, Value.string("v"));
      assertThat(store().get(NS, key)).contains(e);
    }

    assertThat(allKeys()).hasSize(longest.size()).containsAll(longest);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidNamespaces")
  void entryOperationsRefuseAnInvalidNamespace(String description, String namespace) {
    Value v = Value.string("v");
    WriteOptions none = WriteOptions.none();

    invalid("namespace", () -> store().get(namespace, "k"));
    invalid("namespace", () -> store().getAll(namespace, List.of("k")));
    invalid("namespace", () -> store().put(namespace, "k", v, none));
    invalid("namespace", () -> store().create(namespace, "k", v, none));
    invalid("namespace", () -> store().update(namespace, "k", v, none));
    invalid("namespace", () -> store().compareAndSet(namespace, "k", 1, v, none));
    invalid("namespace", () -> store().delete(namespace, "k"));
    invalid("namespace", () -> store().deleteIfVersion(namespace, "k", 1));
    invalid("namespace", () -> store().putAll(namespace, Map.of("k", v), none));
    invalid("namespace", () -> store().deleteAll(namespace, List.of("k")));
    invalid("namespace", () -> store().list(namespace, ListOptions.all()));
    invalid("namespace", () -> store().count(namespace));
    invalid("namespace", () -> store().rotate(namespace, "k", v, none));
    invalid("namespace", () -> store().rollback(namespace, "k", 1, none));
    invalid("namespace", () -> store().history(namespace, "k"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidNamespaces")
  void namespaceAdministrationRefusesAnInvalidName(String description, String namespace) {
    invalid("namespace", () -> store().namespaces().create(namespace, NamespaceSettings.defaults()));
    invalid("namespace", () -> store().namespaces().get(namespace));

    assertThat(store().namespaces().list()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "9", "Ns", "my_ns-1.prod", "A.b_c-D"})
  void namespaceNamesOfLettersDigitsAndInnerPunctuationAreAccepted(String namespace) {
    Entry e = store().put(namespace, "k", Value.string("v"));

    assertThat(e.namespace()).isEqualTo(namespace);
    assertThat(store().get(namespace, "k")).contains(e);
  }

  @Test
  void aNamespaceOf64CharactersIsAccepted() {
    String namespace = "n".repeat(64);

    store().put(namespace, "k", Value.string("v"));

    assertThat(store().get(namespace, "k")).isPresent();
    assertThat(store().namespaces().create(namespace, NamespaceSettings.defaults()).name()).isEqualTo(namespace);
  }

  @Test
  void aValueOfOneMebibyteIsAccepted() {
    Value binary = Value.binary(new byte[MIB]);
    Value text = Value.string("\u20AC".repeat((MIB - 1) / 3) + "a");
    assertThat(text.size()).isEqualTo(MIB);

    store().put(NS, "bin", binary);
    store().put(NS, "text", text);

    assertThat(store().get(NS, "bin").orElseThrow().value()).isEqualTo(binary);
    assertThat(store().get(NS, "text").orElseThrow().value()).isEqualTo(text);
  }

  @Test
  void aValueOfOneMebibytePlusOneByteIsRefusedByEveryWrite() {
    Entry existing = put("k", "small");
    Value tooBig = Value.binary(new byte[MIB + 1]);
    Value tooBigText = Value.string("\u20AC".repeat((MIB - 1) / 3) + "ab");
    assertThat(tooBigText.size()).isEqualTo(MIB + 1);
    WriteOptions none = WriteOptions.none();

    invalid("value", () -> store().put(NS, "k", tooBig, none));
    invalid("value", () -> store().put(NS, "new", tooBigText, none));
    invalid("value", () -> store().create(NS, "new", tooBig, none));
    invalid("value", () -> store().update(NS, "k", tooBig, none));
    invalid("value", () -> store().compareAndSet(NS, "k", 1, tooBig, none));
    invalid("value", () -> store().rotate(NS, "k", tooBig, none));
    invalid("value", () -> store().putAll(NS, Map.of("k", tooBig), none));

    assertThat(allKeys()).containsExactly("k");
    assertThat(store().get(NS, "k")).contains(existing);
  }

  @Test
  void metadataAndTagsFollowTheirRules() {
    Entry existing = put("k", "v");
    Value v = Value.string("w");

    invalid("metadata name", () -> store().put(NS, "k", v, WriteOptions.none().withMetadata(Map.of("", "x"))));
    invalid("metadata value", () -> store().put(NS, "k", v, WriteOptions.none().withMetadata(Map.of("n", "a\nb"))));
    invalid("tag", () -> store().put(NS, "k", v, WriteOptions.none().withTags(Set.of(""))));
    invalid("tag", () -> store().update(NS, "k", v, WriteOptions.none().withTags(Set.of("a\u0000"))));
    invalid("metadata", () -> store().create(NS, "new", v,
        WriteOptions.none().withMetadata(Map.of("n", "x".repeat(InputRules.DEFAULT_MAX_METADATA_BYTES)))));

    assertThat(allKeys()).containsExactly("k");
    assertThat(store().get(NS, "k")).contains(existing);
  }

  @Test
  void metadataAndTagsOfExactlyTheBudgetAreAccepted() {
    int budget = InputRules.DEFAULT_MAX_METADATA_BYTES;
    WriteOptions options = WriteOptions.none()
        .withMetadata(Map.of("n", "x".repeat(budget - 1 - 3)))
        .withTags(Set.of("tag"));

    Entry e = store().put(NS, "k", Value.string("v"), options);

    assertThat(e.metadata().get("n")).hasSize(budget - 4);
    assertThat(store().get(NS, "k")).contains(e);
  }

  @TestFactory
  Stream<DynamicTest> nullArgumentsAreRefusedWithNullPointerException() {
    KvStore s = store();
    Value v = Value.string("v");
    WriteOptions none = WriteOptions.none();
    Map<String, Value> nullValue = new HashMap<>();
    nullValue.put("k", null);
    Map<String, Value> nullKey = new HashMap<>();
    nullKey.put(null, v);
    Entry existing = s.put(NS, "k", v);

    Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
    calls.put("get(null, key)", () -> s.get(null, "k"));
    calls.put("get(ns, null)", () -> s.get(NS, null));
    calls.put("getAll(null, keys)", () -> s.getAll(null, List.of("k")));
    calls.put("getAll(ns, null)", () -> s.getAll(NS, null));
    calls.put("getAll(ns, [k, null])", () -> s.getAll(NS, Arrays.asList("k", null)));
    calls.put("put(null, ...)", () -> s.put(null, "k", v, none));
    calls.put("put(ns, null, ...)", () -> s.put(NS, null, v, none));
    calls.put("put(ns, key, null, ...)", () -> s.put(NS, "k", null, none));
    calls.put("put(ns, key, value, null)", () -> s.put(NS, "k", v, null));
    calls.put("create(ns, null, ...)", () -> s.create(NS, null, v, none));
    calls.put("create(ns, key, null, ...)", () -> s.create(NS, "new", null, none));
    calls.put("create(ns, key, value, null)", () -> s.create(NS, "new", v, null));
    calls.put("update(ns, key, null, ...)", () -> s.update(NS, "k", null, none));
    calls.put("update(ns, key, value, null)", () -> s.update(NS, "k", v, null));
    calls.put("compareAndSet(ns, null, ...)", () -> s.compareAndSet(NS, null, 1, v, none));
    calls.put("compareAndSet(ns, key, 1, null, ...)", () -> s.compareAndSet(NS, "k", 1, null, none));
    calls.put("compareAndSet(ns, key, 1, value, null)", () -> s.compareAndSet(NS, "k", 1, v, null));
    calls.put("delete(null, key)", () -> s.delete(null, "k"));
    calls.put("delete(ns, null)", () -> s.delete(NS, null));
    calls.put("deleteIfVersion(ns, null, 1)", () -> s.deleteIfVersion(NS, null, 1));
    calls.put("putAll(ns, null, ...)", () -> s.putAll(NS, null, none));
    calls.put("putAll(ns, {k=null}, ...)", () -> s.putAll(NS, nullValue, none));
    calls.put("putAll(ns, {null=v}, ...)", () -> s.putAll(NS, nullKey, none));
    calls.put("putAll(ns, values, null)", () -> s.putAll(NS, Map.of("k", v), null));
    calls.put("deleteAll(ns, null)", () -> s.deleteAll(NS, null));
    calls.put("deleteAll(ns, [k, null])", () -> s.deleteAll(NS, Arrays.asList("k", null)));
    calls.put("list(null, options)", () -> s.list(null, ListOptions.all()));
    calls.put("list(ns, null)", () -> s.list(NS, null));
    calls.put("count(null)", () -> s.count(null));
    calls.put("rotate(ns, key, null, ...)", () -> s.rotate(NS, "k", null, none));
    calls.put("rotate(ns, key, value, null)", () -> s.rotate(NS, "k", v, null));
    calls.put("rollback(ns, key, 1, null)", () -> s.rollback(NS, "k", 1, null));
    calls.put("history(ns, null)", () -> s.history(NS, null));
    calls.put("subscribe(null, listener)", () -> s.subscribe(null, event -> { }));
    calls.put("subscribe(filter, null)", () -> s.subscribe(ChangeFilter.all(), null));
    calls.put("as(null)", () -> s.as(null));
    calls.put("namespaces().create(null, settings)", () -> s.namespaces().create(null, NamespaceSettings.defaults()));
    calls.put("namespaces().create(name, null)", () -> s.namespaces().create("ns", null));
    calls.put("namespaces().get(null)", () -> s.namespaces().get(null));
    calls.put("namespaces().update(name, null)", () -> s.namespaces().update("ns", null));
    calls.put("namespaces().delete(null, mode)", () -> s.namespaces().delete(null, DeleteMode.CASCADE));
    calls.put("namespaces().delete(name, null)", () -> s.namespaces().delete("ns", null));

    return calls.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
      thrown(NullPointerException.class, c.getValue());
      assertThat(s.get(NS, "k")).contains(existing);
      assertThat(s.get(NS, "new")).isEmpty();
      assertThat(s.namespaces().list()).isEmpty();
    }));
  }
}
