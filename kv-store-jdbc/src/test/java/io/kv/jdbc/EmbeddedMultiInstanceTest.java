package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.AlreadyExistsException;
import io.kv.Entry;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.testkit.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two store instances, each with its own connection pool, on one H2 or SQLite file. */
@DisplayName("JdbcKvStore on H2 and SQLite: two instances on one file")
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EmbeddedMultiInstanceTest {
  private static final int INSTANCES = 2;
  private static final int THREADS = 4;
  private static final int INCREMENTS = 25;

  @TempDir
  Path dir;

  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<JdbcKvStore> stores = new ArrayList<>();

  private void open(String database) {
    MutableClock clock = MutableClock.fixed();
    for (int i = 0; i < INSTANCES; i++) {
      HikariDataSource ds = database.equals("h2") ? TestDatabases.h2(dir) : TestDatabases.sqlite(dir.resolve("kv.db"));
      pools.add(ds);
      stores.add(JdbcKvStore.builder(ds).clock(clock).schemaMode(SchemaMode.CREATE).sweepInterval(Duration.ZERO).build());
    }
  }

  private void close() {
    stores.forEach(JdbcKvStore::close);
    pools.forEach(HikariDataSource::close);
  }

  private static <T> List<T> race(int tasks, IntFunction<Callable<T>> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks);
    try {
      CyclicBarrier gate = new CyclicBarrier(tasks);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        Callable<T> body = task.apply(i);
        futures.add(pool.submit(() -> {
          gate.await(30, TimeUnit.SECONDS);
          return body.call();
        }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(100, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite"})
  void casIncrementsLoseNoUpdateAndOneCreatorWins(String database) throws Exception {
    open(database);
    try {
      stores.get(0).put("app", "counter", Value.number(0));
      race(INSTANCES * THREADS, t -> () -> {
        JdbcKvStore store = stores.get(t % INSTANCES);
        for (int i = 0; i < INCREMENTS; i++) {
          while (true) {
            Entry read = store.get("app", "counter").orElseThrow();
            try {
              store.compareAndSet("app", "counter", read.version(), Value.number(read.value().asNumber().add(BigDecimal.ONE)));
              break;
            } catch (VersionConflictException retry) {
              // the other instance won this round
            }
          }
        }
        return null;
      });
      Entry counter = stores.get(1).get("app", "counter").orElseThrow();
      assertThat(counter.value().asNumber()).isEqualByComparingTo(BigDecimal.valueOf(INSTANCES * THREADS * INCREMENTS));

      List<String> outcomes = race(INSTANCES * THREADS, t -> () -> {
        try {
          stores.get(t % INSTANCES).create("app", "once", Value.string("writer-" + t));
          return "won";
        } catch (AlreadyExistsException lost) {
          return "lost";
        }
      });
      assertThat(outcomes).filteredOn("won"::equals).hasSize(1);
    } finally {
      close();
    }
  }
}
