package io.kv.testkit;

import io.kv.InputRules;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The shared corpus of bad inputs: keys, namespace names, values, free-text fields (reason,
 * principal, description, owner, metadata and tags), TTLs, versions and listing options, each
 * just past a rule of the default {@link InputRules}, of {@link WriteOptions}, {@link
 * NamespaceSettings} or {@link Principal}. Every store, alone or under layers, must refuse each
 * one with an {@link io.kv.InvalidInputException} naming the same field, and change nothing.
 *
 * <p>The attempts expect a store {@link #seed(KvStore) seeded} with a few entries and a declared
 * namespace, so that updates, conditional writes and rollbacks reach an entry that exists. A
 * backend author runs the corpus through {@link BadInputContract}. Stateless and thread-safe.
 */
public final class BadInputs {
  /** The undeclared namespace the attempts write to; it holds {@link #KEY}. */
  public static final String NS = "app";

  /** The declared namespace of the seed: a description, an owner, a default TTL and history. */
  public static final String DECLARED = "kept";

  /** The key of the seed's entry in {@link #NS}, at version 2, and in {@link #DECLARED}. */
  public static final String KEY = "a";

  private static final int MAX_VALUE = InputRules.DEFAULT_MAX_VALUE_BYTES;
  private static final Value V = Value.string("bad-input");

  private BadInputs() {}

  /**
   * Writes what the attempts expect: {@link #KEY} in {@link #NS} at version 2, the namespace
   * {@link #DECLARED} with its settings, and {@link #KEY} in it at version 2 with a reason.
   *
   * @param store an empty store
   */
  public static void seed(KvStore store) {
    store.put(NS, KEY, Value.string("one"));
    store.put(NS, KEY, Value.string("two"), WriteOptions.none().withReason("seeded"));
    store.namespaces().create(DECLARED, NamespaceSettings.defaults().withDescription("seeded by the bad-input suite")
        .withOwner("testkit").withDefaultTtl(Duration.ofDays(1)).withMaxVersions(3));
    store.put(DECLARED, KEY, Value.json("{\"n\":1}"), WriteOptions.none().withMetadata(Map.of("m", "1")).withTags(Set.of("t")));
    store.as(Principal.of("seeder")).put(DECLARED, KEY, Value.json("{\"n\":2}"), WriteOptions.none().withReason("second"));
  }

  /**
   * Every bad input of the corpus, grouped, in a fixed order.
   *
   * @return every bad input of the corpus, grouped, in a fixed order
   */
  public static List<BadInput> all() {
    List<BadInput> out = new ArrayList<>();
    keys(out);
    namespaces(out);
    values(out);
    reasons(out);
    principals(out);
    namespaceTexts(out);
    metadata(out);
    ttls(out);
    versions(out);
    listings(out);
    return Collections.unmodifiableList(out);
  }

  /** Broken text every free-text field refuses, by name. */
  private static Map<String, String> brokenText() {
    return named("NUL", "a\u0000b", "line break", "a\nb", "DEL", "a\u007Fb", "C1 control", "a\u0085b",
        "lone high surrogate", "a\uD800b", "lone low surrogate", "a\uDC00b", "surrogates in the wrong order", "\uDC00\uD800");
  }

  /** The pairs of {@code namesAndTexts} (a name, then its text) as an ordered map. */
  private static Map<String, String> named(String... namesAndTexts) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndTexts.length; i += 2) {
      m.put(namesAndTexts[i], namesAndTexts[i + 1]);
    }
    return m;
  }

  private static void add(List<BadInput> out, String group, String name, String field, BadInput.Attempt attempt) {
    out.add(new BadInput(group, name, field, attempt));
  }

  private static void keys(List<BadInput> out) {
    Map<String, String> bad = named("empty", "", "only a slash", "/", "leading slash", "/a", "trailing slash", "a/",
        "empty segment", "a//b", "dot segments behind an empty one", "..//a", "tab", "a\tb",
        "one byte over the limit", "k".repeat(InputRules.DEFAULT_MAX_KEY_BYTES + 1),
        "one byte over the limit in 3-byte chars", "\u20AC".repeat(171),
        "one byte over the limit in 4-byte chars", "\uD83D\uDE00".repeat(128) + "k");
    brokenText().forEach(bad::put);
    bad.forEach((name, key) -> add(out, "key", name, "key", s -> s.put(NS, key, V)));

    String key = "a\u0000b";
    add(out, "key", "NUL in get", "key", s -> s.get(NS, key));
    add(out, "key", "NUL in create", "key", s -> s.create(NS, key, V));
    add(out, "key", "NUL in update", "key", s -> s.update(NS, key, V));
    add(out, "key", "NUL in compareAndSet", "key", s -> s.compareAndSet(NS, key, 1, V));
    add(out, "key", "NUL in delete", "key", s -> s.delete(NS, key));
    add(out, "key", "NUL in deleteIfVersion", "key", s -> s.deleteIfVersion(NS, key, 1));
    add(out, "key", "NUL in rotate", "key", s -> s.rotate(NS, key, V, WriteOptions.none()));
    add(out, "key", "NUL in rollback", "key", s -> s.rollback(NS, key, 1, WriteOptions.none()));
    add(out, "key", "NUL in history", "key", s -> s.history(NS, key));
    add(out, "key", "lone surrogate in getAll", "key", s -> s.getAll(NS, List.of(KEY, "\uD800")));
    add(out, "key", "empty segment in putAll beside a good key", "key",
        s -> s.putAll(NS, orderedMap("fresh", V, "x//y", V)));
    add(out, "key", "NUL in deleteAll beside a good key", "key", s -> s.deleteAll(NS, List.of(KEY, key)));
  }

  private static void namespaces(List<BadInput> out) {
    Map<String, String> bad = named("empty", "", "one over the limit", "n".repeat(InputRules.DEFAULT_MAX_NAMESPACE_LENGTH + 1),
        "space", "has space", "leading dash", "-n", "leading dot", ".n", "dot dot", "..", "slash", "n/x",
        "non-ASCII letter", "n\u00FCn", "NUL", "n\u0000", "lone surrogate", "n\uD800");
    bad.forEach((name, ns) -> add(out, "namespace", name, "namespace", s -> s.put(ns, KEY, V)));
    add(out, "namespace", "NUL when declared", "namespace", s -> s.namespaces().create("n\u0000", NamespaceSettings.defaults()));
    add(out, "namespace", "slash when read", "namespace", s -> s.namespaces().get("n/x"));
    add(out, "namespace", "space when updated", "namespace", s -> s.namespaces().update("has space", NamespaceSettings.defaults()));
    add(out, "namespace", "empty in list", "namespace", s -> s.list("", ListOptions.all()));
  }

  private static void values(List<BadInput> out) {
    add(out, "value", "STRING one byte over the limit", "value", s -> s.put(NS, "fresh", Value.string("v".repeat(MAX_VALUE + 1))));
    add(out, "value", "BINARY one byte over the limit", "value", s -> s.put(NS, "fresh", Value.binary(new byte[MAX_VALUE + 1])));
    add(out, "value", "JSON one byte over the limit", "value",
        s -> s.put(NS, "fresh", Value.json("\"" + "j".repeat(MAX_VALUE - 1) + "\"")));
    add(out, "value", "over the limit in an update", "value", s -> s.update(NS, KEY, Value.binary(new byte[MAX_VALUE + 1])));
    add(out, "value", "over the limit in putAll beside a good value", "value",
        s -> s.putAll(NS, orderedMap("fresh", V, "big", Value.binary(new byte[MAX_VALUE + 1]))));
    add(out, "value", "STRING with a lone surrogate", "value", s -> s.put(NS, "fresh", Value.string("v\uDBFF")));
    add(out, "value", "STRING bytes that are not UTF-8", "value",
        s -> s.put(NS, "fresh", Value.of(ValueType.STRING, new byte[] {'a', (byte) 0xC3})));
    add(out, "value", "STRING bytes of an overlong NUL", "value",
        s -> s.put(NS, "fresh", Value.of(ValueType.STRING, new byte[] {(byte) 0xC0, (byte) 0x80})));
    add(out, "value", "STRING bytes of an encoded surrogate", "value",
        s -> s.put(NS, "fresh", Value.of(ValueType.STRING, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})));
    add(out, "value", "JSON that is cut short", "value", s -> s.put(NS, "fresh", Value.json("{\"a\":")));
    add(out, "value", "JSON bytes that are not UTF-8", "value",
        s -> s.put(NS, "fresh", Value.of(ValueType.JSON, new byte[] {'"', (byte) 0xFF, '"'})));
    add(out, "value", "NUMBER that is not a number", "value", s -> s.put(NS, "fresh", Value.number("twelve")));
    add(out, "value", "BOOLEAN that is neither true nor false", "value",
        s -> s.put(NS, "fresh", Value.of(ValueType.BOOLEAN, "yes".getBytes(StandardCharsets.US_ASCII))));
  }

  private static void reasons(List<BadInput> out) {
    Function<String, WriteOptions> reason = r -> WriteOptions.none().withReason(r);
    brokenText().forEach((name, text) -> add(out, "reason", name, "reason", s -> s.put(NS, KEY, V, reason.apply(text))));
    add(out, "reason", "one character over the limit", "reason",
        s -> s.put(NS, KEY, V, reason.apply("r".repeat(WriteOptions.MAX_REASON_LENGTH + 1))));
    add(out, "reason", "4 MiB", "reason", s -> s.put(NS, KEY, V, reason.apply("r".repeat(4 << 20))));
    add(out, "reason", "NUL in create", "reason", s -> s.create(NS, "fresh", V, reason.apply("a\u0000")));
    add(out, "reason", "NUL in update", "reason", s -> s.update(NS, KEY, V, reason.apply("a\u0000")));
    add(out, "reason", "NUL in compareAndSet", "reason", s -> s.compareAndSet(NS, KEY, 2, V, reason.apply("a\u0000")));
    add(out, "reason", "NUL in putAll", "reason", s -> s.putAll(NS, Map.of("fresh", V), reason.apply("a\u0000")));
    add(out, "reason", "lone surrogate in rotate", "reason", s -> s.rotate(NS, KEY, V, reason.apply("\uD800")));
    add(out, "reason", "lone surrogate in rollback", "reason", s -> s.rollback(DECLARED, KEY, 1, reason.apply("\uDC00")));
  }

  private static void principals(List<BadInput> out) {
    Map<String, String> bad = new LinkedHashMap<>(brokenText());
    bad.put("empty", "");
    bad.put("blank", "  ");
    bad.put("one character over the limit", "p".repeat(Principal.MAX_NAME_LENGTH + 1));
    bad.forEach((name, text) -> add(out, "principal", name, "principal", s -> s.as(Principal.of(text)).put(NS, KEY, V)));
  }

  private static void namespaceTexts(List<BadInput> out) {
    NamespaceSettings d = NamespaceSettings.defaults();
    brokenText().forEach((name, text) -> {
      add(out, "description", name, "description", s -> s.namespaces().create("fresh", d.withDescription(text)));
      add(out, "owner", name, "owner", s -> s.namespaces().create("fresh", d.withOwner(text)));
    });
    add(out, "description", "one character over the limit", "description",
        s -> s.namespaces().create("fresh", d.withDescription("d".repeat(NamespaceSettings.MAX_DESCRIPTION_LENGTH + 1))));
    add(out, "description", "4 MiB in an update", "description",
        s -> s.namespaces().update(DECLARED, d.withDescription("d".repeat(4 << 20))));
    add(out, "description", "NUL in an update", "description", s -> s.namespaces().update(DECLARED, d.withDescription("\u0000")));
    add(out, "owner", "one character over the limit", "owner",
        s -> s.namespaces().create("fresh", d.withOwner("o".repeat(NamespaceSettings.MAX_OWNER_LENGTH + 1))));
    add(out, "owner", "lone surrogate in an update", "owner", s -> s.namespaces().update(DECLARED, d.withOwner("\uDBFF")));
    add(out, "maxVersions", "negative", "maxVersions", s -> s.namespaces().create("fresh", d.withMaxVersions(-1)));
    add(out, "maxVersions", "one over the limit", "maxVersions",
        s -> s.namespaces().update(DECLARED, d.withMaxVersions(NamespaceSettings.MAX_VERSIONS_LIMIT + 1)));
  }

  private static void metadata(List<BadInput> out) {
    Function<Map<String, String>, WriteOptions> meta = m -> WriteOptions.none().withMetadata(m);
    add(out, "metadata", "empty name", "metadata name", s -> s.put(NS, KEY, V, meta.apply(Map.of("", "v"))));
    add(out, "metadata", "NUL in a name", "metadata name", s -> s.put(NS, KEY, V, meta.apply(Map.of("a\u0000", "v"))));
    add(out, "metadata", "lone surrogate in a name", "metadata name", s -> s.put(NS, KEY, V, meta.apply(Map.of("\uD800", "v"))));
    add(out, "metadata", "NUL in a value", "metadata value", s -> s.put(NS, KEY, V, meta.apply(Map.of("m", "\u0000"))));
    add(out, "metadata", "line break in a value", "metadata value", s -> s.put(NS, KEY, V, meta.apply(Map.of("m", "a\nb"))));
    add(out, "metadata", "lone surrogate in a value", "metadata value", s -> s.put(NS, KEY, V, meta.apply(Map.of("m", "\uDC00"))));
    add(out, "metadata", "one byte over the budget", "metadata",
        s -> s.put(NS, KEY, V, meta.apply(Map.of("m", "v".repeat(InputRules.DEFAULT_MAX_METADATA_BYTES)))));
    add(out, "metadata", "NUL in putAll", "metadata value", s -> s.putAll(NS, Map.of("fresh", V), meta.apply(Map.of("m", "\u0000"))));
    add(out, "metadata", "NUL in rollback", "metadata value",
        s -> s.rollback(DECLARED, KEY, 1, meta.apply(Map.of("m", "\u0000"))));
    add(out, "tag", "empty", "tag", s -> s.put(NS, KEY, V, WriteOptions.none().withTags(Set.of(""))));
    add(out, "tag", "NUL", "tag", s -> s.put(NS, KEY, V, WriteOptions.none().withTags(Set.of("t\u0000"))));
    add(out, "tag", "lone surrogate", "tag", s -> s.put(NS, KEY, V, WriteOptions.none().withTags(Set.of("\uD800t"))));
  }

  private static void ttls(List<BadInput> out) {
    Map<String, Duration> bad = new LinkedHashMap<>();
    bad.put("zero", Duration.ZERO);
    bad.put("negative", Duration.ofMillis(-1));
    bad.put("one nanosecond", Duration.ofNanos(1));
    bad.put("a nanosecond under a millisecond", Duration.ofNanos(999_999));
    bad.put("one millisecond over the maximum", WriteOptions.MAX_TTL.plusMillis(1));
    bad.put("ChronoUnit.FOREVER", ChronoUnit.FOREVER.getDuration());
    bad.put("Long.MAX_VALUE seconds", Duration.ofSeconds(Long.MAX_VALUE));
    bad.put("Long.MIN_VALUE seconds", Duration.ofSeconds(Long.MIN_VALUE));
    NamespaceSettings d = NamespaceSettings.defaults();
    bad.forEach((name, ttl) -> {
      add(out, "ttl", name, "ttl", s -> s.put(NS, KEY, V, WriteOptions.ttl(ttl)));
      add(out, "defaultTtl", name, "defaultTtl", s -> s.namespaces().create("fresh", d.withDefaultTtl(ttl)));
    });
    add(out, "ttl", "one nanosecond in putAll", "ttl", s -> s.putAll(NS, Map.of("fresh", V), WriteOptions.ttl(Duration.ofNanos(1))));
    add(out, "ttl", "zero in rollback", "ttl", s -> s.rollback(DECLARED, KEY, 1, WriteOptions.none().withTtl(Duration.ZERO)));
    add(out, "defaultTtl", "FOREVER in an update", "defaultTtl",
        s -> s.namespaces().update(DECLARED, d.withDefaultTtl(ChronoUnit.FOREVER.getDuration())));
    add(out, "defaultTtl", "one nanosecond in an update", "defaultTtl",
        s -> s.namespaces().update(DECLARED, d.withDefaultTtl(Duration.ofNanos(1))));
  }

  private static void versions(List<BadInput> out) {
    add(out, "version", "compareAndSet from 0", "expectedVersion", s -> s.compareAndSet(NS, KEY, 0, V));
    add(out, "version", "compareAndSet from -1", "expectedVersion", s -> s.compareAndSet(NS, KEY, -1, V));
    add(out, "version", "compareAndSet from Long.MIN_VALUE", "expectedVersion", s -> s.compareAndSet(NS, KEY, Long.MIN_VALUE, V));
    add(out, "version", "deleteIfVersion 0", "expectedVersion", s -> s.deleteIfVersion(NS, KEY, 0));
    add(out, "version", "deleteIfVersion -1", "expectedVersion", s -> s.deleteIfVersion(NS, KEY, -1));
    add(out, "version", "rollback to 0", "toVersion", s -> s.rollback(DECLARED, KEY, 0, WriteOptions.none()));
    add(out, "version", "rollback to -1", "toVersion", s -> s.rollback(DECLARED, KEY, -1, WriteOptions.none()));
  }

  private static void listings(List<BadInput> out) {
    add(out, "listing", "limit 0", "limit", s -> s.list(NS, ListOptions.all().limit(0)));
    add(out, "listing", "limit one over the maximum", "limit", s -> s.list(NS, ListOptions.all().limit(ListOptions.MAX_LIMIT + 1)));
    add(out, "listing", "NUL in a prefix", "prefix", s -> s.list(NS, ListOptions.prefix("a\u0000")));
    add(out, "listing", "lone surrogate in a prefix", "prefix", s -> s.list(NS, ListOptions.prefix("\uDC00")));
    add(out, "listing", "prefix one byte over the key limit", "prefix",
        s -> s.list(NS, ListOptions.prefix("p".repeat(InputRules.DEFAULT_MAX_KEY_BYTES + 1))));
    add(out, "listing", "a cursor no store made", "cursor", s -> s.list(NS, ListOptions.all().after("not a cursor")));
    add(out, "batch", "getAll one key over the maximum", "keys", s -> s.getAll(NS, manyKeys(ListOptions.MAX_LIMIT + 1)));
    add(out, "batch", "deleteAll one key over the maximum", "keys", s -> s.deleteAll(NS, manyKeys(ListOptions.MAX_LIMIT + 1)));
    add(out, "batch", "putAll one value over the maximum", "keys", s -> {
      Map<String, Value> values = new LinkedHashMap<>();
      manyKeys(ListOptions.MAX_LIMIT + 1).forEach(k -> values.put(k, V));
      s.putAll(NS, values);
    });
  }

  private static List<String> manyKeys(int n) {
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add("many/" + i);
    }
    return keys;
  }

  private static Map<String, Value> orderedMap(String k1, Value v1, String k2, Value v2) {
    Map<String, Value> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }
}
