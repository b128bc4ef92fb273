package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Entry;
import io.kv.EntryRestorer;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.ValueRewriter;
import io.kv.core.KeyRing;
import io.kv.core.KvStores;
import io.kv.core.MasterKey;
import io.kv.core.MasterKeys;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.ForwardingAppStore;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Rewrites in place through the cache: the feature is passed on, and a rewritten entry leaves the cache. */
class NearCacheReencryptionTest {
  private static MasterKey newKey() {
    byte[] k = new byte[MasterKey.LENGTH];
    new SecureRandom().nextBytes(k);
    return MasterKeys.fromBase64(Base64.getEncoder().encodeToString(k));
  }

  @Test
  void theCacheOffersARewriterExactlyWhenItsDelegateDoes() {
    KvStore overMemory = NearCache.builder().build(MemoryKvStore.create());
    KvStore overAppDecorator = NearCache.builder().build(new ForwardingAppStore(MemoryKvStore.create()));
    KvStore overLayer = NearCache.builder().build(KvStores.builder(MemoryKvStore.create()).build());

    assertThat(overMemory.feature(ValueRewriter.class)).isPresent();
    assertThat(overMemory.as(Principal.of("alice")).feature(ValueRewriter.class)).isPresent();
    assertThat(overAppDecorator.feature(ValueRewriter.class)).isPresent();
    assertThat(overLayer.feature(ValueRewriter.class)).isEmpty();
    assertThat(overLayer.as(Principal.of("alice")).feature(ValueRewriter.class)).isEmpty();
    assertThat(overMemory.feature(EntryRestorer.class)).as("a restore would write past the cache").isEmpty();
  }

  @Test
  void aRewriteDropsTheEntryAndKeepsItsVersion() {
    KvStore store = NearCache.builder().build(MemoryKvStore.create());
    assertRewriteDropsTheEntry(store);
  }

  /** An application's decorator between the cache and the backend hides neither the feature nor the drop. */
  @Test
  void aRewriteThroughAnApplicationDecoratorDropsTheEntry() {
    KvStore store = NearCache.builder().build(new ForwardingAppStore(MemoryKvStore.create()));
    assertRewriteDropsTheEntry(store);
  }

  private static void assertRewriteDropsTheEntry(KvStore store) {
    store.put("app", "k", Value.string("old"));
    store.get("app", "k");
    assertThat(((NearCachedStore) store).cached("app", "k")).isPresent();

    ValueRewriter rewriter = store.feature(ValueRewriter.class).orElseThrow();
    assertThat(rewriter.rewriteValues("app", "k", v -> Value.string("new"))).isEqualTo(1);

    assertThat(((NearCachedStore) store).cached("app", "k")).isEmpty();
    Entry e = store.get("app", "k").orElseThrow();
    assertThat(e.value()).isEqualTo(Value.string("new"));
    assertThat(e.version()).isEqualTo(1);
  }

  /**
   * A master-key rotation with cached secrets: after the re-encryption pass through the cache,
   * the old key leaves the ring and every read still decrypts, because no envelope sealed under
   * the old key is left in the cache.
   */
  @Test
  void reencryptionThroughTheCacheLeavesNoEnvelopeOfTheRetiredKey() {
    MasterKey keyA = newKey();
    MasterKey keyB = newKey();
    KvStore cached = NearCache.builder().cacheSecrets(true).build(MemoryKvStore.create());
    KvStore withA = KvStores.builder(cached).encryption(KeyRing.of("a", keyA)).build();
    withA.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    withA.put("vault", "db/password", Value.string("p1"));
    assertThat(withA.get("vault", "db/password").orElseThrow().value()).isEqualTo(Value.string("p1"));
    assertThat(((NearCachedStore) cached).cached("vault", "db/password")).as("the envelope under A is cached").isPresent();

    KeyRing ringAB = KeyRing.builder().add("a", keyA).add("b", keyB).primary("b").build();
    assertThat(KvStores.reencryptor(cached, ringAB).reencryptAll().complete()).isTrue();

    KvStore onlyB = KvStores.builder(cached).encryption(KeyRing.of("b", keyB)).build();
    assertThat(onlyB.get("vault", "db/password").orElseThrow().value()).isEqualTo(Value.string("p1"));
  }
}
