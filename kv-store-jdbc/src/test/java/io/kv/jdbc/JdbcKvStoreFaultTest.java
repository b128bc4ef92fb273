package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Namespaces.DeleteMode;
import io.kv.StorageException;
import io.kv.Value;
import io.kv.ValueRewriter;
import io.kv.WriteOptions;
import io.kv.jdbc.FaultyDataSource.Fault;
import io.kv.jdbc.FaultyDataSource.Step;
import io.kv.testkit.MutableClock;
import io.kv.testkit.SuiteFigures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every write of the JDBC store (and the reads that reach the database), with a database fault
 * injected at each of its steps in turn, on
 * H2, SQLite and PostgreSQL: a step fails, the connection drops under a batch or a commit, or
 * (PostgreSQL) the server process of the connection is terminated. Each time the operation must
 * fail with a {@link StorageException} carrying the driver's error, leave every row of its
 * namespace (entries, history, change log, declaration) as it was, publish no event, leave no
 * entry in the near-cache that the database does not hold; and the same operation run again
 * right after must succeed with exactly the result it has without a fault. A step refused with a
 * serialization failure instead makes the store run the write again, which must then have
 * exactly that result too: nothing applied twice, no event told twice.
 */
@DisplayName("JdbcKvStore: a database fault at any step of a write or a read")
class JdbcKvStoreFaultTest {
  private static final List<String> KEYS = List.of("k1", "k2", "k3", "k4");

  @TempDir Path dir;

  /**
   * An operation under test, run on a namespace prepared by {@link Rig#prepare}. A read is not
   * run again by the store on a serialization failure (one autocommit SELECT cannot meet one), so
   * only writes are swept with {@link Fault#RETRYABLE}.
   */
  private record Op(String name, OpBody body, boolean read) {
    Op(String name, OpBody body) {
      this(name, body, false);
    }
  }

  @FunctionalInterface
  private interface OpBody {
    void run(KvStore store, String ns);
  }

  private static List<Op> ops() {
    WriteOptions none = WriteOptions.none();
    return List.of(
        new Op("put", (s, ns) -> s.put(ns, "k1", Value.string("val-new"), none)),
        new Op("put of a new key", (s, ns) -> s.put(ns, "k4", Value.string("val-new"), none)),
        new Op("create", (s, ns) -> s.create(ns, "k4", Value.string("val-new"), none)),
        new Op("update", (s, ns) -> s.update(ns, "k1", Value.string("val-new"), none)),
        new Op("compareAndSet", (s, ns) -> s.compareAndSet(ns, "k1", 3, Value.string("val-new"), none)),
        new Op("delete", (s, ns) -> s.delete(ns, "k1")),
        new Op("deleteIfVersion", (s, ns) -> s.deleteIfVersion(ns, "k1", 3)),
        new Op("putAll", (s, ns) -> s.putAll(ns, orderedValues(), none)),
        new Op("deleteAll", (s, ns) -> s.deleteAll(ns, List.of("k1", "k2", "k4"))),
        new Op("rotate", (s, ns) -> s.rotate(ns, "k1", Value.string("val-new"), none)),
        new Op("rollback", (s, ns) -> s.rollback(ns, "k1", 2, none)),
        new Op("rewriteValues", (s, ns) -> s.feature(ValueRewriter.class).orElseThrow().rewriteValues(ns, "k1", v -> Value.string("val-rewritten"))),
        new Op("namespace create", (s, ns) -> s.namespaces().create(ns + "n", NamespaceSettings.defaults().withMaxVersions(1))),
        new Op("namespace update", (s, ns) -> s.namespaces().update(ns, NamespaceSettings.defaults().withMaxVersions(3))),
        new Op("namespace delete", (s, ns) -> s.namespaces().delete(ns, DeleteMode.CASCADE)),
        // Reads that reach the database (k4 is absent, so the cache does not hold it).
        new Op("get", (s, ns) -> s.get(ns, "k4"), true),
        new Op("getAll", (s, ns) -> s.getAll(ns, List.of("k2", "k4")), true),
        new Op("list", (s, ns) -> s.list(ns, io.kv.ListOptions.prefix("k")), true),
        new Op("count", (s, ns) -> s.count(ns), true),
        new Op("history", (s, ns) -> s.history(ns, "k1"), true));
  }

  private static Map<String, Value> orderedValues() {
    Map<String, Value> values = new LinkedHashMap<>();
    values.put("k1", Value.string("val-new1"));
    values.put("k2", Value.string("val-new2"));
    values.put("k4", Value.string("val-new4"));
    return values;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "sqlite", "postgresql"})
  void aFaultAtAnyStepLeavesTheStoreAsItWasAndTheNextCallWorks(String database) throws Exception {
    Map<Fault, Long> injected = new EnumMap<>(Fault.class);
    long steps = 0;
    try (Rig rig = new Rig(database)) {
      for (Op op : ops()) {
        Outcome clean = rig.cleanRun(op);
        steps += clean.steps().size();
        for (int i = 0; i < clean.steps().size(); i++) {
          Step step = clean.steps().get(i);
          for (Fault fault : rig.faults()) {
            if (fault == Fault.RETRYABLE && op.read()) {
              continue;
            }
            if (fault == Fault.DROP && step == Step.STATEMENT) {
              continue; // a dropped connection is swept over connects, batches and commits; FAIL covers the rest
            }
            if (fault == Fault.RETRYABLE) {
              rig.retriedRun(op, i + 1, clean);
            } else {
              rig.faultedRun(op, fault, i + 1, clean);
            }
            injected.merge(fault, 1L, Long::sum);
          }
        }
      }
    }
    Map<String, Long> figures = new LinkedHashMap<>();
    figures.put("operations", (long) ops().size());
    figures.put("steps", steps);
    figures.put("faults injected", injected.values().stream().mapToLong(Long::longValue).sum());
    injected.forEach((fault, n) -> figures.put(fault.name().toLowerCase(java.util.Locale.ROOT), n));
    SuiteFigures.publish("faults", database, figures);
    assertThat(injected.values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(ops().size());
  }

  /** What a write did when nothing failed: its steps, the rows after it and its events. */
  private record Outcome(List<Step> steps, String before, String after, List<String> events) {}

  /** A store on one database behind a {@link FaultyDataSource}, and what a test sees of it. */
  private final class Rig implements AutoCloseable {
    private final String database;
    private final DataSource base;
    private final DataSource plain;
    private final FaultyDataSource faulty;
    private final JdbcKvStore jdbc;
    private final KvStore store;
    private final String prefix = TestDatabases.freshPrefix();
    private final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> declarations = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private int namespaces;

    Rig(String database) throws SQLException {
      this.database = database;
      String url = switch (database) {
        case "postgresql" -> null;
        case "h2" -> "jdbc:h2:file:" + dir.resolve("kv").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        default -> "jdbc:sqlite:" + dir.resolve("kv.db").toAbsolutePath() + "?synchronous=OFF";
      };
      com.zaxxer.hikari.HikariDataSource pool =
          TestDatabases.pool(url == null ? TestDatabases.postgresServer() : new UrlDataSource(url), 4);
      resources.add(pool);
      base = pool;
      plain = url == null ? TestDatabases.postgres() : pool;
      faulty = new FaultyDataSource(base, plain);
      MutableClock clock = MutableClock.fixed();
      jdbc = JdbcKvStore.builder(faulty).clock(clock).tablePrefix(prefix).schemaMode(SchemaMode.CREATE)
          .sweepInterval(Duration.ZERO).build();
      store = NearCache.builder().clock(clock).build(jdbc);
      store.subscribe(ChangeFilter.all(), events::add);
      store.namespaces().watch(declarations::add);
    }

    List<Fault> faults() {
      return database.equals("postgresql")
          ? List.of(Fault.FAIL, Fault.DROP, Fault.KILL, Fault.RETRYABLE)
          : List.of(Fault.FAIL, Fault.DROP, Fault.RETRYABLE);
    }

    /** A fresh namespace in the state every write starts from; its cache is warm. */
    String prepare() {
      String ns = "f" + (++namespaces);
      store.namespaces().create(ns, NamespaceSettings.defaults().withMaxVersions(2));
      store.put(ns, "k1", Value.string("val-a1"));
      store.put(ns, "k1", Value.string("val-a2"));
      store.put(ns, "k1", Value.string("val-a3"));
      store.put(ns, "k2", Value.string("val-b1"), WriteOptions.none().withMetadata(Map.of("owner", "team")));
      store.put(ns, "k3", Value.string("val-c1"), WriteOptions.ttl(Duration.ofHours(1)));
      for (String key : KEYS) {
        store.get(ns, key);
      }
      events.clear();
      declarations.clear();
      return ns;
    }

    Outcome cleanRun(Op op) throws SQLException {
      String ns = prepare();
      String before = rows(ns);
      faulty.record();
      op.body().run(store, ns);
      List<Step> steps = faulty.recorded();
      assertThat(steps).as("steps of %s", op.name()).isNotEmpty();
      return new Outcome(steps, before, rows(ns), events(ns));
    }

    void faultedRun(Op op, Fault fault, int step, Outcome clean) throws SQLException {
      String ns = prepare();
      String what = op.name() + " with " + fault + " at step " + step + " of " + clean.steps() + " on " + database;

      faulty.arm(fault, step);
      Throwable thrown = catchThrowable(() -> op.body().run(store, ns));
      assertThat(faulty.disarm()).as("fault injected in %s", what).isTrue();

      assertThat(thrown).as(what).isInstanceOf(StorageException.class);
      assertThat(thrown.getCause()).as("cause in %s", what).isInstanceOf(SQLException.class);
      assertThat(thrown.getMessage()).as("message of %s", what).contains(ns).doesNotContain("val-");
      // An operation on a namespace of its own (a declaration) names one that starts with ns.
      assertThat(((StorageException) thrown).namespace()).as("namespace of %s", what)
          .hasValueSatisfying(n -> assertThat(n).startsWith(ns));
      assertThat(faulty.open()).as("connections left open by %s", what).isZero();
      assertThat(rows(ns)).as("rows after %s", what).isEqualTo(clean.before());
      assertThat(events).as("events of %s", what).isEmpty();
      assertThat(declarations).as("namespace changes told after %s", what).isEmpty();
      for (String key : KEYS) {
        Entry held = jdbc.get(ns, key).orElse(null);
        ((NearCachedStore) store).cached(ns, key)
            .ifPresent(cached -> assertThat(cached).as("cached %s after %s", key, what).isEqualTo(held));
        assertThat(store.get(ns, key).orElse(null)).as("read of %s after %s", key, what).isEqualTo(held);
      }

      op.body().run(store, ns);
      assertThat(faulty.open()).as("connections left open after %s", what).isZero();
      assertThat(rows(ns)).as("rows of the run after %s", what).isEqualTo(clean.after());
      assertThat(events(ns)).as("events of the run after %s", what).isEqualTo(clean.events());
    }

    /**
     * A step refused as a whole (a serialization failure) makes the store run the unit again: the
     * write then succeeds once, with exactly the rows and events of a run without the fault.
     */
    void retriedRun(Op op, int step, Outcome clean) throws SQLException {
      String ns = prepare();
      String what = op.name() + " with a retryable failure at step " + step + " of " + clean.steps() + " on " + database;
      faulty.arm(Fault.RETRYABLE, step);
      op.body().run(store, ns);
      assertThat(faulty.disarm()).as("fault injected in %s", what).isTrue();
      assertThat(faulty.open()).as("connections left open by %s", what).isZero();
      assertThat(rows(ns)).as("rows after %s", what).isEqualTo(clean.after());
      assertThat(events(ns)).as("events of %s", what).isEqualTo(clean.events());
    }

    private List<String> events(String ns) {
      List<String> out = new ArrayList<>();
      for (ChangeEvent e : events) {
        out.add(e.type() + " " + e.namespace().replace(ns, "NS") + "/" + e.key() + " v" + e.version() + " " + e.at()
            + " " + e.principal().name());
      }
      events.clear();
      return out;
    }

    /** Every row the namespace (and the one a test declares next to it) has in the store's tables. */
    String rows(String ns) throws SQLException {
      StringBuilder out = new StringBuilder();
      try (Connection c = plain.getConnection()) {
        table(c, out, "SELECT * FROM " + prefix + "namespaces WHERE name IN (?, ?) ORDER BY name", ns);
        table(c, out, "SELECT * FROM " + prefix + "entries WHERE namespace IN (?, ?) ORDER BY namespace, entry_key", ns);
        table(c, out, "SELECT * FROM " + prefix + "history WHERE namespace IN (?, ?) ORDER BY namespace, entry_key, version", ns);
        table(c, out, "SELECT namespace, entry_key, version, change, principal, changed_at FROM " + prefix
            + "changes WHERE namespace IN (?, ?) ORDER BY seq", ns);
      }
      return out.toString();
    }

    private void table(Connection c, StringBuilder out, String sql, String ns) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, ns);
        ps.setString(2, ns + "n");
        try (ResultSet rs = ps.executeQuery()) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            for (int i = 1; i <= md.getColumnCount(); i++) {
              // A revision is store-wide: it counts every earlier run's writes, and the numbers a
              // failed write took from the sequence are not given back.
              if (md.getColumnLabel(i).equalsIgnoreCase("revision")) {
                continue;
              }
              Object v = rs.getObject(i);
              String text = v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v);
              out.append(text.equals(ns) ? "NS" : text.equals(ns + "n") ? "NSn" : text).append(i < md.getColumnCount() ? "|" : "\n");
            }
          }
        }
      }
      out.append("--\n");
    }

    @Override
    public void close() throws Exception {
      store.close();
      for (AutoCloseable r : resources) {
        r.close();
      }
    }
  }
}
