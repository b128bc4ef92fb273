package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.NotFoundException;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.LimitPolicy;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VersioningLayerTest {
  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();

  /** The stack in the builder's order: limits, namespaces (declared ones required), versioning, backend. */
  private final KvStore stack = new LimitLayer(
      new NamespaceLayer(new VersioningLayer(backend)), clock, LimitPolicy.defaults(), Map.of());

  @AfterEach
  void close() {
    backend.close();
  }

  private static NamespaceSettings secret() {
    return NamespaceSettings.defaults().withSecret(true);
  }

  @Test
  void aSecretNamespaceWithoutHistoryKeepsTheDefaultTenVersions() {
    assertThat(stack.namespaces().create("secrets", secret()).settings().maxVersions()).isEqualTo(10);
    assertThat(backend.namespaces().get("secrets").orElseThrow().settings().maxVersions()).isEqualTo(10);
  }

  @Test
  void theDefaultDepthIsConfigurable() {
    KvStore three = new VersioningLayer(backend, 3);
    assertThat(three.namespaces().create("secrets", secret()).settings().maxVersions()).isEqualTo(3);
    assertThatThrownBy(() -> new VersioningLayer(backend, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VersioningLayer(backend, 1001)).isInstanceOf(IllegalArgumentException.class);
    new VersioningLayer(backend, 1000);
  }

  @Test
  void namespacesThatAskKeepWhatTheyAskAndOthersKeepNone() {
    assertThat(stack.namespaces().create("s5", secret().withMaxVersions(5)).settings().maxVersions()).isEqualTo(5);
    assertThat(stack.namespaces().create("p7", NamespaceSettings.defaults().withMaxVersions(7)).settings().maxVersions())
        .isEqualTo(7);
    assertThat(stack.namespaces().create("plain", NamespaceSettings.defaults()).settings().maxVersions()).isZero();
  }

  @Test
  void updatingANamespaceToSecretWithoutHistoryGivesItTheDefault() {
    stack.namespaces().create("app", NamespaceSettings.defaults());
    assertThat(stack.namespaces().update("app", secret()).settings().maxVersions()).isEqualTo(10);
    assertThat(stack.namespaces().update("app", secret().withMaxVersions(2)).settings().maxVersions()).isEqualTo(2);
    assertThat(stack.namespaces().update("app", NamespaceSettings.defaults()).settings().maxVersions()).isZero();
  }

  @Test
  void historyIsTrimmedToTheDefaultDepth() {
    KvStore three = new VersioningLayer(backend, 3);
    three.namespaces().create("secrets", secret());
    three.put("secrets", "k", Value.string("v1"));
    for (int v = 2; v <= 6; v++) {
      three.put("secrets", "k", Value.string("v" + v));
    }
    assertThat(three.history("secrets", "k")).extracting(VersionRecord::version).containsExactly(6L, 5L, 4L, 3L);
    assertThatThrownBy(() -> three.rollback("secrets", "k", 2, WriteOptions.none()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void rotateRollbackAndHistoryThroughTheStackRecordWhoWhenAndWhy() {
    stack.namespaces().create("secrets", secret());
    KvStore ops = stack.as(Principal.of("ops-bot"));
    KvStore alice = stack.as(Principal.of("alice"));
    Instant t0 = clock.instant();

    ops.put("secrets", "api/key", Value.string("k1"), WriteOptions.none().withReason("initial"));
    clock.advance(Duration.ofMinutes(1));
    alice.rotate("secrets", "api/key", Value.string("k2"), WriteOptions.none().withReason("quarterly"));
    clock.advance(Duration.ofMinutes(1));
    Entry rolled = ops.rollback("secrets", "api/key", 1, WriteOptions.none().withReason("k2 was revoked"));

    assertThat(rolled.version()).isEqualTo(3);
    assertThat(rolled.value()).isEqualTo(Value.string("k1"));
    assertThat(stack.history("secrets", "api/key")).containsExactly(
        new VersionRecord(3, Value.string("k1"), ChangeType.ROLLED_BACK, Principal.of("ops-bot"),
            t0.plusSeconds(120), Optional.of("k2 was revoked")),
        new VersionRecord(2, Value.string("k2"), ChangeType.ROTATED, Principal.of("alice"),
            t0.plusSeconds(60), Optional.of("quarterly")),
        new VersionRecord(1, Value.string("k1"), ChangeType.CREATED, Principal.of("ops-bot"),
            t0, Optional.of("initial")));
  }

  @Test
  void rollbackToAVersionThatDoesNotExistIsNotFound() {
    stack.namespaces().create("secrets", secret());
    stack.put("secrets", "k", Value.string("v1"));
    stack.put("secrets", "k", Value.string("v2"));

    assertThatThrownBy(() -> stack.rollback("secrets", "k", 3, WriteOptions.none()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("secrets/k")
        .hasMessageNotContaining("v1");
    assertThatThrownBy(() -> stack.rollback("secrets", "absent", 1, WriteOptions.none()))
        .isInstanceOf(NotFoundException.class);
    assertThat(stack.get("secrets", "k").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void concurrentWritersLoseNoHistory() throws Exception {
    stack.namespaces().create("busy", NamespaceSettings.defaults().withMaxVersions(1000));
    stack.create("busy", "counter", Value.number(0));
    int threads = 8;
    int writesPerThread = 50;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        KvStore writer = stack.as(Principal.of("writer-" + t));
        tasks.add(() -> {
          go.await();
          for (int i = 0; i < writesPerThread; i++) {
            for (;;) {
              Entry cur = writer.get("busy", "counter").orElseThrow();
              try {
                writer.compareAndSet("busy", "counter", cur.version(),
                    Value.number(cur.value().asNumber().longValueExact() + 1));
                break;
              } catch (VersionConflictException e) {
                // lost the race: read again and retry
              }
            }
          }
          return null;
        });
      }
      List<Future<Void>> futures = new ArrayList<>();
      for (Callable<Void> task : tasks) {
        futures.add(pool.submit(task));
      }
      go.countDown();
      for (Future<Void> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    int total = threads * writesPerThread;
    List<VersionRecord> history = stack.history("busy", "counter");
    assertThat(history).hasSize(total + 1);
    assertThat(history).extracting(VersionRecord::version)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, total + 1).map(v -> total + 2 - v).boxed().toList());
    assertThat(history).extracting(r -> r.value().asNumber().longValueExact())
        .containsExactlyElementsOf(LongStream.rangeClosed(0, total).map(v -> total - v).boxed().toList());
    assertThat(stack.get("busy", "counter").orElseThrow().value()).isEqualTo(Value.number(total));
  }
}
