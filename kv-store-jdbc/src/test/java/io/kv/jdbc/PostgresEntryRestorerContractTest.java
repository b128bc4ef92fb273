package io.kv.jdbc;

import io.kv.KvStore;
import io.kv.testkit.EntryRestorerContract;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JdbcKvStore on PostgreSQL: the restore contract")
class PostgresEntryRestorerContractTest extends EntryRestorerContract {
  @Override
  protected KvStore newStore(MutableClock clock) {
    return JdbcKvStore.builder(TestDatabases.postgres())
        .clock(clock)
        .tablePrefix(TestDatabases.freshPrefix())
        .schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO)
        .build();
  }
}
