package io.kv.core.internal;

import io.kv.KvStore;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The contract holds with events delivered on an executor thread. */
class EventLayerContractTest extends KvStoreContract {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @Override
  protected KvStore newStore(MutableClock clock) {
    return new EventLayer(MemoryKvStore.builder().clock(clock).build(), executor);
  }

  /** Only once the store is closed: closing it may still hand events to the executor. */
  @Override
  protected void afterClose(KvStore closed) {
    executor.shutdownNow();
  }
}
