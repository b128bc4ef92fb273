package io.kv.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.KvException;
import io.kv.KvStore;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link KvStoreExtension} with a kv-core stack over the memory store. */
class KvStoreExtensionStackTest {
  @RegisterExtension
  static final KvStoreExtension KV = KvStoreExtension.memory()
      .startingAt(Instant.parse("2031-06-01T00:00:00Z"))
      .stack(builder -> builder.requireDeclaredNamespaces())
      .namespace("app")
      .namespace("other");

  @Test
  void theStackRefusesUndeclaredNamespacesAndRunsOnTheTestClock(KvStore store, MutableClock clock) {
    assertThat(store).isNotInstanceOf(MemoryKvStore.class);
    assertThat(store.namespaces().list()).extracting(ns -> ns.name()).containsExactly("app", "other");
    assertThat(store.put("app", "k", Value.string("v")).createdAt()).isEqualTo(Instant.parse("2031-06-01T00:00:00Z"));
    assertThatThrownBy(() -> store.put("elsewhere", "k", Value.string("v"))).isInstanceOf(KvException.class)
        .hasMessageContaining("elsewhere");

    store.put("app", "short", Value.string("v"), WriteOptions.ttl(Duration.ofSeconds(10)));
    clock.advance(Duration.ofSeconds(11));
    assertThat(store.get("app", "short")).isEmpty();
  }

  @Test
  void aStaticExtensionStillGivesEachTestANewStoreAndClock(KvStore store, MutableClock clock) {
    assertThat(clock.instant()).isEqualTo(Instant.parse("2031-06-01T00:00:00Z"));
    assertThat(store.get("app", "k")).isEmpty();
    store.put("app", "k", Value.string("v"));
    clock.advance(Duration.ofDays(1));
  }
}
