package io.kv.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("JdbcKvStore on H2 (file): change log, sweeper, schema, failures")
class H2JdbcKvStoreTest extends JdbcKvStoreTest {
  @TempDir
  Path dir;

  private HikariDataSource pool;

  @Override
  protected DataSource dataSource() {
    if (pool == null) {
      pool = TestDatabases.h2(dir);
    }
    return pool;
  }

  @AfterEach
  void closePool() {
    store.close();
    pool.close();
  }
}
