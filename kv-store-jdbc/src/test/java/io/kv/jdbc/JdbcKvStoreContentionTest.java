package io.kv.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.KvStore;
import io.kv.testkit.ContentionCheck;
import io.kv.testkit.MutableClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Threads racing compareAndSet, rotate and rollback on a few keys of each database; on PostgreSQL
 * also through several store instances on one set of tables, as several processes would.
 */
class JdbcKvStoreContentionTest {
  @TempDir
  Path dir;

  private HikariDataSource pool;
  private final List<KvStore> stores = new ArrayList<>();

  @ParameterizedTest(name = "{0}, {1} instance(s)")
  @CsvSource({"h2, 1", "sqlite, 1", "postgres, 1", "postgres, 3"})
  void everySuccessIsAccountedFor(String database, int instances) {
    DataSource ds = switch (database) {
      case "h2" -> pool = TestDatabases.h2(dir);
      case "sqlite" -> pool = TestDatabases.sqlite(dir.resolve("kv.db"));
      default -> TestDatabases.postgres();
    };
    String prefix = TestDatabases.freshPrefix();
    MutableClock clock = MutableClock.fixed();
    for (int i = 0; i < instances; i++) {
      stores.add(CoreStacks.bare(ds, prefix, clock));
    }
    ContentionCheck.run(database + (instances > 1 ? " x" + instances + " instances" : ""), stores, 6, 60);
  }

  @AfterEach
  void close() {
    stores.forEach(KvStore::close);
    if (pool != null) {
      pool.close();
    }
  }
}
