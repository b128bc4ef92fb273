package io.kv.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Transaction;
import io.kv.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The read isolation the memory store documents for transactions: a getAll or a list, which read
 * without the namespace lock, never return part of a transaction.
 */
class TransactionsTest {
  private static final int ACCOUNTS = 16;
  private static final long BALANCE = 1_000;
  private static final int TRANSACTIONS = 3_000;

  @Test
  void getAllAndListNeverSeePartOfATransaction() throws Exception {
    try (KvStore store = MemoryKvStore.builder().build()) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        keys.add("acct-" + i);
        store.put("bank", "acct-" + i, Value.number(BALANCE));
      }
      AtomicBoolean writing = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        CyclicBarrier start = new CyclicBarrier(3);
        Future<?> writer = pool.submit(() -> {
          start.await();
          try {
            for (int n = 0; n < TRANSACTIONS; n++) {
              // Every transaction moves one unit around all accounts: each key's value changes,
              // the sum never does, and a reader that sees some keys moved and others not sees
              // a sum off by one.
              Transaction.Builder t = store.transaction("bank");
              Map<String, Entry> now = store.getAll("bank", keys);
              for (int i = 0; i < ACCOUNTS; i++) {
                long delta = i == n % ACCOUNTS ? -(ACCOUNTS - 1) : 1;
                t.put(keys.get(i), Value.number(amount(now.get(keys.get(i))) + delta));
              }
              t.commit();
            }
          } finally {
            writing.set(false);
          }
          return null;
        });
        Future<Long> byGetAll = pool.submit(() -> {
          start.await();
          long reads = 0;
          while (writing.get()) {
            assertThat(sum(store.getAll("bank", keys).values())).isEqualTo(ACCOUNTS * BALANCE);
            reads++;
          }
          return reads;
        });
        Future<Long> byList = pool.submit(() -> {
          start.await();
          long reads = 0;
          while (writing.get()) {
            assertThat(sum(store.list("bank", ListOptions.prefix("acct-")).entries())).isEqualTo(ACCOUNTS * BALANCE);
            reads++;
          }
          return reads;
        });
        writer.get(60, TimeUnit.SECONDS);
        assertThat(byGetAll.get(60, TimeUnit.SECONDS)).isPositive();
        assertThat(byList.get(60, TimeUnit.SECONDS)).isPositive();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static long amount(Entry e) {
    return e.value().asNumber().longValueExact();
  }

  private static long sum(java.util.Collection<Entry> entries) {
    return entries.stream().mapToLong(TransactionsTest::amount).sum();
  }
}
