package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryAuditSinkTest {
  private final InMemoryAuditSink sink = new MemoryAuditSink();

  private static AuditRecord record(String key) {
    return new AuditRecord(Instant.parse("2030-01-01T00:00:00Z"), Principal.ANONYMOUS, AuditAction.READ,
        Optional.of("app"), Optional.of(key), true, Optional.empty());
  }

  @Test
  void recordsIsAnImmutableSnapshotInRecordingOrder() {
    sink.record(record("a"));
    List<AuditRecord> snapshot = sink.records();
    sink.record(record("b"));

    assertThat(snapshot).containsExactly(record("a"));
    assertThat(sink.records()).containsExactly(record("a"), record("b"));
    assertThatThrownBy(() -> snapshot.add(record("c"))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void clearForgetsEverything() {
    sink.record(record("a"));

    sink.clear();

    assertThat(sink.records()).isEmpty();
    assertThat(sink).hasToString("InMemoryAuditSink[0 records]");
  }

  @Test
  void concurrentRecordsAreAllKept() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String thread = "t" + t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 1000; i++) {
            sink.record(record(thread + "/" + i));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(sink.records()).hasSize(4000).doesNotHaveDuplicates();
  }

  @Test
  void aNullRecordIsRefused() {
    assertThatThrownBy(() -> sink.record(null)).isInstanceOf(NullPointerException.class);
  }
}
