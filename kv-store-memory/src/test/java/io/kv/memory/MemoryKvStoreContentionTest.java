package io.kv.memory;

import io.kv.KvStore;
import io.kv.testkit.ContentionCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Threads racing compareAndSet, rotate and rollback on a few keys of one memory store. */
class MemoryKvStoreContentionTest {
  @Test
  void everySuccessIsAccountedFor() {
    try (KvStore store = MemoryKvStore.builder().build()) {
      ContentionCheck.run("memory", List.of(store), 8, 120);
    }
  }
}
