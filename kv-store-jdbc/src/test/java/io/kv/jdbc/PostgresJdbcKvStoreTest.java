package io.kv.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JdbcKvStore on PostgreSQL: change log, sweeper, schema, failures")
class PostgresJdbcKvStoreTest extends JdbcKvStoreTest {
  @Override
  protected DataSource dataSource() {
    return TestDatabases.postgres();
  }
}
