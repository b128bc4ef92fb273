package io.kv.demo;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.Value;
import io.kv.core.AuditSinks;
import io.kv.core.JsonKv;
import io.kv.core.MasterKey;
import io.kv.jdbc.ChangeFeed;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.NearCache;
import io.kv.jdbc.SchemaMode;
import io.kv.testkit.MutableClock;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The walk-through on an H2 file through the JDBC store with a near-cache, run twice as two
 * processes would: the second run finds what the first one wrote. Everything lives in a new
 * temporary directory, deleted at the end.
 */
final class OnH2 {
  private final PrintStream out;
  private final MutableClock clock;
  /** Connections the stores took from the data source: a read that takes none was a cache hit. */
  private final AtomicInteger connections = new AtomicInteger();

  OnH2(PrintStream out, MutableClock clock) {
    this.out = out;
    this.clock = clock;
  }

  /**
   * Runs the walk-through, then a second store on the same file, then deletes the directory.
   *
   * @return the directory it used, gone by now
   * @throws IOException if the directory cannot be created or deleted
   */
  Path runTwice(MasterKey masterKey) throws IOException {
    Path dir = Files.createTempDirectory("kv-demo");
    try {
      DataSource h2 = counting(h2(dir));
      out.println("Run 1 on H2 at " + dir.resolve("kv.mv.db"));
      firstRun(h2, masterKey);
      shutDown(h2);
      Demo.step(out, "Run 2: a new store on the same file");
      secondRun(h2, masterKey);
      shutDown(h2);
    } finally {
      delete(dir);
      out.println();
      out.println("Deleted " + dir);
    }
    return dir;
  }

  private void firstRun(DataSource h2, MasterKey masterKey) {
    JdbcKvStore jdbc = JdbcKvStore.builder(h2).clock(clock).schemaMode(SchemaMode.CREATE).build();
    // The change feed brings other instances' writes into the cache; here it has none to bring.
    ChangeFeed feed = ChangeFeed.builder(h2, jdbc).start();
    try (KvStore cached = NearCache.builder().changeFeed(feed).clock(jdbc.clock()).build(jdbc)) {
      KvStore store = new Demo(out, clock).run(cached, masterKey).as(Demo.APP);

      Demo.step(out, "10. the near-cache: a second read of an entry costs no trip to the database");
      store.put("app", "config/features/beta", Value.bool(true));
      out.println("  first get took " + connectionsFor(() -> store.get("app", "config/features/beta"))
          + " connection (a miss, read from H2)");
      out.println("  second get took " + connectionsFor(() -> store.get("app", "config/features/beta"))
          + " connections (a near-cache hit)");
    }
  }

  private void secondRun(DataSource h2, MasterKey masterKey) {
    try (JdbcKvStore jdbc = JdbcKvStore.builder(h2).clock(clock).build()) {
      // VALIDATE, the default: the first run made the tables.
      KvStore stack = Demo.stack(jdbc, masterKey, clock, AuditSinks.inMemory());
      KvStore app = stack.as(Demo.APP);
      out.println("  config/database/host = " + app.get("app", "config/database/host").orElseThrow().value().asString());
      out.println("  config/pool as a record: "
          + JsonKv.of(app).get("app", "config/pool", Demo.PoolConfig.class).orElseThrow());
      Entry secret = stack.as(Demo.OPS).get("secrets", "db/password").orElseThrow();
      out.println("  secrets/db/password v" + secret.version() + " decrypts with the same master key ("
          + secret.value().type() + ", " + stack.as(Demo.OPS).history("secrets", "db/password").size()
          + " versions in its history)");
    }
  }

  private int connectionsFor(Runnable read) {
    int before = connections.get();
    read.run();
    return connections.get() - before;
  }

  private static JdbcDataSource h2(Path dir) {
    JdbcDataSource ds = new JdbcDataSource();
    // DB_CLOSE_DELAY keeps the database open between the store's connections; shutDown closes it.
    ds.setURL("jdbc:h2:file:" + dir.resolve("kv").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  /** Writes everything to the file and closes the database, as the end of a process would. */
  private static void shutDown(DataSource h2) {
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot shut H2 down: SQL state " + e.getSQLState(), e);
    }
  }

  /** {@code ds}, counting the connections taken from it. */
  private DataSource counting(DataSource ds) {
    return (DataSource) Proxy.newProxyInstance(OnH2.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getConnection")) {
            connections.incrementAndGet();
          }
          try {
            return method.invoke(ds, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      // Deepest first, so each directory is empty when its turn comes.
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
