package io.kv.core.internal;

import io.kv.KvStore;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/** The contract holds with events delivered on an executor thread. */
class EventLayerContractTest extends KvStoreContract {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @Override
  protected KvStore newStore(MutableClock clock) {
    return new EventLayer(MemoryKvStore.builder().clock(clock).build(), executor);
  }

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }
}
