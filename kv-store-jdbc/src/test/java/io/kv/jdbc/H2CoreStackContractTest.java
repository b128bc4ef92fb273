package io.kv.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.KvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("kv-core stack over JdbcKvStore on H2 (file): the contract suite")
class H2CoreStackContractTest extends KvStoreContract {
  @TempDir
  static Path dir;

  private HikariDataSource pool;

  @Override
  protected KvStore newStore(MutableClock clock) {
    try {
      pool = TestDatabases.h2(Files.createTempDirectory(dir, "h2"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return CoreStacks.over(pool, "kv_", clock);
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
