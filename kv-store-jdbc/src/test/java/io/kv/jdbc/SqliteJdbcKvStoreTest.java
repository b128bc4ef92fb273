package io.kv.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("JdbcKvStore on SQLite (file, WAL): change log, sweeper, schema, failures")
class SqliteJdbcKvStoreTest extends JdbcKvStoreTest {
  @TempDir
  Path dir;

  private HikariDataSource pool;

  @Override
  protected DataSource dataSource() {
    if (pool == null) {
      pool = TestDatabases.sqlite(dir.resolve("kv.db"));
    }
    return pool;
  }

  @AfterEach
  void closePool() {
    store.close();
    pool.close();
  }
}
