package io.kv.memory;

import io.kv.testkit.ModelCheck;
import org.junit.jupiter.api.Test;

/** The memory store against the reference model, over random sequences of operations. */
class MemoryKvStoreModelTest {
  @Test
  void everySequenceMatchesTheModel() {
    ModelCheck.of("memory", clock -> MemoryKvStore.builder().clock(clock).build())
        .sequences(3000)
        .maxLength(40)
        .run();
  }
}
