package io.kv.audit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.KvStore;
import io.kv.Principal;
import io.kv.Value;
import io.kv.core.AuditAction;
import io.kv.core.AuditRecord;
import io.kv.core.KvStores;
import io.kv.jdbc.Dialect;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.NearCache;
import io.kv.jdbc.SchemaMode;
import io.kv.testkit.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Batched read records: where their SQL runs, their order in the chain, close and crash. */
class JdbcAuditSinkBatchTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  // Long enough that the flusher's timer never fires during a test: batches come from size or close.
  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir
  Path dir;

  private final MutableClock clock = MutableClock.at(T0);
  private final String prefix = AuditDatabases.prefix();
  private final List<JdbcAuditSink> sinks = new ArrayList<>();
  private DataSource ds;

  @AfterEach
  void closeAll() {
    sinks.forEach(JdbcAuditSink::close);
    if (ds instanceof HikariDataSource pool && pool != AuditDatabases.open(Dialect.POSTGRESQL, dir)) {
      pool.close();
    }
  }

  private JdbcAuditSink sink(Dialect dialect, DataSource through, Duration maxDelay, int maxBatch) {
    if (ds == null) {
      ds = AuditDatabases.open(dialect, dir);
    }
    JdbcAuditSink sink = JdbcAuditSink.builder(through == null ? ds : through).tablePrefix(prefix)
        .schemaMode(SchemaMode.CREATE).clock(clock).batchReads(maxDelay, maxBatch).build();
    sinks.add(sink);
    return sink;
  }

  private AuditRecord record(AuditAction action, String principal, String key) {
    return new AuditRecord(clock.instant(), Principal.of(principal), action, Optional.of("app"), Optional.of(key),
        true, Optional.empty());
  }

  /** Every record of the table in chain order (all share one millisecond, so seq decides). */
  private static List<StoredAuditRecord> all(JdbcAuditSink sink) {
    return sink.query(AuditQuery.all().withLimit(AuditQuery.MAX_LIMIT)).records();
  }

  /** {@code delegate}, counting the connections taken on {@code watched}'s thread. */
  private static DataSource counting(DataSource delegate, Thread watched, AtomicInteger count) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getConnection") && Thread.currentThread() == watched) {
            count.incrementAndGet();
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anAuditedNearCacheHitRunsNoSqlOnTheCallingThread(Dialect dialect) {
    ds = AuditDatabases.open(dialect, dir);
    AtomicInteger connections = new AtomicInteger();
    DataSource counted = counting(ds, Thread.currentThread(), connections);
    JdbcAuditSink sink = sink(dialect, counted, NEVER, 1000);
    JdbcKvStore jdbc = JdbcKvStore.builder(counted).tablePrefix(prefix).schemaMode(SchemaMode.CREATE).clock(clock)
        .sweepInterval(Duration.ZERO).build();
    KvStore store = KvStores.builder(NearCache.builder().clock(clock).build(jdbc)).clock(clock).audit(sink).build();
    try {
      store.put("app", "db/url", Value.string("jdbc:x"));
      store.get("app", "db/url"); // loads the near cache
      connections.set(0);
      for (int i = 0; i < 50; i++) {
        assertThat(store.get("app", "db/url")).isPresent();
      }
      assertThat(connections.get()).isZero();

      sink.flush();
      List<AuditAction> expected = new ArrayList<>(List.of(AuditAction.WRITE));
      expected.addAll(java.util.Collections.nCopies(51, AuditAction.READ));
      assertThat(all(sink)).extracting(r -> r.record().action()).containsExactlyElementsOf(expected);
      assertThat(sink.verify().ok()).isTrue();
    } finally {
      store.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void readsAndWritesFromSeveralThreadsKeepEachThreadsOrderAndVerify(Dialect dialect) {
    JdbcAuditSink sink = sink(dialect, null, Duration.ofMillis(5), 8);
    List<CompletableFuture<Void>> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String principal = "p" + t;
      threads.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 30; i++) {
          // Two reads, then a write that must follow them in the chain.
          sink.record(record(AuditAction.READ, principal, "r" + i + "a"));
          sink.record(record(AuditAction.LIST, principal, "r" + i + "b"));
          if (i % 3 == 0) {
            sink.record(record(AuditAction.WRITE, principal, "w" + i));
          }
        }
      }));
    }
    threads.forEach(CompletableFuture::join);
    sink.close();

    List<StoredAuditRecord> records = all(sink);
    assertThat(records).hasSize(4 * (60 + 10));
    for (int t = 0; t < 4; t++) {
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        expected.add("r" + i + "a");
        expected.add("r" + i + "b");
        if (i % 3 == 0) {
          expected.add("w" + i);
        }
      }
      String principal = "p" + t;
      assertThat(records).filteredOn(r -> r.record().principal().name().equals(principal))
          .extracting(r -> r.record().key().orElseThrow()).containsExactlyElementsOf(expected);
    }
    assertThat(records).extracting(StoredAuditRecord::seq).isSorted();
    AuditVerification result = sink.verify();
    assertThat(result.ok()).isTrue();
    assertThat(result.records()).isEqualTo(1 + 4 * 70);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void closeWritesEveryQueuedReadAndLaterRecordsAreWrittenAtOnce(Dialect dialect) {
    JdbcAuditSink sink = sink(dialect, null, NEVER, 1000);
    for (int i = 0; i < 10; i++) {
      sink.record(record(AuditAction.READ, "alice", "k" + i));
    }
    sink.close();
    assertThat(all(sink)).hasSize(10);
    sink.record(record(AuditAction.COUNT, "alice", "after"));
    assertThat(all(sink)).extracting(r -> r.record().key().orElseThrow()).endsWith("after").hasSize(11);
    sink.close(); // a second close changes nothing
    assertThat(sink.verify().ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aCrashLosesAtMostTwiceMaxBatchReadsAndNoWriteAndTheChainVerifies(Dialect dialect) {
    int maxBatch = 4;
    JdbcAuditSink sink = sink(dialect, null, NEVER, maxBatch);
    for (int i = 0; i < 40; i++) {
      sink.record(record(AuditAction.READ, "alice", "r" + i));
      if (i % 10 == 9) {
        sink.record(record(AuditAction.WRITE, "alice", "w" + i));
      }
    }
    sink.record(record(AuditAction.READ, "alice", "last")); // queued: one short of a batch at most
    sink.crashForTest();

    List<StoredAuditRecord> kept = all(sink);
    assertThat(kept).filteredOn(r -> r.record().action() == AuditAction.WRITE).hasSize(4);
    long reads = kept.stream().filter(r -> r.record().action() == AuditAction.READ).count();
    assertThat(41 - reads).isBetween(0L, 2L * maxBatch);
    // What was kept is a prefix of what was recorded, so the chain has no gap.
    List<String> keys = kept.stream().map(r -> r.record().key().orElseThrow()).toList();
    List<String> recorded = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      recorded.add("r" + i);
      if (i % 10 == 9) {
        recorded.add("w" + i);
      }
    }
    recorded.add("last");
    assertThat(recorded.subList(0, keys.size())).isEqualTo(keys);
    assertThat(sink.verify().ok()).isTrue();
  }
}
