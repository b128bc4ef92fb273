package io.kv.audit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.core.AuditAction;
import io.kv.jdbc.Dialect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Batched read records: where their SQL runs, their order in the chain, close and crash. */
class JdbcAuditSinkBatchTest extends BufferedReadsFixture {
  private JdbcAuditSink sink(Dialect dialect, DataSource through, Duration maxDelay, int maxBatch) {
    return sink(dialect, through, b -> b.batchReads(maxDelay, maxBatch));
  }

  /** Every record of the table in chain order (all share one millisecond, so seq decides). */
  private static List<StoredAuditRecord> all(JdbcAuditSink sink) {
    return sink.query(AuditQuery.all().withLimit(AuditQuery.MAX_LIMIT)).records();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anAuditedNearCacheHitRunsNoSqlOnTheCallingThread(Dialect dialect) {
    JdbcAuditSink sink = fiftyAuditedHitsTakeNoConnection(dialect, b -> b.batchReads(NEVER, 1000));
    List<AuditAction> expected = new ArrayList<>(List.of(AuditAction.WRITE));
    expected.addAll(java.util.Collections.nCopies(51, AuditAction.READ));
    assertThat(all(sink)).extracting(r -> r.record().action()).containsExactlyElementsOf(expected);
    assertThat(sink.verify().ok()).isTrue();
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
