package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.AlreadyExistsException;
import io.kv.Entry;
import io.kv.ListOptions;
import io.kv.Page;
import io.kv.Value;
import io.kv.VersionConflictException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Races whose outcome is fixed: no lost update, exactly one creator. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class ConcurrencyContract extends ContractGroup {
  private static final int THREADS = 8;
  private static final int INCREMENTS = 200;

  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected ConcurrencyContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected ConcurrencyContract(ContractSuite suite) {
    super(suite);
  }

  /** Runs {@code task(i)} on {@link #THREADS} threads released together; returns the results. */
  private static <T> List<T> race(TaskFactory<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CyclicBarrier gate = new CyclicBarrier(THREADS);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        Callable<T> body = task.create(i);
        futures.add(pool.submit(() -> {
          gate.await(30, TimeUnit.SECONDS);
          return body.call();
        }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface TaskFactory<T> {
    Callable<T> create(int thread);
  }

  @Test
  void compareAndSetIncrementsLoseNoUpdate() throws Exception {
    store().put(NS, "counter", Value.number(0));

    race(thread -> () -> {
      for (int i = 0; i < INCREMENTS; i++) {
        while (true) {
          Entry read = store().get(NS, "counter").orElseThrow();
          BigDecimal next = read.value().asNumber().add(BigDecimal.ONE);
          try {
            store().compareAndSet(NS, "counter", read.version(), Value.number(next));
            break;
          } catch (VersionConflictException retry) {
            // another thread won this round; read again
          }
        }
      }
      return null;
    });

    Entry counter = store().get(NS, "counter").orElseThrow();
    assertThat(counter.value().asNumber()).isEqualByComparingTo(BigDecimal.valueOf((long) THREADS * INCREMENTS));
    assertThat(counter.version()).isEqualTo(THREADS * INCREMENTS + 1L);
  }

  @Test
  void ofCreatorsRacingForOneKeyExactlyOneWins() throws Exception {
    List<String> outcomes = race(thread -> () -> {
      try {
        store().create(NS, "k", Value.string("writer-" + thread));
        return "writer-" + thread;
      } catch (AlreadyExistsException lost) {
        return "lost";
      }
    });

    List<String> winners = outcomes.stream().filter(o -> !o.equals("lost")).collect(Collectors.toList());
    assertThat(winners).hasSize(1);
    assertThat(outcomes).filteredOn("lost"::equals).hasSize(THREADS - 1);
    Entry e = store().get(NS, "k").orElseThrow();
    assertThat(e.version()).isEqualTo(1);
    assertThat(e.value()).isEqualTo(Value.string(winners.get(0)));
  }

  @Test
  void concurrentWritersOfDistinctKeysAreAllListed() throws Exception {
    int perThread = 50;

    race(thread -> () -> {
      for (int i = 0; i < perThread; i++) {
        store().put(NS, String.format("t%d/k%02d", thread, i), Value.number(i));
      }
      return null;
    });

    Page page = store().list(NS, ListOptions.all().limit(ListOptions.MAX_LIMIT));
    List<String> expected = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < perThread; i++) {
        expected.add(String.format("t%d/k%02d", t, i));
      }
    }
    assertThat(keys(page)).isEqualTo(expected);
    assertThat(page.entries()).allSatisfy(e -> assertThat(e.version()).isEqualTo(1));
  }
}
