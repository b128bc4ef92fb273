package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.TransactionFailedException;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bank transfers as transactions racing over a few shared accounts: each reads two balances,
 * requires both versions it read and writes both new balances, retrying when a compare fails. On
 * PostgreSQL several store instances share the tables, as several processes would. However the
 * transactions interleave, the sum over the accounts never changes and every committed transfer
 * is in the change log. {@code -Dkv.txn.transfers=N} sets the transfers per thread (default 25)
 * for a longer run.
 */
class JdbcTransactionContentionTest {
  private static final String NS = "bank";
  private static final int ACCOUNTS = 6;
  private static final long OPENING = 1_000;
  private static final int THREADS_PER_INSTANCE = 3;

  @TempDir Path dir;

  private NamedDatabases databases;
  private final List<KvStore> stores = new ArrayList<>();

  @AfterEach
  void close() {
    stores.forEach(KvStore::close);
    if (databases != null) {
      databases.close();
    }
  }

  @ParameterizedTest(name = "{0}, {1} instance(s)")
  @CsvSource({"postgres, 3", "h2, 1", "sqlite, 1"})
  void transfersKeepTheSumAndAreAllLogged(String database, int instances) throws Exception {
    databases = new NamedDatabases(dir);
    DataSource ds = databases.get(database);
    String prefix = TestDatabases.freshPrefix();
    MutableClock clock = MutableClock.fixed();
    for (int i = 0; i < instances; i++) {
      stores.add(JdbcKvStore.builder(ds).clock(clock).tablePrefix(prefix).schemaMode(SchemaMode.CREATE)
          .sweepInterval(java.time.Duration.ZERO).instanceId("bank-" + i).build());
    }
    for (int a = 0; a < ACCOUNTS; a++) {
      stores.get(0).put(NS, account(a), balance(OPENING));
    }
    int transfers = Integer.getInteger("kv.txn.transfers", 25);
    int threads = instances * THREADS_PER_INSTANCE;
    ConcurrentLinkedQueue<String> committed = new ConcurrentLinkedQueue<>();
    AtomicInteger conflicts = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        KvStore store = stores.get(t % instances);
        running.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < transfers; i++) {
            TransactionResult r = transfer(store, conflicts);
            r.written().values().forEach(e -> committed.add(e.key() + ":" + e.version()));
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    long sum = 0;
    for (int a = 0; a < ACCOUNTS; a++) {
      sum += Long.parseLong(stores.get(instances - 1).get(NS, account(a)).orElseThrow().value().asString());
    }
    assertThat(sum).as("the money in the accounts").isEqualTo(ACCOUNTS * OPENING);
    assertThat(committed).hasSize(2 * threads * transfers);
    Set<String> logged = loggedUpdates(ds, prefix, stores.get(0));
    assertThat(logged).as("every committed write is in the change log, and nothing else").isEqualTo(new HashSet<>(committed));
    System.out.println(database + " x" + instances + ": " + threads * transfers + " transfers, " + conflicts.get()
        + " failed compares retried");
  }

  /** One transfer between two distinct random accounts, retried until its compares hold. */
  private static TransactionResult transfer(KvStore store, AtomicInteger conflicts) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int from = random.nextInt(ACCOUNTS);
    int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
    long amount = 1 + random.nextInt(50);
    while (true) {
      Map<String, Entry> read = store.getAll(NS, List.of(account(from), account(to)));
      Entry a = read.get(account(from));
      Entry b = read.get(account(to));
      try {
        return store.transaction(NS)
            .versionIs(a.key(), a.version())
            .versionIs(b.key(), b.version())
            .put(a.key(), balance(Long.parseLong(a.value().asString()) - amount))
            .put(b.key(), balance(Long.parseLong(b.value().asString()) + amount))
            .commit();
      } catch (TransactionFailedException e) {
        conflicts.incrementAndGet();
      }
    }
  }

  /** The updates the change log holds for the namespace, as key:version. */
  private static Set<String> loggedUpdates(DataSource ds, String prefix, KvStore store) throws Exception {
    Db db = ((JdbcStore) store).state().db;
    Set<String> out = new HashSet<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT entry_key, version FROM " + db.changes + " WHERE namespace = ? AND change = 'UPDATED'")) {
      ps.setString(1, NS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          assertThat(out.add(db.getKey(rs, 1) + ":" + rs.getLong(2))).as("logged once").isTrue();
        }
      }
    }
    return out;
  }

  private static String account(int i) {
    return "account-" + i;
  }

  private static Value balance(long amount) {
    return Value.string(Long.toString(amount));
  }
}
