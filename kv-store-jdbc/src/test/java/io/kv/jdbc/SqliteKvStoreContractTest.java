package io.kv.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.KvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("JdbcKvStore on SQLite (file, WAL): the contract suite")
class SqliteKvStoreContractTest extends KvStoreContract {
  @TempDir
  static Path dir;

  private HikariDataSource pool;

  @Override
  protected KvStore newStore(MutableClock clock) {
    try {
      pool = TestDatabases.sqlite(Files.createTempDirectory(dir, "sqlite").resolve("kv.db"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return JdbcKvStore.builder(pool)
        .clock(clock)
        .schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO)
        .build();
  }

  /** The pool outlives the store: closing the store may still use it. */
  @Override
  protected void afterClose(KvStore closed) {
    pool.close();
  }

  @Override
  protected void compactChangeLog(KvStore store, MutableClock clock, String namespace) {
    ChangeLogCompaction.compact(pool, "kv_", store, clock, namespace);
  }
}
