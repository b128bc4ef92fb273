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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of the sink's read modes (batched, summarized) share: a database per dialect,
 * sinks closed after each test, records at a mutable clock's time, and the near-cache check.
 */
abstract class BufferedReadsFixture {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  // Long enough that the flusher's timer never fires during a test: rounds come from size,
  // writes, flush or close.
  static final Duration NEVER = Duration.ofHours(1);

  @TempDir
  Path dir;

  final MutableClock clock = MutableClock.at(T0);
  final String prefix = AuditDatabases.prefix();
  private final List<JdbcAuditSink> sinks = new ArrayList<>();
  DataSource ds;

  @AfterEach
  void closeAll() {
    sinks.forEach(JdbcAuditSink::close);
    if (ds instanceof HikariDataSource pool && pool != AuditDatabases.open(Dialect.POSTGRESQL, dir)) {
      pool.close();
    }
  }

  /** A sink on {@code through} (the test's database when null), in the read mode {@code mode} sets. */
  JdbcAuditSink sink(Dialect dialect, DataSource through, UnaryOperator<JdbcAuditSink.Builder> mode) {
    if (ds == null) {
      ds = AuditDatabases.open(dialect, dir);
    }
    JdbcAuditSink sink = mode.apply(JdbcAuditSink.builder(through == null ? ds : through).tablePrefix(prefix)
        .schemaMode(SchemaMode.CREATE).clock(clock)).build();
    sinks.add(sink);
    return sink;
  }

  AuditRecord record(AuditAction action, String principal, String key) {
    return new AuditRecord(clock.instant(), Principal.of(principal), action, Optional.of("app"), Optional.of(key),
        true, Optional.empty());
  }

  /**
   * Puts one entry through an audited stack over a near-cache, reads it once to load the cache,
   * then 50 times more, and checks that those hits took no connection on this thread. Returns the
   * sink, flushed.
   */
  JdbcAuditSink fiftyAuditedHitsTakeNoConnection(Dialect dialect, UnaryOperator<JdbcAuditSink.Builder> mode) {
    ds = AuditDatabases.open(dialect, dir);
    AtomicInteger connections = new AtomicInteger();
    DataSource counted = AuditDatabases.counting(ds, Thread.currentThread(), connections);
    JdbcAuditSink sink = sink(dialect, counted, mode);
    JdbcKvStore jdbc = JdbcKvStore.builder(counted).tablePrefix(prefix).schemaMode(SchemaMode.CREATE).clock(clock)
        .sweepInterval(Duration.ZERO).build();
    try (KvStore store = KvStores.builder(NearCache.builder().clock(clock).build(jdbc)).clock(clock).audit(sink)
        .build()) {
      store.put("app", "db/url", Value.string("jdbc:x"));
      store.get("app", "db/url"); // loads the near cache
      connections.set(0);
      for (int i = 0; i < 50; i++) {
        assertThat(store.get("app", "db/url")).isPresent();
      }
      assertThat(connections.get()).isZero();
    }
    sink.flush();
    return sink;
  }
}
