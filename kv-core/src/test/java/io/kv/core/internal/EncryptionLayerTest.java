package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kv.ChangeType;
import io.kv.DecryptionException;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Page;
import io.kv.Principal;
import io.kv.StateConflictException;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EncryptionLayerTest {
  private static final String SECRET = "s3cr3t-plaintext-42";
  private static final String VAULT = "vault";
  private static final NamespaceSettings SECRET_NS = NamespaceSettings.defaults().withSecret(true).withMaxVersions(5);

  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(clock).build();
  private final byte[] masterKey = TestKeys.random();
  private final KvStore store = new EncryptionLayer(backend, TestKeys.ring("k1", "k1", masterKey));

  @BeforeEach
  void declareSecretNamespace() {
    store.namespaces().create(VAULT, SECRET_NS);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Stream<Value> values() {
    return Stream.of(
        Value.string(SECRET),
        Value.json("{\"password\":\"" + SECRET + "\"}"),
        Value.number("12345.6789"),
        Value.bool(true),
        Value.binary(SECRET.getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest
  @MethodSource("values")
  void everyValueTypeRoundTripsThroughEveryRead(Value value) {
    Entry written = store.put(VAULT, "db/password", value, WriteOptions.none().withMetadata(Map.of("m", "1")));

    assertThat(written.value()).isEqualTo(value);
    assertThat(written.metadata()).containsEntry("m", "1");
    assertThat(store.get(VAULT, "db/password")).contains(written);
    assertThat(store.getAll(VAULT, List.of("db/password", "absent"))).containsExactly(Map.entry("db/password", written));
    assertThat(store.list(VAULT, ListOptions.prefix("db/")).entries()).containsExactly(written);
    assertThat(store.history(VAULT, "db/password")).extracting(VersionRecord::value).containsExactly(value);
  }

  @ParameterizedTest
  @MethodSource("values")
  void theBackendHoldsABinaryEnvelopeWithoutThePlaintext(Value value) {
    Entry written = store.put(VAULT, "k", value);
    store.put(VAULT, "k", value);

    Entry stored = backend.get(VAULT, "k").orElseThrow();
    assertThat(stored.value().type()).isEqualTo(ValueType.BINARY);
    assertThat(stored.value()).isNotEqualTo(value);
    assertThat(stored).usingRecursiveComparison().ignoringFields("value", "version", "revision").isEqualTo(written);
    List<Value> everything = new ArrayList<>();
    everything.add(stored.value());
    backend.history(VAULT, "k").forEach(r -> everything.add(r.value()));
    backend.list(VAULT, ListOptions.all()).entries().forEach(e -> everything.add(e.value()));
    assertThat(everything).hasSize(4).allSatisfy(v -> {
      assertThat(v.type()).isEqualTo(ValueType.BINARY);
      assertThat(TestKeys.contains(v.bytes(), SECRET.getBytes(StandardCharsets.UTF_8))).isFalse();
      assertThat(TestKeys.contains(v.bytes(), value.bytes())).isFalse();
    });
  }

  @Test
  void twoWritesOfOneValueStoreDifferentCiphertexts() {
    store.put(VAULT, "a", Value.string(SECRET));
    store.put(VAULT, "b", Value.string(SECRET));
    store.put(VAULT, "a", Value.string(SECRET));

    List<VersionRecord> history = backend.history(VAULT, "a");
    Value b = backend.get(VAULT, "b").orElseThrow().value();
    assertThat(history.get(0).value()).isNotEqualTo(history.get(1).value()).isNotEqualTo(b);
    assertThat(history.get(1).value()).isNotEqualTo(b);
  }

  @Test
  void valuesOfOtherNamespacesPassUntouched() {
    store.namespaces().create("declared", NamespaceSettings.defaults().withMaxVersions(2));
    for (String ns : List.of("declared", "undeclared")) {
      Entry written = store.put(ns, "k", Value.string(SECRET));

      assertThat(backend.get(ns, "k")).contains(written);
      assertThat(store.get(ns, "k")).contains(written);
      assertThat(written.value()).isEqualTo(Value.string(SECRET));
    }
  }

  @Test
  void everyWriteReturnsThePlaintextEntryAndEveryVersionDecrypts() {
    KvStore alice = store.as(Principal.of("alice"));
    Entry v1 = store.create(VAULT, "k", Value.string("one"), WriteOptions.none());
    Entry v2 = store.update(VAULT, "k", Value.number(2), WriteOptions.none());
    Entry v3 = store.compareAndSet(VAULT, "k", 2, Value.bool(false), WriteOptions.none());
    Entry v4 = alice.rotate(VAULT, "k", Value.json("[4]"), WriteOptions.none().withReason("quarterly"));
    Map<String, Entry> v5 = store.putAll(VAULT, orderedValues("k", Value.string("five"), "other", Value.string("o")));

    assertThat(List.of(v1, v2, v3, v4, v5.get("k"))).extracting(Entry::value)
        .containsExactly(Value.string("one"), Value.number(2), Value.bool(false), Value.json("[4]"), Value.string("five"));
    assertThat(v5.keySet()).containsExactly("k", "other");
    assertThat(v5.get("other").value()).isEqualTo(Value.string("o"));
    assertThat(List.of(v1, v2, v3, v4, v5.get("k"))).extracting(Entry::version).containsExactly(1L, 2L, 3L, 4L, 5L);
    List<VersionRecord> history = store.history(VAULT, "k");
    assertThat(history).extracting(VersionRecord::value)
        .containsExactly(Value.string("five"), Value.json("[4]"), Value.bool(false), Value.number(2), Value.string("one"));
    assertThat(history.get(1).change()).isEqualTo(ChangeType.ROTATED);
    assertThat(history.get(1).changedBy()).isEqualTo(Principal.of("alice"));
    assertThat(history.get(1).reason()).contains("quarterly");
  }

  @Test
  void rollbackCopiesTheOldCiphertextWhichStillDecrypts() {
    store.put(VAULT, "k", Value.string("first"));
    Value storedFirst = backend.get(VAULT, "k").orElseThrow().value();
    store.rotate(VAULT, "k", Value.string("second"), WriteOptions.none());

    Entry rolledBack = store.rollback(VAULT, "k", 1, WriteOptions.none().withReason("revoked"));

    assertThat(rolledBack.value()).isEqualTo(Value.string("first"));
    assertThat(rolledBack.version()).isEqualTo(3);
    assertThat(backend.get(VAULT, "k").orElseThrow().value()).isEqualTo(storedFirst);
    assertThat(store.get(VAULT, "k")).contains(rolledBack);
    assertThat(store.history(VAULT, "k")).extracting(VersionRecord::value)
        .containsExactly(Value.string("first"), Value.string("second"), Value.string("first"));
  }

  @Test
  void listingPagesAndTtlsWorkOverEncryptedValues() {
    for (int i = 0; i < 5; i++) {
      store.put(VAULT, "k" + i, Value.number(i), i == 0 ? WriteOptions.ttl(Duration.ofSeconds(1)) : WriteOptions.none());
    }
    clock.advance(Duration.ofSeconds(1));

    Page first = store.list(VAULT, ListOptions.all().limit(2));
    Page second = store.list(VAULT, ListOptions.all().limit(2).after(first.nextCursor().orElseThrow()));

    assertThat(first.entries()).extracting(e -> e.value().asString()).containsExactly("1", "2");
    assertThat(second.entries()).extracting(e -> e.value().asString()).containsExactly("3", "4");
    assertThat(second.hasMore()).isFalse();
    assertThat(store.get(VAULT, "k0")).isEmpty();
    assertThat(store.count(VAULT)).isEqualTo(4);
  }

  @Test
  void alteredCiphertextFailsEveryReadWithDecryptionException() {
    store.put(VAULT, "k", Value.string(SECRET));
    store.put(VAULT, "ok", Value.string("fine"));
    byte[] stored = backend.get(VAULT, "k").orElseThrow().value().bytes();
    stored[stored.length - 20] ^= 0x01;
    backend.put(VAULT, "k", Value.binary(stored));

    assertDecryptionFails(() -> store.get(VAULT, "k"), AEADBadTagException.class);
    assertDecryptionFails(() -> store.getAll(VAULT, List.of("ok", "k")), AEADBadTagException.class);
    assertDecryptionFails(() -> store.list(VAULT, ListOptions.all()), AEADBadTagException.class);
    assertDecryptionFails(() -> store.history(VAULT, "k"), AEADBadTagException.class);
    assertThat(store.get(VAULT, "ok").orElseThrow().value()).isEqualTo(Value.string("fine"));
  }

  @Test
  void anEnvelopeCopiedToAnotherKeyOrNamespaceFails() {
    store.namespaces().create("vault2", SECRET_NS);
    store.put(VAULT, "db/password", Value.string(SECRET));
    Value envelope = backend.get(VAULT, "db/password").orElseThrow().value();

    backend.put(VAULT, "db/other", envelope);
    backend.put("vault2", "db/password", envelope);

    assertDecryptionFails(() -> store.get(VAULT, "db/other"), AEADBadTagException.class);
    assertDecryptionFails(() -> store.get("vault2", "db/password"), AEADBadTagException.class);
    assertThat(store.get(VAULT, "db/password").orElseThrow().value()).isEqualTo(Value.string(SECRET));
  }

  @Test
  void aValueUnderAKeyIdTheRingLacksFails() {
    store.put(VAULT, "k", Value.string(SECRET));
    KvStore otherRing = new EncryptionLayer(backend, TestKeys.single("k2"));

    Throwable t = catchThrowable(() -> otherRing.get(VAULT, "k"));

    assertThat(t).isInstanceOf(DecryptionException.class)
        .hasMessage("cannot decrypt entry 'vault/k': it was encrypted with master key id 'k1', which is not in the key ring [k2]");
    assertThat(((DecryptionException) t).namespace()).contains(VAULT);
    assertThat(((DecryptionException) t).key()).contains("k");
  }

  @Test
  void plaintextStoredInASecretNamespaceIsNotReturned() {
    backend.put(VAULT, "k", Value.string(SECRET));

    assertThatThrownBy(() -> store.get(VAULT, "k"))
        .isInstanceOf(DecryptionException.class)
        .hasMessage("cannot decrypt entry 'vault/k': the stored value is STRING, not an encrypted value");
  }

  @Test
  void theSecretFlagCannotFlipUnderEntries() {
    store.put(VAULT, "k", Value.string(SECRET));

    assertThatThrownBy(() -> store.namespaces().update(VAULT, SECRET_NS.withSecret(false)))
        .isInstanceOf(StateConflictException.class)
        .hasMessageContaining("cannot make namespace 'vault' not secret while it holds 1 entry");
    assertThat(store.as(Principal.of("alice")).namespaces().update(VAULT, SECRET_NS.withMaxVersions(9)).settings())
        .isEqualTo(SECRET_NS.withMaxVersions(9));
  }

  @Test
  void composesUnderTheVersioningLayerInTheBuildersOrder() {
    KvStore stack = new VersioningLayer(new EncryptionLayer(backend, TestKeys.single("k1")));
    stack.namespaces().create("tokens", NamespaceSettings.defaults().withSecret(true));
    for (int i = 1; i <= 3; i++) {
      stack.put("tokens", "t", Value.string("token-" + i));
    }

    assertThat(backend.namespaces().get("tokens").orElseThrow().settings().maxVersions())
        .isEqualTo(VersioningLayer.DEFAULT_SECRET_HISTORY);
    assertThat(stack.history("tokens", "t")).extracting(r -> r.value().asString())
        .containsExactly("token-3", "token-2", "token-1");
    assertThat(backend.get("tokens", "t").orElseThrow().value().type()).isEqualTo(ValueType.BINARY);
    assertThatThrownBy(() -> stack.namespaces().update("tokens", NamespaceSettings.defaults()))
        .isInstanceOf(StateConflictException.class);
  }

  @Test
  void toStringNamesTheLayersAndNoKey() {
    assertThat(store.toString()).startsWith("EncryptionLayer -> MemoryKvStore[")
        .doesNotContain(Base64.getEncoder().encodeToString(masterKey));
  }

  private static Map<String, Value> orderedValues(String k1, Value v1, String k2, Value v2) {
    Map<String, Value> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static void assertDecryptionFails(Runnable read, Class<? extends Throwable> cause) {
    Throwable t = catchThrowable(read::run);
    assertThat(t).isInstanceOf(DecryptionException.class).hasMessageStartingWith("cannot decrypt entry 'vault").hasCauseInstanceOf(cause);
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertThat(String.valueOf(c.getMessage())).doesNotContain(SECRET);
    }
  }

  @Test
  void setsStayImmutable() {
    store.put(VAULT, "k", Value.string(SECRET), WriteOptions.none().withTags(Set.of("t")));

    assertThat(store.get(VAULT, "k").orElseThrow().tags()).containsExactly("t");
    assertThatThrownBy(() -> store.getAll(VAULT, List.of("k")).clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> store.history(VAULT, "k").clear()).isInstanceOf(UnsupportedOperationException.class);
  }
}
