package io.kv.testkit;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.NotFoundException;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads contending on a few keys through one or more store instances (several instances must
 * share one database), then an account of every success. Counter keys see only compareAndSet
 * increments: the final value must equal the number of increments that succeeded. Churn keys see
 * compareAndSet, rotate and rollback: every success must have got a version of its own, the
 * versions must run 2, 3, ... without a gap, and history (kept whole) must list each of them, in
 * order, with the value that success wrote.
 *
 * <p>Each run declares a namespace of its own. Figures are published with {@link SuiteFigures}
 * under the suite {@code contention}. Not thread-safe itself; it runs its own threads.
 */
public final class ContentionCheck {
  private static final int COUNTER_KEYS = 2;
  private static final int CHURN_KEYS = 2;

  private ContentionCheck() {}

  /**
   * Runs {@code threads} threads of {@code attempts} operations each, thread {@code i} using
   * {@code stores.get(i % stores.size())}.
   *
   * @param subject what runs, as the figures name it
   * @param stores instances over one shared backend
   * @param threads how many threads write at once
   * @param attempts how many attempts each thread makes
   * @throws AssertionError if a success is unaccounted for, a version is lost or doubled, or
   *     history is incomplete or out of order
   * @throws IllegalArgumentException if the attempts could exceed the history a namespace keeps
   */
  public static void run(String subject, List<KvStore> stores, int threads, int attempts) {
    Objects.requireNonNull(subject, "subject");
    if (stores.isEmpty() || threads < 1 || attempts < 1 || (long) threads * attempts >= NamespaceSettings.MAX_VERSIONS_LIMIT) {
      throw new IllegalArgumentException("need a store, threads and attempts, and fewer attempts than history keeps");
    }
    String ns = "c" + Long.toString(Math.abs(new Random().nextLong() % 1_000_000_000L), 36);
    KvStore admin = stores.get(0);
    admin.namespaces().create(ns, NamespaceSettings.defaults().withMaxVersions(NamespaceSettings.MAX_VERSIONS_LIMIT));
    for (int k = 0; k < COUNTER_KEYS; k++) {
      admin.create(ns, "counter" + k, Value.number(0));
    }
    Map<String, Map<Long, Value>> written = new ConcurrentHashMap<>();
    for (int k = 0; k < CHURN_KEYS; k++) {
      Entry e = admin.create(ns, "churn" + k, Value.string("start"));
      written.computeIfAbsent(e.key(), x -> new ConcurrentHashMap<>()).put(1L, e.value());
    }
    AtomicLong increments = new AtomicLong();
    AtomicLong operations = new AtomicLong();
    AtomicLong doubled = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      KvStore store = stores.get(t % stores.size());
      int thread = t;
      done.add(pool.submit(() -> {
        Random r = new Random(thread);
        start.await();
        for (int i = 0; i < attempts; i++) {
          operations.incrementAndGet();
          Entry e = r.nextBoolean() ? increment(store, ns, "counter" + r.nextInt(COUNTER_KEYS), increments)
              : churn(store, ns, "churn" + r.nextInt(CHURN_KEYS), r, thread + "-" + i);
          if (e != null && written.computeIfAbsent(e.key(), x -> new ConcurrentHashMap<>())
              .putIfAbsent(e.version(), e.value()) != null) {
            doubled.incrementAndGet();
          }
        }
        return null;
      }));
    }
    start.countDown();
    pool.shutdown();
    try {
      for (Future<?> f : done) {
        f.get(10, TimeUnit.MINUTES);
      }
    } catch (Exception e) {
      throw new AssertionError(subject + ": a contending thread failed", e);
    }
    check(subject, admin, ns, written, increments.get(), doubled.get());
    Map<String, Long> figures = new LinkedHashMap<>();
    figures.put("instances", (long) stores.size());
    figures.put("threads", (long) threads);
    figures.put("operations", operations.get());
    figures.put("successful increments", increments.get());
    SuiteFigures.publish("contention", subject, figures);
  }

  private static Entry increment(KvStore store, String ns, String key, AtomicLong increments) {
    Entry cur = store.get(ns, key).orElseThrow();
    try {
      Entry e = store.compareAndSet(ns, key, cur.version(), Value.number(cur.value().asNumber().longValueExact() + 1));
      increments.incrementAndGet();
      return e;
    } catch (VersionConflictException lost) {
      return null;
    }
  }

  private static Entry churn(KvStore store, String ns, String key, Random r, String tag) {
    Entry cur = store.get(ns, key).orElseThrow();
    try {
      switch (r.nextInt(3)) {
        case 0:
          return store.compareAndSet(ns, key, cur.version(), Value.string("cas " + tag));
        case 1:
          return store.rotate(ns, key, Value.string("rotate " + tag), WriteOptions.none());
        default:
          return store.rollback(ns, key, Math.max(1, cur.version() - r.nextInt(3)), WriteOptions.none());
      }
    } catch (VersionConflictException | NotFoundException lost) {
      // a conflict, or a rollback target another writer's trim removed: the race was lost
      return null;
    }
  }

  private static void check(String subject, KvStore store, String ns, Map<String, Map<Long, Value>> written,
      long increments, long doubled) {
    if (doubled > 0) {
      throw new AssertionError(subject + ": " + doubled + " successful writes got a version another one got too");
    }
    long counted = 0;
    for (int k = 0; k < COUNTER_KEYS; k++) {
      Entry e = store.get(ns, "counter" + k).orElseThrow();
      counted += e.value().asNumber().longValueExact();
      if (e.version() != 1 + e.value().asNumber().longValueExact()) {
        throw new AssertionError(subject + ": " + e.key() + " is at version " + e.version() + " after "
            + e.value().asString() + " increments");
      }
      checkHistory(subject, store, ns, e, written.getOrDefault(e.key(), Map.of()), true);
    }
    if (counted != increments) {
      throw new AssertionError(subject + ": the counters add up to " + counted + ", but " + increments
          + " increments succeeded");
    }
    for (int k = 0; k < CHURN_KEYS; k++) {
      Entry e = store.get(ns, "churn" + k).orElseThrow();
      checkHistory(subject, store, ns, e, written.get(e.key()), false);
    }
  }

  /** History lists every version from the current one down to 1 (2 for a counter), each with its writer's value. */
  private static void checkHistory(String subject, KvStore store, String ns, Entry e, Map<Long, Value> written,
      boolean counter) {
    List<VersionRecord> history = store.history(ns, e.key());
    long expected = e.version();
    for (VersionRecord r : history) {
      if (r.version() != expected) {
        throw new AssertionError(subject + ": history of " + e.key() + " has version " + r.version() + " where "
            + expected + " belongs");
      }
      Value v = written.get(r.version());
      if (v == null && !(counter && r.version() == 1)) {
        throw new AssertionError(subject + ": no successful write returned version " + r.version() + " of " + e.key());
      }
      if (v != null && !v.equals(r.value())) {
        throw new AssertionError(subject + ": history of " + e.key() + " holds another value at version " + r.version()
            + " than the write that returned it");
      }
      expected--;
    }
    int successes = written.size() + (counter ? 1 : 0);
    if (expected != 0 || successes != e.version()) {
      throw new AssertionError(subject + ": " + e.key() + " is at version " + e.version() + " with " + history.size()
          + " history records and " + successes + " successful writes");
    }
  }
}
