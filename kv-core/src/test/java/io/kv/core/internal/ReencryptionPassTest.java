package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.StateConflictException;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.Reencryption;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReencryptionPassTest {
  private static final NamespaceSettings SECRET = NamespaceSettings.defaults().withSecret(true).withMaxVersions(5);

  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(clock).build();
  private final byte[] a = TestKeys.random();
  private final byte[] b = TestKeys.random();
  private final KeyMaterial onlyA = TestKeys.ring("a", "a", a);
  private final KeyMaterial bPrimary = TestKeys.ring("b", "a", a, "b", b);
  private final KeyMaterial onlyB = TestKeys.ring("b", "b", b);

  @BeforeEach
  void declare() {
    backend.namespaces().create("vault", SECRET);
    backend.namespaces().create("vault2", SECRET);
    backend.namespaces().create("plain", NamespaceSettings.defaults().withMaxVersions(5));
  }

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void movesEveryEntryAndItsHistoryToThePrimaryKeyOnceAndThenTheOldKeyCanGo() {
    KvStore underA = new EncryptionLayer(backend, onlyA);
    underA.put("vault", "db/password", Value.string("one"));
    clock.advance(Duration.ofSeconds(1));
    underA.rotate("vault", "db/password", Value.string("two"), WriteOptions.none().withReason("r"));
    underA.put("vault", "api/token", Value.json("{\"t\":1}"), WriteOptions.ttl(Duration.ofHours(1)));
    underA.put("vault2", "n", Value.number(7));
    underA.put("plain", "p", Value.string("plain text"));
    Map<String, List<Object>> before = snapshot(underA);

    KvStore rotated = new EncryptionLayer(backend, bPrimary);
    assertThat(snapshot(rotated)).isEqualTo(before);
    rotated.put("vault2", "new", Value.bool(true));
    assertThat(keyIds("vault2", "new")).containsExactly("b");
    assertThat(keyIds("vault", "db/password")).containsExactly("a", "a");
    List<Entry> storedBefore = backend.list("vault", ListOptions.all()).entries();

    Reencryption first = new ReencryptionPass(backend, backend, bPrimary).reencryptAll();

    assertThat(first).isEqualTo(new Reencryption(2, 4, 3, 4, 0));
    assertThat(first.complete()).isTrue();
    for (String[] e : new String[][] {{"vault", "db/password"}, {"vault", "api/token"}, {"vault2", "n"}, {"vault2", "new"}}) {
      assertThat(keyIds(e[0], e[1])).as(e[0] + "/" + e[1]).containsOnly("b");
    }
    assertThat(backend.list("vault", ListOptions.all()).entries())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("value")
        .containsExactlyElementsOf(storedBefore);
    assertThat(backend.get("plain", "p").orElseThrow().value()).isEqualTo(Value.string("plain text"));

    assertThat(new ReencryptionPass(backend, backend, bPrimary).reencryptAll()).isEqualTo(new Reencryption(2, 4, 0, 0, 0));

    assertThat(snapshot(new EncryptionLayer(backend, onlyB))).isEqualTo(snapshot(rotated));
    assertThat(snapshot(new EncryptionLayer(backend, onlyB))).containsAllEntriesOf(before);
  }

  @Test
  void reencryptOfOneNamespaceLeavesTheOthersForALaterRun() {
    KvStore underA = new EncryptionLayer(backend, onlyA);
    underA.put("vault", "k", Value.string("x"));
    underA.put("vault2", "k", Value.string("y"));
    ReencryptionPass pass = new ReencryptionPass(backend, backend, bPrimary);

    assertThat(pass.reencrypt("vault")).isEqualTo(new Reencryption(1, 1, 1, 1, 0));
    assertThat(keyIds("vault2", "k")).containsExactly("a");

    assertThat(pass.reencryptAll()).isEqualTo(new Reencryption(2, 2, 1, 1, 0));
    assertThat(keyIds("vault2", "k")).containsExactly("b");
  }

  @Test
  void anEntryThatDoesNotDecryptIsCountedAndLeftAsItWas() {
    KvStore underA = new EncryptionLayer(backend, onlyA);
    underA.put("vault", "good", Value.string("x"));
    underA.put("vault", "bad", Value.string("y"));
    byte[] altered = backend.get("vault", "bad").orElseThrow().value().bytes();
    altered[altered.length - 1] ^= 1;
    backend.put("vault", "bad", Value.binary(altered));
    backend.put("vault", "plaintext", Value.string("never encrypted"));

    Reencryption r = new ReencryptionPass(backend, backend, bPrimary).reencrypt("vault");

    assertThat(r).isEqualTo(new Reencryption(1, 3, 1, 1, 2));
    assertThat(r.complete()).isFalse();
    assertThat(backend.get("vault", "bad").orElseThrow().value()).isEqualTo(Value.binary(altered));
    assertThat(keyIds("vault", "good")).containsExactly("b");
  }

  @Test
  void pagesThroughNamespacesLargerThanOneListing() {
    KvStore underA = new EncryptionLayer(backend, onlyA);
    Map<String, Value> batch = new LinkedHashMap<>();
    for (int i = 0; i < ListOptions.MAX_LIMIT + 1; i++) {
      batch.put(String.format("k%05d", i), Value.number(i));
      if (batch.size() == ListOptions.MAX_LIMIT) {
        underA.putAll("vault", batch);
        batch.clear();
      }
    }
    underA.putAll("vault", batch);

    assertThat(new ReencryptionPass(backend, backend, bPrimary).reencrypt("vault"))
        .isEqualTo(new Reencryption(1, 1001, 1001, 1001, 0));
    assertThat(new EncryptionLayer(backend, onlyB).get("vault", "k01000").orElseThrow().value()).isEqualTo(Value.number(1000));
  }

  @Test
  void refusesNamespacesThatAreNotSecret() {
    ReencryptionPass pass = new ReencryptionPass(backend, backend, bPrimary);

    assertThatThrownBy(() -> pass.reencrypt("plain"))
        .isInstanceOf(StateConflictException.class)
        .hasMessage("namespace 'plain' is not declared secret, so it holds no encrypted values");
    assertThatThrownBy(() -> pass.reencrypt("undeclared")).isInstanceOf(StateConflictException.class);
    assertThatThrownBy(() -> pass.reencrypt(null)).isInstanceOf(NullPointerException.class);
    assertThat(pass.reencryptAll()).isEqualTo(new Reencryption(2, 0, 0, 0, 0));
  }

  /** The key id of the current value and then of each history record of an entry, as stored. */
  private List<String> keyIds(String ns, String key) {
    List<String> ids = new ArrayList<>();
    for (VersionRecord r : backend.history(ns, key)) {
      ids.add(keyId(r.value()));
    }
    ids.set(0, keyId(backend.get(ns, key).orElseThrow().value()));
    return ids;
  }

  private static String keyId(Value stored) {
    try {
      return Envelope.parse(stored.bytes()).keyId();
    } catch (Envelope.MalformedException e) {
      throw new AssertionError(e);
    }
  }

  /** Every entry of every namespace with its history, as {@code store} reads them. */
  private static Map<String, List<Object>> snapshot(KvStore store) {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    for (String ns : List.of("vault", "vault2", "plain")) {
      for (Entry e : store.list(ns, ListOptions.all()).entries()) {
        List<Object> v = new ArrayList<>();
        v.add(e);
        v.addAll(store.history(ns, e.key()));
        out.put(ns + "/" + e.key(), v);
      }
    }
    return out;
  }
}
