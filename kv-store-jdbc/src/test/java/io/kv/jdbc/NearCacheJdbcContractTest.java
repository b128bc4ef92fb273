package io.kv.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.KvStore;
import io.kv.testkit.KvStoreContract;
import io.kv.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

/** The near-cache, with its change feed, over the JDBC store on H2 keeps the whole contract. */
@DisplayName("NearCache over JdbcKvStore on H2 (file), with a change feed: the contract suite")
class NearCacheJdbcContractTest extends KvStoreContract {
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
    JdbcKvStore jdbc = JdbcKvStore.builder(pool)
        .clock(clock)
        .schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO)
        .build();
    ChangeFeed feed = ChangeFeed.builder(pool, jdbc.instanceId()).pollInterval(Duration.ofMillis(50)).start();
    return NearCache.builder().clock(clock).changeFeed(feed).build(jdbc);
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
