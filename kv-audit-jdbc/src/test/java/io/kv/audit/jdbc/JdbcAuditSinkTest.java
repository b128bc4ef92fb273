package io.kv.audit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.KvStore;
import io.kv.Principal;
import io.kv.VersionConflictException;
import io.kv.Value;
import io.kv.core.AuditAction;
import io.kv.core.AuditRecord;
import io.kv.core.KvStores;
import io.kv.jdbc.Dialect;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.SchemaMode;
import io.kv.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcAuditSinkTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path dir;

  private final MutableClock clock = MutableClock.at(T0);
  private final String prefix = AuditDatabases.prefix();
  private DataSource ds;

  @AfterEach
  void closeEmbedded() {
    if (ds instanceof HikariDataSource pool && pool != AuditDatabases.open(Dialect.POSTGRESQL, dir)) {
      pool.close();
    }
  }

  private JdbcAuditSink sink(Dialect dialect) {
    if (ds == null) {
      ds = AuditDatabases.open(dialect, dir);
    }
    return JdbcAuditSink.builder(ds).tablePrefix(prefix).schemaMode(SchemaMode.CREATE).clock(clock)
        .purgeBatchSize(3).build();
  }

  private AuditRecord write(String principal, String key) {
    return new AuditRecord(clock.instant(), Principal.of(principal), AuditAction.WRITE, Optional.of("app"),
        Optional.of(key), true, Optional.empty());
  }

  /** A sink with {@code n} records, one millisecond apart, after its START row (seq 0). */
  private JdbcAuditSink sinkWith(Dialect dialect, int n) {
    JdbcAuditSink sink = sink(dialect);
    for (int i = 1; i <= n; i++) {
      clock.advance(Duration.ofMillis(1));
      sink.record(write("alice", "k" + i));
    }
    return sink;
  }

  private void sql(String statement) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate(statement.replace("{t}", prefix + "audit"));
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException e) {
      throw new AssertionError(statement, e);
    }
  }

  /** Tampers with a chain of {@code records} records by {@code statements}; verify must name it. */
  private void assertCaught(Dialect dialect, int records, long seq, AuditTamper.Kind kind, String... statements) {
    JdbcAuditSink sink = sinkWith(dialect, records);
    for (String statement : statements) {
      sql(statement);
    }
    assertThat(sink.verify().firstProblem()).contains(tamper(sink, seq, kind));
  }

  private static AuditTamper tamper(JdbcAuditSink sink, long seq, AuditTamper.Kind kind) {
    return new AuditTamper(sink.chainId(), seq, kind);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void recordsOfAStackOverTheJdbcStoreComeBackFromTheQueryApi(Dialect dialect) {
    JdbcAuditSink sink = sink(dialect);
    JdbcKvStore backend = JdbcKvStore.builder(ds).tablePrefix(prefix).schemaMode(SchemaMode.CREATE).clock(clock)
        .sweepInterval(Duration.ZERO).build();
    KvStore store = KvStores.builder(backend).clock(clock).audit(sink).build();
    try {
      KvStore alice = store.as(Principal.of("alice"));
      KvStore bob = store.as(Principal.of("bob"));
      alice.put("app", "db/url", Value.string("jdbc:x"));
      clock.advance(Duration.ofSeconds(1));
      alice.put("app", "db/user", Value.string("svc"));
      bob.get("app", "db/url");
      clock.advance(Duration.ofSeconds(1));
      bob.put("other", "flag", Value.string("on"));
      try {
        bob.compareAndSet("app", "db/url", 99, Value.string("nope"));
      } catch (VersionConflictException expected) {
        // audited as a failed write
      }

      AuditPage aliceRecords = sink.query(AuditQuery.all().withPrincipal("alice"));
      assertThat(aliceRecords.records()).extracting(r -> r.record().key().orElseThrow())
          .containsExactly("db/url", "db/user");
      assertThat(aliceRecords.next()).isEmpty();
      assertThat(sink.query(AuditQuery.all().withNamespace("other")).records())
          .extracting(r -> r.record().principal().name()).containsExactly("bob");
      assertThat(sink.query(AuditQuery.all().withNamespace("app").withKeyPrefix("db/us")).records())
          .extracting(r -> r.record().key().orElseThrow()).containsExactly("db/user");
      assertThat(sink.query(AuditQuery.all().withAction(AuditAction.READ)).records())
          .extracting(r -> r.record().key().orElseThrow()).containsExactly("db/url");
      List<StoredAuditRecord> failed = sink.query(AuditQuery.all().withPrincipal("bob")
          .withTimeRange(T0.plusSeconds(2), T0.plusSeconds(3))).records();
      assertThat(failed).extracting(r -> r.record().errorKind().orElse("ok"))
          .containsExactly("ok", "VersionConflictException");
      assertThat(failed.get(0).record().timestamp()).isEqualTo(T0.plusSeconds(2));

      List<String> paged = new ArrayList<>();
      AuditQuery query = AuditQuery.all().withLimit(2);
      int pages = 0;
      while (true) {
        AuditPage page = sink.query(query);
        pages++;
        page.records().forEach(r -> paged.add(r.record().principal().name() + ":" + r.record().key().orElseThrow()));
        if (page.next().isEmpty()) {
          break;
        }
        query = query.withAfter(page.next().get());
      }
      assertThat(paged).containsExactly("alice:db/url", "alice:db/user", "bob:db/url", "bob:flag", "bob:db/url");
      assertThat(pages).isEqualTo(3);
      assertThat(sink.verify().ok()).isTrue();
    } finally {
      store.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anUntouchedChainVerifies(Dialect dialect) {
    JdbcAuditSink sink = sinkWith(dialect, 5);
    AuditVerification result = sink.verify();
    assertThat(result.ok()).isTrue();
    assertThat(result.chains()).isEqualTo(1);
    assertThat(result.records()).isEqualTo(6);
    assertThat(sink.heads()).containsExactly(new ChainHead(sink.chainId(), 5, sink.heads().get(0).hash()));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anAlteredFieldIsNamed(Dialect dialect) {
    assertCaught(dialect, 6, 3, AuditTamper.Kind.ALTERED,
        "UPDATE {t} SET principal = 'mallory' WHERE seq = 3");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anEditedCountIsNamed(Dialect dialect) {
    assertCaught(dialect, 6, 2, AuditTamper.Kind.ALTERED,
        "UPDATE {t} SET read_count = 40 WHERE seq = 2");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anEditedLastReadTimeIsNamed(Dialect dialect) {
    assertCaught(dialect, 6, 5, AuditTamper.Kind.ALTERED,
        "UPDATE {t} SET last_at_ms = at_ms + 1000 WHERE seq = 5");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aDeletedRecordIsNamed(Dialect dialect) {
    assertCaught(dialect, 6, 4, AuditTamper.Kind.DELETED,
        "DELETE FROM {t} WHERE seq = 4");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aDeletedStartIsNamed(Dialect dialect) {
    assertCaught(dialect, 3, 1, AuditTamper.Kind.DELETED,
        "DELETE FROM {t} WHERE seq <= 1");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aForgedRecordInsertedInTheMiddleIsNamed(Dialect dialect) {
    // Make room after seq 3 (in two steps, so that no statement meets its own unique key), then
    // forge a row that links to seq 3 like a real successor would.
    assertCaught(dialect, 6, 4, AuditTamper.Kind.INSERTED,
        "UPDATE {t} SET seq = seq + 1000 WHERE seq > 3",
        "UPDATE {t} SET seq = seq - 999 WHERE seq > 1000",
        "INSERT INTO {t} (chain_id, seq, kind, at_ms, principal, action, namespace, entry_key, success, prev_hash, hash)"
        + " SELECT chain_id, 4, kind, at_ms, 'mallory', action, namespace, 'forged', success, hash, '"
        + "f".repeat(64) + "' FROM {t} WHERE seq = 3");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void twoRecordsSwappedInOrderAreNamed(Dialect dialect) {
    assertCaught(dialect, 6, 2, AuditTamper.Kind.REORDERED,
        "UPDATE {t} SET seq = 100 WHERE seq = 2",
        "UPDATE {t} SET seq = 2 WHERE seq = 3",
        "UPDATE {t} SET seq = 3 WHERE seq = 100");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void verifyingATimeRangeChecksOnlyThatRangeWithItsContext(Dialect dialect) {
    JdbcAuditSink sink = sinkWith(dialect, 10);
    sql("UPDATE {t} SET entry_key = 'edited' WHERE seq = 8");
    // Records are at T0 + seq ms; [2, 5) holds seqs 2..4, checked with seqs 1 and 5 around them.
    AuditVerification early = sink.verify(T0.plusMillis(2), T0.plusMillis(5));
    assertThat(early.ok()).isTrue();
    assertThat(early.records()).isEqualTo(5);
    assertThat(sink.verify(T0.plusMillis(6), T0.plusMillis(9)).firstProblem())
        .contains(tamper(sink, 8, AuditTamper.Kind.ALTERED));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void retentionKeepsTheChainVerifiableFromItsNewOldestRecord(Dialect dialect) {
    JdbcAuditSink other = sink(dialect);
    JdbcAuditSink sink = sinkWith(dialect, 10);
    clock.advance(Duration.ofMinutes(1));
    other.record(write("bob", "late"));
    // Rows of the first sink at T0 + 0..10 ms; keep those from T0 + 7 ms on.
    clock.set(T0.plusMillis(7).plus(Duration.ofHours(1)));
    long deleted = sink.purgeOlderThan(Duration.ofHours(1));
    // seqs 0..6 of the first chain, and the other chain's START row (T0) before its record.
    assertThat(deleted).isEqualTo(8);
    assertThat(sink.verify().ok()).isTrue();
    assertThat(sink.query(AuditQuery.all().withPrincipal("alice")).records())
        .extracting(StoredAuditRecord::seq).containsExactly(7L, 8L, 9L, 10L);
    assertThat(sink.query(AuditQuery.all().withPrincipal("bob")).records()).hasSize(1);

    // A second purge with nothing older to delete still leaves every chain anchored.
    clock.advance(Duration.ofDays(1));
    sink.purgeOlderThan(Duration.ofDays(2));
    assertThat(sink.verify().ok()).isTrue();

    // Deleting the new oldest record by hand is still caught.
    sql("DELETE FROM {t} WHERE chain_id = '" + sink.chainId() + "' AND seq = 7");
    assertThat(sink.verify().firstProblem()).contains(tamper(sink, 7, AuditTamper.Kind.DELETED));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aTruncatedChainShowsAgainstItsKeptHead(Dialect dialect) {
    JdbcAuditSink sink = sinkWith(dialect, 4);
    List<ChainHead> kept = sink.heads();
    sql("DELETE FROM {t} WHERE seq = 4");
    assertThat(sink.verify().ok()).isTrue();
    assertThat(sink.heads()).isNotEqualTo(kept);
    assertThat(sink.heads().get(0).seq()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void twoSinksWritingAtOnceBothVerify(Dialect dialect) {
    JdbcAuditSink one = sink(dialect);
    JdbcAuditSink two = sink(dialect);
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (JdbcAuditSink s : List.of(one, one, two, two)) {
      writers.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 25; i++) {
          s.record(write("w", "k" + i));
        }
      }));
    }
    writers.forEach(CompletableFuture::join);
    AuditVerification result = one.verify();
    assertThat(result.ok()).isTrue();
    assertThat(result.chains()).isEqualTo(2);
    assertThat(one.heads()).extracting(ChainHead::seq).containsExactly(50L, 50L);
  }
}
