package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Entry;
import io.kv.InputRules;
import io.kv.InvalidInputException;
import io.kv.ListOptions;
import io.kv.Value;
import io.kv.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** getAll, putAll and deleteAll. */
public abstract class BulkContract extends ContractGroup {
  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected BulkContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected BulkContract(ContractSuite suite) {
    super(suite);
  }

  private static List<String> manyKeys(int count) {
    return IntStream.range(0, count).mapToObj(i -> "k" + i).collect(Collectors.toList());
  }

  private static Map<String, Value> values(String... keysAndTexts) {
    Map<String, Value> values = new LinkedHashMap<>();
    for (int i = 0; i < keysAndTexts.length; i += 2) {
      values.put(keysAndTexts[i], Value.string(keysAndTexts[i + 1]));
    }
    return values;
  }

  private List<String> allKeys() {
    return keys(store().list(NS, ListOptions.all().limit(ListOptions.MAX_LIMIT)));
  }

  @Test
  void getAllReturnsLiveEntriesInRequestOrderWithoutDuplicates() {
    Entry c = put("c", "3");
    Entry a = put("a", "1");
    Entry b = put("b", "2");
    store().put(NS, "e", Value.string("expiring"), WriteOptions.ttl(Duration.ofSeconds(5)));
    advance(Duration.ofSeconds(5));

    Map<String, Entry> got = store().getAll(NS, List.of("b", "missing", "a", "b", "e", "c", "a"));

    assertThat(new ArrayList<>(got.keySet())).containsExactly("b", "a", "c");
    assertThat(got).containsEntry("a", a).containsEntry("b", b).containsEntry("c", c);
  }

  @Test
  void getAllOfNoKeysIsEmpty() {
    put("a", "1");

    assertThat(store().getAll(NS, List.of())).isEmpty();
  }

  @Test
  void getAllReadsOnlyItsNamespace() {
    store().put("other", "a", Value.string("elsewhere"));

    assertThat(store().getAll(NS, List.of("a"))).isEmpty();
  }

  @Test
  void getAllAcceptsMaxLimitKeysAndRefusesOneMore() {
    put("k999", "last");

    assertThat(store().getAll(NS, manyKeys(ListOptions.MAX_LIMIT)).keySet()).containsExactly("k999");
    thrown(InvalidInputException.class, () -> store().getAll(NS, manyKeys(ListOptions.MAX_LIMIT + 1)));
  }

  @Test
  void getAllRefusesAnInvalidKey() {
    put("a", "1");

    invalid("key", () -> store().getAll(NS, List.of("a", "bad//key")));
  }

  @Test
  void putAllWritesEveryValueAndReturnsEntriesInInputOrder() {
    Instant t0 = now();
    put("m", "old");
    Instant t1 = advanceMillis(100);

    Map<String, Entry> written = store().putAll(NS, values("z", "26", "a", "1", "m", "13"));

    assertThat(new ArrayList<>(written.keySet())).containsExactly("z", "a", "m");
    assertThat(written.get("z").version()).isEqualTo(1);
    assertThat(written.get("z").createdAt()).isEqualTo(t1);
    assertThat(written.get("a").version()).isEqualTo(1);
    assertThat(written.get("m").version()).isEqualTo(2);
    assertThat(written.get("m").createdAt()).isEqualTo(t0);
    assertThat(written.get("m").updatedAt()).isEqualTo(t1);
    assertThat(written.get("m").value()).isEqualTo(Value.string("13"));
    for (Entry e : written.values()) {
      assertThat(store().get(NS, e.key())).contains(e);
    }
  }

  @Test
  void putAllAppliesTheOptionsToEveryEntry() {
    Instant t0 = now();
    WriteOptions options = WriteOptions.ttl(Duration.ofSeconds(30)).withMetadata(Map.of("batch", "7")).withTags(Set.of("bulk"));

    Map<String, Entry> written = store().putAll(NS, values("a", "1", "b", "2"), options);

    for (Entry e : written.values()) {
      assertThat(e.expiresAt()).contains(t0.plusSeconds(30));
      assertThat(e.metadata()).isEqualTo(Map.of("batch", "7"));
      assertThat(e.tags()).isEqualTo(Set.of("bulk"));
    }
    advance(Duration.ofSeconds(30));
    assertThat(store().getAll(NS, List.of("a", "b"))).isEmpty();
  }

  @Test
  void putAllOfNothingWritesNothing() {
    assertThat(store().putAll(NS, Map.of())).isEmpty();
    assertThat(allKeys()).isEmpty();
  }

  @Test
  void putAllWithAnInvalidKeyWritesNothing() {
    Entry existing = put("b", "old");
    Map<String, Value> batch = values("a", "1", "b", "new", "bad//key", "x", "c", "3");

    invalid("key", () -> store().putAll(NS, batch));

    assertThat(allKeys()).containsExactly("b");
    assertThat(store().get(NS, "b")).contains(existing);
  }

  @Test
  void putAllWithATooLargeValueWritesNothing() {
    Map<String, Value> batch = values("a", "1");
    batch.put("big", Value.binary(new byte[InputRules.DEFAULT_MAX_VALUE_BYTES + 1]));
    batch.put("c", Value.string("3"));

    invalid("value", () -> store().putAll(NS, batch));

    assertThat(allKeys()).isEmpty();
  }

  @Test
  void putAllRefusesMoreThanMaxLimitValues() {
    Map<String, Value> batch = new LinkedHashMap<>();
    manyKeys(ListOptions.MAX_LIMIT + 1).forEach(k -> batch.put(k, Value.number(1)));

    thrown(InvalidInputException.class, () -> store().putAll(NS, batch));

    assertThat(allKeys()).isEmpty();
  }

  @Test
  void putAllAcceptsMaxLimitValues() {
    Map<String, Value> batch = new LinkedHashMap<>();
    manyKeys(ListOptions.MAX_LIMIT).forEach(k -> batch.put(k, Value.number(1)));

    assertThat(store().putAll(NS, batch)).hasSize(ListOptions.MAX_LIMIT);
    assertThat(allKeys()).hasSize(ListOptions.MAX_LIMIT);
  }

  @Test
  void putAllWithInvalidOptionsWritesNothing() {
    Map<String, Value> batch = values("a", "1", "b", "2");
    WriteOptions badOptions = WriteOptions.none().withTags(Set.of(""));

    invalid("tag", () -> store().putAll(NS, batch, badOptions));

    assertThat(allKeys()).isEmpty();
  }

  @Test
  void deleteAllCountsTheLiveEntriesItDeleted() {
    put("a", "1");
    put("b", "2");
    put("c", "3");
    store().put(NS, "d", Value.string("4"), WriteOptions.ttl(Duration.ofSeconds(1)));
    advance(Duration.ofSeconds(1));

    int deleted = store().deleteAll(NS, List.of("a", "missing", "b", "d", "a"));

    assertThat(deleted).isEqualTo(2);
    assertThat(allKeys()).containsExactly("c");
  }

  @Test
  void deleteAllOfNothingDeletesNothing() {
    put("a", "1");

    assertThat(store().deleteAll(NS, List.of())).isZero();
    assertThat(allKeys()).containsExactly("a");
  }

  @Test
  void deleteAllWithAnInvalidKeyDeletesNothing() {
    put("a", "1");
    put("b", "2");

    invalid("key", () -> store().deleteAll(NS, List.of("a", "/bad", "b")));

    assertThat(allKeys()).containsExactly("a", "b");
  }

  @Test
  void deleteAllRefusesMoreThanMaxLimitKeys() {
    put("k0", "v");

    thrown(InvalidInputException.class, () -> store().deleteAll(NS, manyKeys(ListOptions.MAX_LIMIT + 1)));

    assertThat(allKeys()).containsExactly("k0");
  }
}
