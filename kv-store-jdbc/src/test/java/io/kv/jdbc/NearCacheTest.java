package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The near-cache over a real memory store (whose reads it counts): what it serves and when it asks. */
class NearCacheTest {
  private static final String NS = "app";

  private MutableClock clock;
  private GatedStore backend;
  private KvStore store;

  @BeforeEach
  void open() {
    clock = MutableClock.fixed();
    backend = new GatedStore(MemoryKvStore.builder().clock(clock).build());
    store = NearCache.builder().clock(clock).build(backend);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Optional<Entry> cached(String namespace, String key) {
    return ((NearCachedStore) store).cached(namespace, key);
  }

  @Test
  void aHitIsServedFromTheCacheAndAMissAsksTheBackendEveryTime() {
    store.put(NS, "k", Value.string("v"));
    assertThat(store.get(NS, "k")).map(e -> e.value().asString()).contains("v");
    assertThat(backend.gets).hasValue(1);
    assertThat(store.get(NS, "k")).map(e -> e.value().asString()).contains("v");
    assertThat(backend.gets).as("second read is a hit").hasValue(1);

    assertThat(store.get(NS, "absent")).isEmpty();
    assertThat(store.get(NS, "absent")).isEmpty();
    assertThat(backend.gets).as("misses are not cached").hasValue(3);
  }

  @Test
  void itsStatisticsCountWhatTheBackendAnsweredAsMissesAndTheRestAsHits() {
    NearCacheStats stats = store.feature(NearCacheStats.class).orElseThrow();
    assertThat(store.as(Principal.of("alice")).feature(NearCacheStats.class)).containsSame(stats);
    store.put(NS, "k", Value.string("v"), WriteOptions.ttl(Duration.ofSeconds(30)));
    store.get(NS, "k");
    store.get(NS, "k");
    store.getAll(NS, List.of("k", "absent"));
    clock.advance(Duration.ofSeconds(30));
    store.get(NS, "k"); // still held, but expired: the backend is asked

    assertThat(stats.hitCount()).isEqualTo(2);
    assertThat(stats.missCount()).isEqualTo(backend.gets.get() + 1).isEqualTo(3);
    assertThat(stats.size()).isZero();
    assertThat(stats.evictionCount()).isZero();
  }

  @Test
  void anEntryPastItsExpiryIsNeverServedFromTheCache() {
    store.put(NS, "token", Value.string("t"), WriteOptions.ttl(Duration.ofSeconds(30)));
    store.get(NS, "token");
    assertThat(cached(NS, "token")).isPresent();

    clock.advance(Duration.ofSeconds(29));
    assertThat(store.get(NS, "token")).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.get(NS, "token")).as("at the expiry instant").isEmpty();
    assertThat(cached(NS, "token")).as("dropped on the expired hit").isEmpty();
  }

  @Test
  void aLocalWriteReplacesWhatTheNextReadSees() {
    store.put(NS, "k", Value.string("v1"));
    store.get(NS, "k");
    store.put(NS, "k", Value.string("v2"));
    assertThat(cached(NS, "k")).isEmpty();
    assertThat(store.get(NS, "k")).map(Entry::version).contains(2L);

    store.compareAndSet(NS, "k", 2, Value.string("v3"));
    assertThat(store.get(NS, "k")).map(Entry::version).contains(3L);
    store.rotate(NS, "k", Value.string("v4"), WriteOptions.none());
    assertThat(store.get(NS, "k")).map(Entry::version).contains(4L);
    store.delete(NS, "k");
    assertThat(store.get(NS, "k")).isEmpty();

    store.putAll(NS, Map.of("a", Value.string("1"), "b", Value.string("1")));
    store.getAll(NS, List.of("a", "b"));
    store.putAll(NS, Map.of("a", Value.string("2")));
    assertThat(store.get(NS, "a")).map(e -> e.value().asString()).contains("2");
    store.deleteAll(NS, List.of("a", "b"));
    assertThat(store.getAll(NS, List.of("a", "b"))).isEmpty();
  }

  @Test
  void aFailedConditionalWriteAlsoDropsTheKey() {
    store.put(NS, "k", Value.string("v1"));
    store.get(NS, "k");
    assertThatThrownBy(() -> store.compareAndSet(NS, "k", 7, Value.string("x"))).isInstanceOf(io.kv.VersionConflictException.class);
    assertThat(cached(NS, "k")).isEmpty();
  }

  /**
   * A read that started before a write and returns after it must not put its older value into
   * the cache after the write dropped the key.
   */
  @Test
  void aSlowReadDoesNotCacheAValueOlderThanAConcurrentWrite() throws Exception {
    store.put(NS, "k", Value.string("old"));
    CountDownLatch read = backend.holdNextRead();
    CompletableFuture<Optional<Entry>> slow = CompletableFuture.supplyAsync(() -> store.get(NS, "k"));
    assertThat(read.await(10, TimeUnit.SECONDS)).as("the slow read has read").isTrue();

    store.put(NS, "k", Value.string("new"));
    backend.release();

    assertThat(slow.get(10, TimeUnit.SECONDS)).map(e -> e.value().asString()).contains("old");
    assertThat(cached(NS, "k")).as("the slow read's value was not cached").isEmpty();
    assertThat(store.get(NS, "k")).map(e -> e.value().asString()).contains("new");
    assertThat(cached(NS, "k")).map(e -> e.value().asString()).contains("new");
  }

  /** Under contention, a thread never reads a version older than the one it just wrote. */
  @Test
  void concurrentWritersAlwaysReadTheirOwnWrites() throws Exception {
    store.put(NS, "counter", Value.number(0));
    int threads = 4;
    int rounds = 200;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          int stale = 0;
          for (int i = 0; i < rounds; i++) {
            while (true) {
              Entry cur = store.get(NS, "counter").orElseThrow();
              try {
                Entry written = store.compareAndSet(NS, "counter", cur.version(), Value.number(cur.value().asNumber().longValue() + 1));
                if (store.get(NS, "counter").orElseThrow().version() < written.version()) {
                  stale++;
                }
                break;
              } catch (io.kv.VersionConflictException e) {
                // Another thread won this round; read again.
              }
            }
          }
          return stale;
        }));
      }
      for (java.util.concurrent.Future<Integer> f : done) {
        assertThat(f.get(60, TimeUnit.SECONDS)).as("reads older than the thread's own last write").isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    Entry last = store.get(NS, "counter").orElseThrow();
    assertThat(last.value().asNumber().longValue()).isEqualTo((long) threads * rounds);
    assertThat(last.version()).isEqualTo(threads * rounds + 1L);
  }

  @Test
  void secretNamespacesAreNotCachedByDefault() {
    store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    store.put("vault", "pw", Value.string("s3cret"));
    store.get("vault", "pw");
    store.get("vault", "pw");
    assertThat(backend.gets).hasValue(2);
    assertThat(cached("vault", "pw")).isEmpty();
  }

  @Test
  void secretNamespacesAreCachedWhenAllowed() {
    KvStore caching = NearCache.builder().cacheSecrets(true).clock(clock).build(backend);
    caching.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    caching.put("vault", "pw", Value.string("s3cret"));
    caching.get("vault", "pw");
    caching.get("vault", "pw");
    assertThat(backend.gets).hasValue(1);
  }

  @Test
  void aNamespaceThatBecomesSecretLeavesTheCache() {
    store.namespaces().create("cfg", NamespaceSettings.defaults());
    store.put("cfg", "k", Value.string("v"));
    store.get("cfg", "k");
    assertThat(cached("cfg", "k")).isPresent();

    store.namespaces().update("cfg", NamespaceSettings.defaults().withSecret(true));
    assertThat(cached("cfg", "k")).isEmpty();
    store.get("cfg", "k");
    assertThat(cached("cfg", "k")).isEmpty();
  }

  @Test
  void getAllMixesHitsAndMissesInTheOrderAsked() {
    store.put(NS, "a", Value.string("1"));
    store.put(NS, "b", Value.string("2"));
    store.put(NS, "c", Value.string("3"));
    store.get(NS, "b");
    Map<String, Entry> got = store.getAll(NS, List.of("c", "b", "absent", "a", "c"));
    assertThat(got.keySet()).containsExactly("c", "b", "a");
    assertThat(cached(NS, "a")).isPresent();
    assertThat(cached(NS, "c")).isPresent();
  }

  @Test
  void viewsShareOneCache() {
    KvStore alice = store.as(Principal.of("alice"));
    store.put(NS, "k", Value.string("v1"));
    store.get(NS, "k");
    alice.put(NS, "k", Value.string("v2"));
    assertThat(store.get(NS, "k")).map(Entry::version).contains(2L);
    assertThat(alice.principal()).isEqualTo(Principal.of("alice"));
    alice.close();
    assertThat(store.get(NS, "k")).isPresent();
  }

  @Test
  void aListenerReadingInItsCallbackSeesTheNewValueAndAThrowingListenerIsSkipped() throws Exception {
    store.put(NS, "k", Value.string("v1"));
    store.get(NS, "k");
    store.subscribe(ChangeFilter.all(), e -> {
      throw new IllegalStateException("listener bug");
    });
    Recorder seen = new Recorder();
    store.subscribe(ChangeFilter.namespace(NS), e -> seen.onChange(
        new ChangeEvent(e.type(), e.namespace(), store.get(NS, "k").map(x -> x.value().asString()).orElse("-"),
            e.version(), e.at(), e.principal())));
    store.put(NS, "k", Value.string("v2"));
    ChangeEvent e = seen.next();
    assertThat(e.type()).isEqualTo(ChangeType.UPDATED);
    assertThat(e.key()).as("the value read inside the callback").isEqualTo("v2");
  }

  @Test
  void builderChecksItsArguments() {
    assertThatThrownBy(() -> NearCache.builder().maximumSize(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NearCache.builder().expireAfterWrite(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NearCache.builder().cacheSecrets(true).cacheSecrets(false)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> NearCache.builder().clock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> NearCache.builder().build(null)).isInstanceOf(NullPointerException.class);
  }
}
