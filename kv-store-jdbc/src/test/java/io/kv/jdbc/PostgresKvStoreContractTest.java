package io.kv.jdbc;

import io.kv.KvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JdbcKvStore on PostgreSQL: the contract suite")
class PostgresKvStoreContractTest extends KvStoreContract {
  private String prefix;

  @Override
  protected KvStore newStore(MutableClock clock) {
    prefix = TestDatabases.freshPrefix();
    return JdbcKvStore.builder(TestDatabases.postgres())
        .clock(clock)
        .tablePrefix(prefix)
        .schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO)
        .build();
  }

  @Override
  protected void compactChangeLog(KvStore store, MutableClock clock, String namespace) {
    ChangeLogCompaction.compact(TestDatabases.postgres(), prefix, store, clock, namespace);
  }
}
