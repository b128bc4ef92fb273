package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.DecryptionException;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Value;
import io.kv.ValueRewriter;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.internal.EncryptionLayer;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.ForwardingAppStore;
import io.kv.testkit.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A whole key rotation through the public API: add a key, make it primary, re-encrypt, drop the old key. */
class ReencryptorTest {
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(MutableClock.fixed()).build();
  private final MasterKey keyA = MasterKeys.fromBase64(random());
  private final MasterKey keyB = MasterKeys.fromBase64(random());

  private static String random() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  private KvStore stack(KeyRing ring) {
    return new EncryptionLayer(backend, ring.material());
  }

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void aKeyRotationFromStartToEnd() {
    KeyRing ringA = KeyRing.of("a", keyA);
    KvStore store = stack(ringA);
    store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true).withMaxVersions(10));
    store.put("vault", "db/password", Value.string("p1"));
    store.rotate("vault", "db/password", Value.string("p2"), WriteOptions.none());
    store.put("vault", "api/key", Value.json("{\"k\":1}"));

    // 1. Add B and make it primary: old values still read, new ones are sealed with B.
    KeyRing ringAB = KeyRing.builder().add("a", keyA).add("b", keyB).primary("b").build();
    KvStore rotated = stack(ringAB);
    assertThat(rotated.get("vault", "db/password").orElseThrow().value()).isEqualTo(Value.string("p2"));
    rotated.put("vault", "new", Value.number(1));
    assertThatThrownBy(() -> stack(ringA).get("vault", "new")).isInstanceOf(DecryptionException.class);

    // 2. Re-encrypt: everything moves to B, history included; a second run finds nothing to move.
    Reencryptor reencryptor = KvStores.reencryptor(backend, ringAB);
    assertThat(reencryptor.reencryptAll()).isEqualTo(new Reencryption(1, 3, 2, 3, 0));
    assertThat(reencryptor.reencryptAll()).isEqualTo(new Reencryption(1, 3, 0, 0, 0));

    // 3. Drop A: everything still reads.
    KvStore onlyB = stack(KeyRing.of("b", keyB));
    assertThat(onlyB.get("vault", "db/password").orElseThrow().value()).isEqualTo(Value.string("p2"));
    assertThat(onlyB.history("vault", "db/password")).extracting(VersionRecord::value)
        .containsExactly(Value.string("p2"), Value.string("p1"));
    assertThat(onlyB.get("vault", "api/key").orElseThrow().value()).isEqualTo(Value.json("{\"k\":1}"));
    assertThat(onlyB.get("vault", "new").orElseThrow().value()).isEqualTo(Value.number(1));
    assertThat(onlyB.rollback("vault", "db/password", 1, WriteOptions.none()).value()).isEqualTo(Value.string("p1"));
    assertThatThrownBy(() -> stack(ringA).get("vault", "api/key")).isInstanceOf(DecryptionException.class);
  }

  /** The backend wrapped in an application's own decorator still offers its rewriter. */
  @Test
  void reencryptsThroughAnApplicationDecorator() {
    KvStore store = stack(KeyRing.of("a", keyA));
    store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true).withMaxVersions(5));
    store.put("vault", "k", Value.string("v"));
    store.put("vault", "k", Value.string("w"));
    KeyRing ringB = KeyRing.builder().add("a", keyA).add("b", keyB).primary("b").build();

    Reencryption r = KvStores.reencryptor(new ForwardingAppStore(backend), ringB).reencrypt("vault");

    assertThat(r).isEqualTo(new Reencryption(1, 1, 1, 2, 0));
    KvStore onlyB = stack(KeyRing.of("b", keyB));
    assertThat(onlyB.history("vault", "k")).extracting(VersionRecord::value)
        .containsExactly(Value.string("w"), Value.string("v"));
  }

  /** A layer stack offers no rewriter (a rewrite would skip its layers), and says so at once. */
  @Test
  void refusesAStoreWithoutARewriter() {
    KvStore stack = stack(KeyRing.of("a", keyA));

    assertThat(stack.feature(ValueRewriter.class)).isEmpty();
    assertThatThrownBy(() -> KvStores.reencryptor(stack, KeyRing.of("a", keyA)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ValueRewriter");
  }

  @Test
  void reportsAddUpAndCheckTheirCounts() {
    Reencryption r = new Reencryption(1, 10, 4, 9, 1).plus(new Reencryption(1, 5, 5, 5, 0));

    assertThat(r).isEqualTo(new Reencryption(2, 15, 9, 14, 1));
    assertThat(r.complete()).isFalse();
    assertThatThrownBy(() -> new Reencryption(1, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Reencryption(-1, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(List.of(r.namespaces(), r.entries(), r.reencrypted(), r.versions(), r.failed()))
        .containsExactly(2, 15L, 9L, 14L, 1L);
  }

  @Test
  void theInterfaceDoesNotKnowItsImplementation() throws IOException {
    // Its class file names every type it refers to; the implementation is made by KvStores alone.
    try (InputStream in = Reencryptor.class.getResourceAsStream("Reencryptor.class")) {
      String classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(classFile).contains("io/kv/core/Reencryption").doesNotContain("io/kv/core/internal/");
    }
  }
}
