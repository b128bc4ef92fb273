package io.kv.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.KvStore;
import io.kv.testkit.MutableClock;
import io.kv.testkit.TamperedCiphertextSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/** Tampered ciphertext in an H2 file never reads back through the kv-core stack. */
class CoreStackTamperedCiphertextTest extends TamperedCiphertextSuite {
  @TempDir Path dir;
  private HikariDataSource pool;

  @Override
  protected KvStore newBackend(MutableClock clock) {
    if (pool == null) {
      pool = TestDatabases.h2(dir);
    }
    return CoreStacks.backend(pool, TestDatabases.freshPrefix(), clock);
  }

  @Override
  protected KvStore newStack(KvStore backend, MutableClock clock) {
    return CoreStacks.stack(backend, clock);
  }

  @Override
  protected String subject() {
    return "h2 + stack";
  }

  @AfterAll
  void closePool() {
    pool.close();
  }
}
