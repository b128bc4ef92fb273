package io.kv.memory;

import io.kv.KvStore;
import io.kv.testkit.BadInputContract;
import io.kv.testkit.MutableClock;
import java.time.Duration;

class MemoryKvStoreBadInputTest extends BadInputContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    return MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();
  }

  @Override
  protected String subject() {
    return "memory";
  }
}
