package io.kv.audit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.AlreadyExistsException;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.StorageException;
import io.kv.TransactionFailedException;
import io.kv.Value;
import io.kv.core.AuditAction;
import io.kv.core.AuditFailurePolicy;
import io.kv.core.KvStores;
import io.kv.jdbc.Dialect;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.NearCache;
import io.kv.jdbc.SchemaMode;
import io.kv.testkit.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A change and its audit record commit in one transaction when the store and the sink share a
 * DataSource: on PostgreSQL, H2 and SQLite, with plain SQL to break the audit table and a
 * connection whose commit fails once.
 */
class JdbcAuditSinkJoinedTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir
  Path dir;

  private final MutableClock clock = MutableClock.at(T0);
  private final String prefix = AuditDatabases.prefix();
  private final List<AutoCloseable> open = new ArrayList<>();
  private DataSource pool;
  // Set to make the next commit on a connection of shared() fail, retryably, before it commits.
  private final AtomicBoolean failNextCommit = new AtomicBoolean();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (pool instanceof HikariDataSource h && h != AuditDatabases.open(Dialect.POSTGRESQL, dir)) {
      h.close();
    }
  }

  /** The one DataSource object that store and sink share: the pool, with commits that can fail. */
  private DataSource shared(Dialect dialect) {
    pool = AuditDatabases.open(dialect, dir);
    return proxy(DataSource.class, pool, (target, name, args) -> {
      if (name.equals("getConnection")) {
        return proxy(Connection.class, target.call(), (c, m, a) -> {
          if (m.equals("commit") && failNextCommit.getAndSet(false)) {
            throw new SQLException("commit failed (injected)", "40001");
          }
          if (m.equals("createStatement")) {
            // SQLite's store ends its transactions with a COMMIT statement.
            return proxy(Statement.class, c.call(), (st, sm, sa) -> {
              if (sm.equals("execute") && "COMMIT".equals(sa[0]) && failNextCommit.getAndSet(false)) {
                throw new SQLException("commit failed (injected)", "40001");
              }
              return st.call();
            });
          }
          return c.call();
        });
      }
      return target.call();
    });
  }

  private interface Call {
    Object call() throws Throwable;
  }

  private interface Handler {
    Object handle(Call original, String method, Object[] args) throws Throwable;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Object delegate, Handler handler) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) ->
        handler.handle(() -> {
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        }, method.getName(), args));
  }

  private JdbcAuditSink sink(DataSource ds) {
    JdbcAuditSink sink = JdbcAuditSink.builder(ds).tablePrefix(prefix).schemaMode(SchemaMode.CREATE).clock(clock).build();
    open.add(sink);
    return sink;
  }

  private JdbcKvStore jdbc(DataSource ds) {
    JdbcKvStore store = JdbcKvStore.builder(ds).tablePrefix(prefix).schemaMode(SchemaMode.CREATE).clock(clock)
        .sweepInterval(Duration.ZERO).build();
    open.add(store);
    return store;
  }

  private KvStore audited(KvStore backend, JdbcAuditSink sink, AuditFailurePolicy policy) {
    KvStore store = KvStores.builder(backend).clock(clock).audit(sink).auditFailurePolicy(policy).build();
    open.add(store);
    return store;
  }

  private static List<StoredAuditRecord> all(JdbcAuditSink sink) {
    return sink.query(AuditQuery.all().withLimit(AuditQuery.MAX_LIMIT)).records();
  }

  private void renameAuditTable(String from, String to) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + from + " RENAME TO " + to);
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void everyChangeCommitsItsRecordInItsOwnTransactionOnAJoinedChain(Dialect dialect) {
    DataSource ds = shared(dialect);
    JdbcAuditSink sink = sink(ds);
    KvStore store = audited(NearCache.builder().clock(clock).build(jdbc(ds)), sink, AuditFailurePolicy.FAIL_OPERATION);

    store.namespaces().create("cfg", NamespaceSettings.defaults());
    store.put("app", "a", Value.string("1"));
    store.create("app", "b", Value.string("2"));
    store.putAll("app", Map.of("c", Value.string("3"), "d", Value.string("4")));
    store.transaction("app").versionIs("a", 1).put("a", Value.string("1b")).delete("b").commit();
    store.delete("app", "c");
    store.get("app", "a");

    List<StoredAuditRecord> records = all(sink);
    assertThat(records).extracting(r -> r.record().action()).containsExactlyInAnyOrder(
        AuditAction.NAMESPACE_CREATE, AuditAction.WRITE, AuditAction.WRITE, AuditAction.WRITE, AuditAction.WRITE,
        AuditAction.WRITE, AuditAction.DELETE, AuditAction.DELETE, AuditAction.READ);
    // Changes went in with their transactions; the read, which changes nothing, to the main chain.
    assertThat(records).allSatisfy(r -> assertThat(r.chain().equals(sink.chainId()))
        .isEqualTo(r.record().action() == AuditAction.READ));
    assertThat(records).allSatisfy(r -> assertThat(r.record().success()).isTrue());
    // One writer at a time: one joined chain serves every change.
    assertThat(sink.heads()).hasSize(2);
    assertThat(sink.verify().ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aChangeWhoseRecordCannotBeWrittenChangesNothing(Dialect dialect) throws SQLException {
    DataSource ds = shared(dialect);
    JdbcAuditSink sink = sink(ds);
    JdbcKvStore jdbc = jdbc(ds);
    KvStore store = audited(jdbc, sink, AuditFailurePolicy.FAIL_OPERATION);
    store.put("app", "kept", Value.string("1"));

    renameAuditTable(prefix + "audit", prefix + "audit_away");
    try {
      assertThatThrownBy(() -> store.put("app", "lost", Value.string("2"))).isInstanceOf(StorageException.class);
      assertThatThrownBy(() -> store.put("app", "kept", Value.string("3"))).isInstanceOf(StorageException.class);
      assertThatThrownBy(() -> store.delete("app", "kept")).isInstanceOf(StorageException.class);
    } finally {
      renameAuditTable(prefix + "audit_away", prefix + "audit");
    }

    assertThat(jdbc.get("app", "lost")).isEmpty();
    assertThat(jdbc.get("app", "kept")).hasValueSatisfying(e -> {
      assertThat(e.value()).isEqualTo(Value.string("1"));
      assertThat(e.version()).isEqualTo(1);
    });
    assertThat(all(sink)).extracting(r -> r.record().key().orElseThrow()).containsExactly("kept");
    assertThat(sink.verify().ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aTransactionThatRolledBackLeavesNoRecordOfItsChange(Dialect dialect) {
    DataSource ds = shared(dialect);
    JdbcAuditSink sink = sink(ds);
    JdbcKvStore jdbc = jdbc(ds);
    KvStore store = audited(jdbc, sink, AuditFailurePolicy.FAIL_OPERATION);
    store.put("app", "a", Value.string("1"));

    // The commit fails once, after the record was inserted: the store retries, and the record of
    // the rolled-back attempt is gone with it.
    failNextCommit.set(true);
    store.put("app", "a", Value.string("2"));
    assertThat(failNextCommit).isFalse();
    // Refused before anything commits: a conflict and a failed compare.
    assertThatThrownBy(() -> store.create("app", "a", Value.string("3"))).isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> store.transaction("app").versionIs("a", 1).put("a", Value.string("4")).commit())
        .isInstanceOf(TransactionFailedException.class);

    assertThat(jdbc.get("app", "a").orElseThrow().version()).isEqualTo(2);
    List<StoredAuditRecord> records = all(sink);
    assertThat(records).extracting(r -> r.record().success()).containsExactlyInAnyOrder(true, true, false, false);
    // The successes in joined chains, the failures recorded afterwards in the main chain.
    assertThat(records).allSatisfy(r -> assertThat(r.chain().equals(sink.chainId())).isEqualTo(!r.record().success()));
    assertThat(sink.verify().ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void concurrentWritersEachCommitTheirRecordsAndTheChainsVerify(Dialect dialect) {
    DataSource ds = shared(dialect);
    JdbcAuditSink sink = sink(ds);
    KvStore store = audited(jdbc(ds), sink, AuditFailurePolicy.FAIL_OPERATION);
    int threads = 4;
    int writes = 25;
    CompletableFuture<?>[] running = IntStream.range(0, threads).mapToObj(t -> CompletableFuture.runAsync(() -> {
      for (int i = 0; i < writes; i++) {
        store.put("app", "t" + t + "/k" + (i % 5), Value.string("v" + i));
      }
    })).toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(running).join();

    List<StoredAuditRecord> records = all(sink);
    assertThat(records).hasSize(threads * writes);
    assertThat(records).noneMatch(r -> r.chain().equals(sink.chainId()));
    // The main chain and at most one joined chain per writer that ran at once.
    assertThat(sink.heads()).hasSizeBetween(2, threads + 1);
    assertThat(sink.verify().ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void withoutTheSameDataSourceOrUnderLogAndContinueRecordsAreWrittenAfterTheChange(Dialect dialect)
      throws SQLException {
    DataSource ds = shared(dialect);
    // Another DataSource object over the same database: the store cannot take the sink's rows.
    DataSource other = proxy(DataSource.class, ds, (target, name, args) -> target.call());
    JdbcAuditSink sink = sink(other);
    KvStore separate = audited(jdbc(ds), sink, AuditFailurePolicy.FAIL_OPERATION);
    separate.put("app", "a", Value.string("1"));
    assertThat(all(sink)).singleElement().satisfies(r -> assertThat(r.chain()).isEqualTo(sink.chainId()));

    // LOG_AND_CONTINUE promises that a failing sink never fails a change, so nothing joins.
    JdbcAuditSink sharedSink = sink(ds);
    KvStore lenient = audited(jdbc(ds), sharedSink, AuditFailurePolicy.LOG_AND_CONTINUE);
    renameAuditTable(prefix + "audit", prefix + "audit_away");
    try {
      lenient.put("app", "b", Value.string("2"));
    } finally {
      renameAuditTable(prefix + "audit_away", prefix + "audit");
    }
    assertThat(lenient.get("app", "b")).isPresent();
  }
}
