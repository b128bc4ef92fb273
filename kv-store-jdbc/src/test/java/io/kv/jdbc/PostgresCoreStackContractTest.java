package io.kv.jdbc;

import io.kv.KvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import org.junit.jupiter.api.DisplayName;

@DisplayName("kv-core stack over JdbcKvStore on PostgreSQL: the contract suite")
class PostgresCoreStackContractTest extends KvStoreContract {
  private String prefix;

  @Override
  protected KvStore newStore(MutableClock clock) {
    prefix = TestDatabases.freshPrefix();
    return CoreStacks.over(TestDatabases.postgres(), prefix, clock);
  }

  @Override
  protected void compactChangeLog(KvStore store, MutableClock clock, String namespace) {
    ChangeLogCompaction.compact(TestDatabases.postgres(), prefix, store, clock, namespace);
  }
}
