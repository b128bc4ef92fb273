package io.kv.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.KvStore;
import io.kv.testkit.FailedWriteContract;
import io.kv.testkit.MutableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** A failed operation through the kv-core stack over each database leaves the store as it was. */
class CoreStackFailedWriteTest {

  /** The stack as {@link CoreStacks#stack} builds it, over a JDBC store on a fresh table prefix. */
  private abstract static class OnDatabase extends FailedWriteContract {
    @Override
    protected KvStore newStack(KvStore backend, MutableClock clock, String keyId, byte[] masterKey) {
      return CoreStacks.stack(backend, clock, keyId, masterKey);
    }
  }

  @Nested
  @DisplayName("on PostgreSQL")
  class Postgres extends OnDatabase {
    @Override
    protected KvStore newBackend(MutableClock clock) {
      return CoreStacks.backend(TestDatabases.postgres(), TestDatabases.freshPrefix(), clock);
    }
  }

  @Nested
  @DisplayName("on H2 (file)")
  class H2 extends OnDatabase {
    @TempDir Path dir;
    private HikariDataSource pool;

    @Override
    protected KvStore newBackend(MutableClock clock) {
      pool = TestDatabases.h2(dir);
      return CoreStacks.backend(pool, "kv_", clock);
    }

    @AfterEach
    void closePool() {
      pool.close();
    }
  }

  @Nested
  @DisplayName("on SQLite (file)")
  class Sqlite extends OnDatabase {
    @TempDir Path dir;
    private HikariDataSource pool;

    @Override
    protected KvStore newBackend(MutableClock clock) {
      pool = TestDatabases.sqlite(dir.resolve("kv.db"));
      return CoreStacks.backend(pool, "kv_", clock);
    }

    @AfterEach
    void closePool() {
      pool.close();
    }
  }
}
