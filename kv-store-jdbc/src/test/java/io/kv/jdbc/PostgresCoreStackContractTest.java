package io.kv.jdbc;

import io.kv.KvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import org.junit.jupiter.api.DisplayName;

@DisplayName("kv-core stack over JdbcKvStore on PostgreSQL: the contract suite")
class PostgresCoreStackContractTest extends KvStoreContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    return CoreStacks.over(TestDatabases.postgres(), TestDatabases.freshPrefix(), clock);
  }
}
