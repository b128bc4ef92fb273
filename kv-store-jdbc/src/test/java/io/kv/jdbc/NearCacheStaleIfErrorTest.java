package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.StorageException;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stale-if-error on PostgreSQL: one instance's data source is pointed at a stopped server and its
 * sessions (the change feed's among them) are terminated mid-run, and reads go on from the near-cache within the bound, never
 * past an entry's expiry nor for a key that a change dropped; writes fail; the outage is signalled
 * once, and its end too.
 */
@DisplayName("NearCache.serveStaleFor on PostgreSQL with the server gone")
class NearCacheStaleIfErrorTest {
  private static final String NS = "cfg";
  private static final Duration FRESH = Duration.ofMinutes(1);
  private static final Duration BOUND = Duration.ofMinutes(5);

  private final MutableClock clock = MutableClock.fixed();
  private final List<String> signals = new CopyOnWriteArrayList<>();
  private final Recorder remote = new Recorder();
  private SwitchedDataSource server;
  private KvStore cached;
  private JdbcKvStore other;

  private void open() {
    String prefix = TestDatabases.freshPrefix();
    server = SwitchedDataSource.of("kv-stale-" + prefix);
    JdbcKvStore jdbc = JdbcKvStore.builder(server).dialect(Dialect.POSTGRESQL).clock(clock).tablePrefix(prefix)
        .schemaMode(SchemaMode.CREATE).sweepInterval(Duration.ZERO).instanceId("this").build();
    ChangeFeed feed = ChangeFeed.builder(server, jdbc).pollInterval(Duration.ofMillis(50)).start();
    cached = NearCache.builder().clock(clock).expireAfterWrite(FRESH).serveStaleFor(BOUND).changeFeed(feed)
        .staleListener(new NearCache.StaleListener() {
          @Override
          public void outageBegan(StorageException cause) {
            signals.add("began: " + cause.getMessage());
          }

          @Override
          public void outageEnded(long staleReads) {
            signals.add("ended after " + staleReads + " stale reads");
          }
        })
        .build(jdbc);
    cached.subscribe(ChangeFilter.all(), e -> {
      if (e.principal().name().equals("other")) {
        remote.onChange(e);
      }
    });
    other = JdbcKvStore.builder(TestDatabases.postgres()).clock(clock).tablePrefix(prefix).sweepInterval(Duration.ZERO)
        .instanceId("other").build().as(io.kv.Principal.of("other"));
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.start();
      cached.close();
      other.close();
    }
  }

  @Test
  void readsGoOnFromTheCacheWithinTheBoundWhileTheServerIsGone() throws Exception {
    open();
    Instant start = clock.instant();
    Entry a = cached.put(NS, "a", Value.string("alpha"));
    Entry b = cached.put(NS, "b", Value.string("beta"));
    cached.put(NS, "c", Value.string("gamma"));
    Entry t = cached.put(NS, "t", Value.string("token"), WriteOptions.ttl(Duration.ofMinutes(4)));
    for (String key : List.of("a", "b", "c", "t")) {
      cached.get(NS, key);
    }
    // Another instance changes c: the feed drops it from this cache.
    other.put(NS, "c", Value.string("gamma-2"));
    ChangeEvent changed = remote.next();
    assertThat(changed.key()).isEqualTo("c");
    assertThat(((NearCachedStore) cached).cached(NS, "c")).isEmpty();

    clock.advance(FRESH.plusMinutes(1));
    server.stop();

    assertThat(cached.get(NS, "a")).contains(a);
    assertThat(signals).hasSize(1).first().asString().startsWith("began: ").contains(NS + "/a").doesNotContain("alpha");
    assertThat(cached.get(NS, "b")).contains(b);
    assertThat(cached.getAll(NS, List.of("a", "b"))).containsExactly(java.util.Map.entry("a", a), java.util.Map.entry("b", b));
    assertThat(cached.get(NS, "t")).contains(t);
    assertThat(signals).as("one signal per outage").hasSize(1);

    // Dropped by another instance's change: never answered stale.
    assertThatThrownBy(() -> cached.get(NS, "c")).isInstanceOf(StorageException.class);
    // A getAll is answered stale as a whole or not at all.
    assertThatThrownBy(() -> cached.getAll(NS, List.of("a", "c"))).isInstanceOf(StorageException.class);
    // Writes fail loudly, and the key they were about leaves the cache: their outcome is unknown.
    assertThatThrownBy(() -> cached.put(NS, "a", Value.string("alpha-2"))).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> cached.get(NS, "a")).isInstanceOf(StorageException.class);
    // Never past an entry's own expiry.
    clock.set(start.plus(Duration.ofMinutes(4)));
    assertThatThrownBy(() -> cached.get(NS, "t")).isInstanceOf(StorageException.class);
    // The bound: freshness plus serveStaleFor after the value was read.
    clock.set(start.plus(FRESH).plus(BOUND));
    assertThat(cached.get(NS, "b")).contains(b);
    clock.advance(Duration.ofMillis(1));
    assertThatThrownBy(() -> cached.get(NS, "b")).isInstanceOf(StorageException.class);
    assertThat(signals).hasSize(1);

    server.start();
    assertThat(cached.get(NS, "b")).contains(b);
    assertThat(cached.get(NS, "a").orElseThrow().value()).isEqualTo(Value.string("alpha"));
    assertThat(cached.get(NS, "c").orElseThrow().value()).isEqualTo(Value.string("gamma-2"));
    assertThat(signals).hasSize(2).last().isEqualTo("ended after 6 stale reads");
    // The change feed, whose session was terminated too, follows the other instance again.
    Entry b2 = other.put(NS, "b", Value.string("beta-2"));
    assertThat(remote.next().key()).isEqualTo("b");
    assertThat(cached.get(NS, "b").orElseThrow().value()).isEqualTo(b2.value());

    // The next outage is signalled again.
    clock.advance(FRESH);
    server.stop();
    assertThat(cached.get(NS, "b").orElseThrow().value()).isEqualTo(b2.value());
    assertThat(signals).hasSize(3).last().asString().startsWith("began: ");
  }

  @Test
  void theBoundIsCheckedWhenSet() {
    assertThatThrownBy(() -> NearCache.builder().serveStaleFor(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NearCache.builder().serveStaleFor(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NearCache.builder().serveStaleFor(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> NearCache.builder().serveStaleFor(BOUND).serveStaleFor(BOUND))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> NearCache.builder().staleListener(null)).isInstanceOf(NullPointerException.class);
  }
}
