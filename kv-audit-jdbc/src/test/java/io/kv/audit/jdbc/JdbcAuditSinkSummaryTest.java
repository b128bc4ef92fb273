package io.kv.audit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kv.core.AuditAction;
import io.kv.jdbc.Dialect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Summarized reads: exact counts under concurrency, their place in the chain, flush, close, crash. */
class JdbcAuditSinkSummaryTest extends BufferedReadsFixture {
  private JdbcAuditSink sink(Dialect dialect, DataSource through, Duration interval, int maxGroups) {
    return sink(dialect, through, b -> b.summarizeReads(interval, maxGroups));
  }

  /** Every record of the sink's main chain, in chain order. */
  private static List<StoredAuditRecord> all(JdbcAuditSink sink) {
    return sink.query(AuditQuery.all().withLimit(AuditQuery.MAX_LIMIT)).records().stream()
        .sorted((a, b) -> Long.compare(a.seq(), b.seq())).toList();
  }

  private static long reads(List<StoredAuditRecord> records) {
    return records.stream().filter(r -> !r.record().action().changesData()).mapToLong(StoredAuditRecord::count).sum();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void countsAreExactUnderFourReadingThreadsWhileTheThreadWritesRounds(Dialect dialect) {
    // A short interval, so that rounds take groups while readers add to them.
    JdbcAuditSink sink = sink(dialect, null, Duration.ofMillis(2), 10_000);
    int perThread = 3_000;
    List<CompletableFuture<Void>> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String principal = "p" + (t % 2);
      threads.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < perThread; i++) {
          sink.record(record(i % 2 == 0 ? AuditAction.READ : AuditAction.LIST, principal, "k" + (i % 5)));
        }
      }));
    }
    threads.forEach(CompletableFuture::join);
    sink.close();

    List<StoredAuditRecord> records = all(sink);
    assertThat(reads(records)).isEqualTo(4L * perThread);
    Map<String, Long> perGroup = new HashMap<>();
    for (StoredAuditRecord r : records) {
      perGroup.merge(r.record().principal().name() + "/" + r.record().action() + "/" + r.record().key().orElseThrow(),
          r.count(), Long::sum);
      assertThat(r.lastAt()).contains(T0);
    }
    // Each of the 2 principals times 5 keys: 2 threads x 300 reads x 2 actions.
    assertThat(perGroup).hasSize(2 * 2 * 5).allSatisfy((group, n) -> assertThat(n).isEqualTo(2L * perThread / 10));
    assertThat(sink.verify().ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aWriteComesAfterTheSummariesOfTheReadsBeforeItAndBeforeThoseAfterIt(Dialect dialect) {
    JdbcAuditSink sink = sink(dialect, null, Duration.ofMillis(2), 10_000);
    int rounds = 20;
    List<CompletableFuture<Void>> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String principal = "p" + t;
      threads.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < rounds; i++) {
          for (int j = 0; j < 10; j++) {
            sink.record(record(AuditAction.READ, principal, "config"));
          }
          sink.record(record(AuditAction.WRITE, principal, "w" + i));
        }
      }));
    }
    threads.forEach(CompletableFuture::join);
    sink.close();

    List<StoredAuditRecord> records = all(sink);
    for (int t = 0; t < 4; t++) {
      String principal = "p" + t;
      long readsSoFar = 0;
      int writes = 0;
      for (StoredAuditRecord r : records) {
        if (!r.record().principal().name().equals(principal)) {
          continue;
        }
        if (r.record().action() == AuditAction.READ) {
          readsSoFar += r.count();
        } else {
          assertThat(r.record().key()).contains("w" + writes);
          writes++;
          // Exactly the thread's reads before this write: none missing, none from after it.
          assertThat(readsSoFar).as("reads of %s before w%d", principal, writes - 1).isEqualTo(10L * writes);
        }
      }
      assertThat(writes).isEqualTo(rounds);
      assertThat(readsSoFar).isEqualTo(10L * rounds);
    }
    assertThat(sink.verify().ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void flushAndCloseWriteOneRowPerGroupWithItsCountAndTimes(Dialect dialect) {
    JdbcAuditSink sink = sink(dialect, null, NEVER, 100);
    sink.record(record(AuditAction.READ, "alice", "a"));
    clock.advance(Duration.ofMillis(5));
    sink.record(record(AuditAction.READ, "alice", "a"));
    sink.record(record(AuditAction.READ, "bob", "a"));
    clock.advance(Duration.ofMillis(5));
    sink.record(record(AuditAction.READ, "alice", "a"));
    assertThat(all(sink)).isEmpty();

    sink.flush();
    List<StoredAuditRecord> flushed = all(sink);
    assertThat(flushed).extracting(r -> r.record().principal().name(), StoredAuditRecord::count,
            r -> r.record().timestamp(), StoredAuditRecord::lastAt)
        .containsExactly(
            tuple("alice", 3L, T0, Optional.of(T0.plusMillis(10))),
            tuple("bob", 1L, T0.plusMillis(5), Optional.of(T0.plusMillis(5))));

    sink.record(record(AuditAction.COUNT, "alice", "b"));
    sink.record(record(AuditAction.COUNT, "alice", "b"));
    sink.close();
    assertThat(all(sink)).hasSize(3).last().extracting(StoredAuditRecord::count).isEqualTo(2L);

    sink.record(record(AuditAction.READ, "alice", "after")); // closed: written at once, on its own
    StoredAuditRecord after = all(sink).get(3);
    assertThat(after.record().key()).contains("after");
    assertThat(after.count()).isEqualTo(1);
    assertThat(after.lastAt()).isEmpty();
    sink.close();
    assertThat(sink.verify().ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aFullGroupTableMakesTheReaderWriteOnItsOwnThreadAndNothingIsLost(Dialect dialect) {
    ds = AuditDatabases.open(dialect, dir);
    AtomicInteger connections = new AtomicInteger();
    JdbcAuditSink sink = sink(dialect, AuditDatabases.counting(ds, Thread.currentThread(), connections), NEVER, 3);
    connections.set(0);
    for (int i = 0; i < 3; i++) {
      sink.record(record(AuditAction.READ, "alice", "k" + i));
      sink.record(record(AuditAction.READ, "alice", "k" + i));
    }
    assertThat(connections.get()).isZero();
    sink.record(record(AuditAction.READ, "alice", "k3")); // a fourth group: the reader writes the three
    assertThat(connections.get()).isEqualTo(1);
    assertThat(all(sink)).extracting(StoredAuditRecord::count).containsExactly(2L, 2L, 2L);
    sink.close();
    // The first three share their first read's time, so their order among themselves is free.
    assertThat(all(sink)).extracting(r -> r.record().key().orElseThrow(), StoredAuditRecord::count)
        .containsExactlyInAnyOrder(tuple("k0", 2L), tuple("k1", 2L),
            tuple("k2", 2L), tuple("k3", 1L));
    assertThat(all(sink)).last().extracting(r -> r.record().key().orElseThrow()).isEqualTo("k3");
    assertThat(sink.verify().ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aCrashLosesOnlyTheCountsSinceTheLastRoundAndTheChainVerifies(Dialect dialect) {
    JdbcAuditSink sink = sink(dialect, null, NEVER, 100);
    for (int i = 0; i < 40; i++) {
      sink.record(record(AuditAction.READ, "alice", "k" + (i % 4)));
      if (i % 10 == 9) {
        sink.record(record(AuditAction.WRITE, "alice", "w" + i)); // a round: writes the summaries first
      }
    }
    sink.record(record(AuditAction.READ, "alice", "last"));
    sink.record(record(AuditAction.READ, "alice", "k0"));
    sink.crashForTest();

    List<StoredAuditRecord> kept = all(sink);
    assertThat(kept).filteredOn(r -> r.record().action() == AuditAction.WRITE).hasSize(4);
    // Every read up to the last round is counted; the two since are what the crash lost.
    assertThat(reads(kept)).isEqualTo(40);
    assertThat(kept.get(kept.size() - 1).record().key()).contains("w39");
    assertThat(sink.verify().ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anAuditedNearCacheHitRunsNoSqlOnTheCallingThread(Dialect dialect) {
    JdbcAuditSink sink = fiftyAuditedHitsTakeNoConnection(dialect, b -> b.summarizeReads(NEVER, 1000));
    // The write's record committed with the put, in a chain of its own; the reads are one summary.
    assertThat(all(sink)).extracting(r -> r.record().action(), StoredAuditRecord::count)
        .containsExactlyInAnyOrder(tuple(AuditAction.WRITE, 1L), tuple(AuditAction.READ, 51L));
    assertThat(sink.verify().ok()).isTrue();
  }
}
