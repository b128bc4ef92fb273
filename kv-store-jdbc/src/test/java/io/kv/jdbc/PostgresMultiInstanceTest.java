package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.AlreadyExistsException;
import io.kv.Entry;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.testkit.MutableClock;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several store instances (separate JdbcKvStore objects) racing on one PostgreSQL database. */
@DisplayName("JdbcKvStore on PostgreSQL: several instances on one database")
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PostgresMultiInstanceTest {
  private static final int INSTANCES = 4;
  private static final int THREADS = 4;
  private static final int INCREMENTS = 25;

  private final MutableClock clock = MutableClock.fixed();
  private final List<JdbcKvStore> stores = new ArrayList<>();
  private String prefix;

  @BeforeEach
  void openInstances() {
    prefix = TestDatabases.freshPrefix();
    for (int i = 0; i < INSTANCES; i++) {
      stores.add(JdbcKvStore.builder(TestDatabases.postgres())
          .clock(clock)
          .tablePrefix(prefix)
          .schemaMode(i == 0 ? SchemaMode.CREATE : SchemaMode.VALIDATE)
          .sweepInterval(Duration.ZERO)
          .instanceId("instance-" + i)
          .build());
    }
  }

  @AfterEach
  void closeInstances() {
    stores.forEach(JdbcKvStore::close);
  }

  private <T> List<T> race(int tasks, java.util.function.IntFunction<Callable<T>> task) throws Exception {
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

  @Test
  void compareAndSetIncrementsFromSeveralInstancesLoseNoUpdate() throws Exception {
    stores.get(0).put("app", "counter", Value.number(0));
    AtomicInteger conflicts = new AtomicInteger();

    race(INSTANCES * THREADS, t -> () -> {
      JdbcKvStore store = stores.get(t % INSTANCES);
      for (int i = 0; i < INCREMENTS; i++) {
        while (true) {
          Entry read = store.get("app", "counter").orElseThrow();
          try {
            store.compareAndSet("app", "counter", read.version(), Value.number(read.value().asNumber().add(BigDecimal.ONE)));
            break;
          } catch (VersionConflictException retry) {
            conflicts.incrementAndGet();
          }
        }
      }
      return null;
    });

    Entry counter = stores.get(1).get("app", "counter").orElseThrow();
    int total = INSTANCES * THREADS * INCREMENTS;
    assertThat(counter.value().asNumber()).isEqualByComparingTo(BigDecimal.valueOf(total));
    assertThat(counter.version()).isEqualTo(total + 1L);
    assertThat(conflicts.get()).as("instances did race").isPositive();
    assertThat(changeRows("UPDATED")).isEqualTo(total);
  }

  @Test
  void ofInstancesCreatingOneKeyExactlyOneWins() throws Exception {
    for (int round = 0; round < 10; round++) {
      String key = "k" + round;
      List<String> outcomes = race(INSTANCES * THREADS, t -> () -> {
        try {
          stores.get(t % INSTANCES).create("app", key, Value.string("writer-" + t));
          return "writer-" + t;
        } catch (AlreadyExistsException lost) {
          return "lost";
        }
      });

      assertThat(outcomes.stream().filter(o -> !o.equals("lost"))).hasSize(1);
      Entry e = stores.get(2).get("app", key).orElseThrow();
      assertThat(e.version()).isEqualTo(1);
      assertThat(outcomes).contains(e.value().asString());
    }
    assertThat(changeRows("CREATED")).isEqualTo(10);
  }

  private long changeRows(String change) throws Exception {
    try (Connection c = TestDatabases.postgres().getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + prefix + "changes WHERE change = ?")) {
      ps.setString(1, change);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
