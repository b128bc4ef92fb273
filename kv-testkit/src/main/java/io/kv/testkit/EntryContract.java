package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.AlreadyExistsException;
import io.kv.Entry;
import io.kv.NotFoundException;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.WriteOptions;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** get, put, create, update and delete on single entries. */
public abstract class EntryContract extends ContractGroup {
  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected EntryContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected EntryContract(ContractSuite suite) {
    super(suite);
  }

  static Value sample(ValueType type) {
    switch (type) {
      case STRING:
        return Value.string("héllo wörld ✓ 😀");
      case JSON:
        return Value.json("{\"a\":[1,2.5,{\"b\":null}],\"c\":\"ü\"}");
      case NUMBER:
        return Value.number(new BigDecimal("3306.50"));
      case BOOLEAN:
        return Value.bool(true);
      case BINARY:
        return Value.binary(new byte[] {0, -1, 127, -128, 10, 13, 0});
      default:
        throw new AssertionError(type);
    }
  }

  @Test
  void getOfMissingKeyIsEmpty() {
    assertThat(store().get(NS, "missing")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ValueType.class)
  void putThenGetReturnsTheSameTypedValue(ValueType type) {
    Value value = sample(type);

    Entry written = store().put(NS, "k", value);

    assertThat(written.value()).isEqualTo(value);
    Value read = store().get(NS, "k").orElseThrow().value();
    assertThat(read).isEqualTo(value);
    assertThat(read.type()).isEqualTo(type);
    assertThat(read.bytes()).containsExactly(value.bytes());
  }

  @Test
  void numberKeepsItsScaleAndBooleanFalseRoundTrips() {
    store().put(NS, "n", Value.number(new BigDecimal("1.50")));
    store().put(NS, "f", Value.bool(false));
    store().put(NS, "s", Value.string("42"));

    assertThat(store().get(NS, "n").orElseThrow().value().asNumber()).isEqualByComparingTo("1.50");
    assertThat(store().get(NS, "n").orElseThrow().value().asString()).isEqualTo("1.50");
    assertThat(store().get(NS, "f").orElseThrow().value().asBoolean()).isFalse();
    assertThat(store().get(NS, "s").orElseThrow().value()).isNotEqualTo(Value.number(42)).isEqualTo(Value.string("42"));
  }

  @Test
  void emptyStringAndEmptyBinaryRoundTrip() {
    store().put(NS, "s", Value.string(""));
    store().put(NS, "b", Value.binary(new byte[0]));

    assertThat(store().get(NS, "s").orElseThrow().value()).isEqualTo(Value.string(""));
    assertThat(store().get(NS, "b").orElseThrow().value()).isEqualTo(Value.binary(new byte[0]));
  }

  @Test
  void firstPutIsVersionOneStampedWithTheClock() {
    Instant t0 = now();

    Entry e = put("db/host", "localhost");

    assertThat(e.namespace()).isEqualTo(NS);
    assertThat(e.key()).isEqualTo("db/host");
    assertThat(e.value()).isEqualTo(Value.string("localhost"));
    assertThat(e.version()).isEqualTo(1);
    assertThat(e.createdAt()).isEqualTo(t0);
    assertThat(e.updatedAt()).isEqualTo(t0);
    assertThat(e.expiresAt()).isEmpty();
    assertThat(e.metadata()).isEmpty();
    assertThat(e.tags()).isEmpty();
    assertThat(store().get(NS, "db/host")).contains(e);
  }

  @Test
  void secondPutAddsOneVersionKeepsCreatedAtAndMovesUpdatedAt() {
    Instant t0 = now();
    put("k", "one");
    Instant t1 = advanceMillis(1_500);

    Entry e = put("k", "two");

    assertThat(e.version()).isEqualTo(2);
    assertThat(e.createdAt()).isEqualTo(t0);
    assertThat(e.updatedAt()).isEqualTo(t1);
    assertThat(e.value()).isEqualTo(Value.string("two"));
    assertThat(store().get(NS, "k")).contains(e);
  }

  @Test
  void everyWriteAddsOneVersion() {
    for (int i = 1; i <= 5; i++) {
      assertThat(put("k", "v" + i).version()).isEqualTo(i);
    }
    assertThat(store().get(NS, "k").orElseThrow().version()).isEqualTo(5);
  }

  @Test
  void timestampsHaveMillisecondPrecision() {
    Instant subMilli = Instant.parse("2030-01-01T00:00:00.001999999Z");
    clock().set(subMilli);
    Instant millis = subMilli.truncatedTo(ChronoUnit.MILLIS);

    Entry e = put("k", "v");

    assertThat(e.updatedAt().getNano() % 1_000_000).isZero();
    assertThat(e.updatedAt()).isIn(millis, millis.plusMillis(1));
    assertThat(e.createdAt()).isEqualTo(e.updatedAt());
    assertThat(store().get(NS, "k")).contains(e);
  }

  @Test
  void metadataAndTagsRoundTripAndTheNextWriteReplacesThem() {
    WriteOptions first = WriteOptions.none()
        .withMetadata(Map.of("owner", "team-a", "env", "prod"))
        .withTags(Set.of("db", "primary"));

    Entry e1 = store().put(NS, "k", Value.string("v1"), first);

    assertThat(e1.metadata()).isEqualTo(Map.of("owner", "team-a", "env", "prod"));
    assertThat(e1.tags()).isEqualTo(Set.of("db", "primary"));
    assertThat(store().get(NS, "k")).contains(e1);

    Entry e2 = store().put(NS, "k", Value.string("v2"), WriteOptions.none().withMetadata(Map.of("env", "dev")));

    assertThat(e2.metadata()).isEqualTo(Map.of("env", "dev"));
    assertThat(e2.tags()).isEmpty();
    assertThat(store().get(NS, "k")).contains(e2);

    Entry e3 = store().put(NS, "k", Value.string("v3"));

    assertThat(e3.metadata()).isEmpty();
    assertThat(e3.tags()).isEmpty();
  }

  @Test
  void metadataMayHoldAnEmptyValue() {
    Entry e = store().put(NS, "k", Value.string("v"), WriteOptions.none().withMetadata(Map.of("note", "")));

    assertThat(e.metadata()).isEqualTo(Map.of("note", ""));
    assertThat(store().get(NS, "k").orElseThrow().metadata()).isEqualTo(Map.of("note", ""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"with space", "ünï/cødé", "日本/キー", "emoji/😀", "100%", "under_score", "a.b-c~d", "x", "'quote\"", "back\\slash"})
  void keysMayHoldAnyPrintableUnicode(String key) {
    Entry e = store().put(NS, key, Value.string("v"));

    assertThat(e.key()).isEqualTo(key);
    assertThat(store().get(NS, key)).contains(e);
    assertThat(store().get(NS, key + "x")).isEmpty();
  }

  @Test
  void namespacesAreIsolated() {
    store().put("app", "k", Value.string("in app"));
    store().put("app2", "k", Value.string("in app2"));

    assertThat(store().get("app", "k").orElseThrow().value()).isEqualTo(Value.string("in app"));
    assertThat(store().get("app2", "k").orElseThrow().value()).isEqualTo(Value.string("in app2"));
    assertThat(store().get("other", "k")).isEmpty();
    assertThat(store().delete("app", "k")).isTrue();
    assertThat(store().get("app2", "k")).isPresent();
  }

  @Test
  void keysAreCaseSensitive() {
    put("Key", "upper");
    put("key", "lower");

    assertThat(store().get(NS, "Key").orElseThrow().value()).isEqualTo(Value.string("upper"));
    assertThat(store().get(NS, "key").orElseThrow().value()).isEqualTo(Value.string("lower"));
    assertThat(store().get(NS, "KEY")).isEmpty();
  }

  @Test
  void createWritesVersionOne() {
    Instant t0 = now();

    Entry e = store().create(NS, "k", Value.string("v"));

    assertThat(e.version()).isEqualTo(1);
    assertThat(e.createdAt()).isEqualTo(t0);
    assertThat(e.updatedAt()).isEqualTo(t0);
    assertThat(e.expiresAt()).isEmpty();
    assertThat(store().get(NS, "k")).contains(e);
  }

  @Test
  void createOnExistingEntryThrowsAlreadyExistsAndChangesNothing() {
    Entry original = put("k", "original");
    advanceMillis(10);

    AlreadyExistsException e = thrown(AlreadyExistsException.class, () -> store().create(NS, "k", Value.string("other")));

    assertThat(e.namespace()).contains(NS);
    assertThat(e.key()).contains("k");
    assertThat(store().get(NS, "k")).contains(original);
  }

  @Test
  void createOnDeletedEntrySucceeds() {
    put("k", "v");
    store().delete(NS, "k");

    assertThat(store().create(NS, "k", Value.string("again")).version()).isEqualTo(1);
  }

  @Test
  void updateOfAbsentEntryThrowsNotFoundAndWritesNothing() {
    NotFoundException e = thrown(NotFoundException.class, () -> store().update(NS, "k", Value.string("v")));

    assertThat(e.namespace()).contains(NS);
    assertThat(e.key()).contains("k");
    assertThat(store().get(NS, "k")).isEmpty();
  }

  @Test
  void updateOfPresentEntryAddsOneVersion() {
    Instant t0 = now();
    put("k", "one");
    Instant t1 = advanceMillis(2_000);

    Entry e = store().update(NS, "k", Value.string("two"), WriteOptions.none().withTags(Set.of("t")));

    assertThat(e.version()).isEqualTo(2);
    assertThat(e.createdAt()).isEqualTo(t0);
    assertThat(e.updatedAt()).isEqualTo(t1);
    assertThat(e.value()).isEqualTo(Value.string("two"));
    assertThat(e.tags()).containsExactly("t");
    assertThat(store().get(NS, "k")).contains(e);
  }

  @Test
  void deleteReturnsWhetherALiveEntryWasThere() {
    put("k", "v");

    assertThat(store().delete(NS, "k")).isTrue();
    assertThat(store().get(NS, "k")).isEmpty();
    assertThat(store().delete(NS, "k")).isFalse();
    assertThat(store().delete(NS, "never")).isFalse();
  }

  @Test
  void deleteLeavesOtherKeysAlone() {
    put("a", "1");
    put("a/b", "2");
    put("ab", "3");

    store().delete(NS, "a");

    assertThat(store().get(NS, "a/b")).isPresent();
    assertThat(store().get(NS, "ab")).isPresent();
  }

  @Test
  void putAfterDeleteStartsAgainAtVersionOneWithANewCreatedAt() {
    put("k", "one");
    put("k", "two");
    advanceMillis(1_000);
    store().delete(NS, "k");
    Instant t2 = advanceMillis(1_000);

    Entry e = put("k", "three");

    assertThat(e.version()).isEqualTo(1);
    assertThat(e.createdAt()).isEqualTo(t2);
    assertThat(e.updatedAt()).isEqualTo(t2);
    assertThat(store().get(NS, "k")).contains(e);
  }
}
