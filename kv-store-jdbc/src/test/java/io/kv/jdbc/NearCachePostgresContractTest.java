package io.kv.jdbc;

import io.kv.KvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

@DisplayName("NearCache over JdbcKvStore on PostgreSQL, with a LISTENing change feed: the contract suite")
class NearCachePostgresContractTest extends KvStoreContract {
  private String prefix;

  @Override
  protected KvStore newStore(MutableClock clock) {
    prefix = TestDatabases.freshPrefix();
    JdbcKvStore jdbc = JdbcKvStore.builder(TestDatabases.postgres())
        .clock(clock)
        .tablePrefix(prefix)
        .schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO)
        .build();
    ChangeFeed feed = ChangeFeed.builder(TestDatabases.postgres(), jdbc.instanceId()).tablePrefix(prefix).start();
    return NearCache.builder().clock(clock).changeFeed(feed).build(jdbc);
  }

  @Override
  protected void compactChangeLog(KvStore store, MutableClock clock, String namespace) {
    ChangeLogCompaction.compact(TestDatabases.postgres(), prefix, store, clock, namespace);
  }
}
