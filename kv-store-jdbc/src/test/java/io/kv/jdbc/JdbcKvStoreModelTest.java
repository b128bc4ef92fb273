package io.kv.jdbc;

import io.kv.KvStore;
import io.kv.testkit.ModelCheck;
import io.kv.testkit.MutableClock;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JdbcKvStore on each database, alone and under the builder's stack, against the reference
 * model: 1,000 sequences per database and configuration by default, so 2,000 per database in
 * all; a database is slower than memory, so they are shorter than the memory store's. {@code
 * -Dkv.model.sequences} asks for more.
 */
class JdbcKvStoreModelTest {
  @TempDir
  Path dir;

  private NamedDatabases databases;

  @ParameterizedTest(name = "{0}, stack: {1}")
  @CsvSource({"h2, false", "h2, true", "sqlite, false", "sqlite, true", "postgres, false", "postgres, true"})
  void everySequenceMatchesTheModel(String database, boolean stack) {
    databases = new NamedDatabases(dir);
    DataSource ds = databases.get(database);
    String prefix = TestDatabases.freshPrefix();
    ModelCheck.of(database + (stack ? " + stack" : ""), clock -> open(ds, prefix, clock, stack))
        .sequences(1000)
        .maxLength(24)
        .run();
  }

  private static KvStore open(DataSource ds, String prefix, MutableClock clock, boolean stack) {
    if (stack) {
      return CoreStacks.over(ds, prefix, clock);
    }
    return CoreStacks.bare(ds, prefix, clock);
  }

  @AfterEach
  void closeDatabases() {
    if (databases != null) {
      databases.close();
    }
  }
}
