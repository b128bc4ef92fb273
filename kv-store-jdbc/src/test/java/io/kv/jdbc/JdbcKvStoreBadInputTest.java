package io.kv.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.KvStore;
import io.kv.testkit.BadInputContract;
import io.kv.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The bad-input corpus on each database, the store alone and under the kv-core stack. */
class JdbcKvStoreBadInputTest {

  /** A store on one database, alone or under the stack; closes the pool it opened. */
  abstract static class OnDatabase extends BadInputContract {
    @TempDir
    Path dir;

    private HikariDataSource pool;

    /** The database, a new one in {@link #dir} or the shared PostgreSQL. */
    abstract DataSource database();

    abstract boolean stacked();

    /** Keeps a pool this class opened, to close it after the run. */
    final DataSource opened(HikariDataSource pool) {
      this.pool = pool;
      return pool;
    }

    @Override
    protected KvStore newStore(MutableClock clock) {
      DataSource db = database();
      String prefix = TestDatabases.freshPrefix();
      if (stacked()) {
        return CoreStacks.over(db, prefix, clock);
      }
      return JdbcKvStore.builder(db).clock(clock).tablePrefix(prefix).schemaMode(SchemaMode.CREATE)
          .sweepInterval(Duration.ZERO).build();
    }

    @AfterEach
    void closePool() {
      if (pool != null) {
        pool.close();
      }
    }
  }

  @Nested
  @DisplayName("H2")
  class H2 extends OnDatabase {
    @Override
    DataSource database() {
      return opened(TestDatabases.h2(dir));
    }

    @Override
    boolean stacked() {
      return false;
    }

    @Override
    protected String subject() {
      return "h2";
    }
  }

  @Nested
  @DisplayName("H2 under the stack")
  class H2Stack extends H2 {
    @Override
    boolean stacked() {
      return true;
    }

    @Override
    protected String subject() {
      return "h2 + stack";
    }
  }

  @Nested
  @DisplayName("SQLite")
  class Sqlite extends OnDatabase {
    @Override
    DataSource database() {
      return opened(TestDatabases.sqlite(dir.resolve("kv.db")));
    }

    @Override
    boolean stacked() {
      return false;
    }

    @Override
    protected String subject() {
      return "sqlite";
    }
  }

  @Nested
  @DisplayName("SQLite under the stack")
  class SqliteStack extends Sqlite {
    @Override
    boolean stacked() {
      return true;
    }

    @Override
    protected String subject() {
      return "sqlite + stack";
    }
  }

  @Nested
  @DisplayName("PostgreSQL")
  class Postgres extends OnDatabase {
    @Override
    DataSource database() {
      return TestDatabases.postgres();
    }

    @Override
    boolean stacked() {
      return false;
    }

    @Override
    protected String subject() {
      return "postgresql";
    }
  }

  @Nested
  @DisplayName("PostgreSQL under the stack")
  class PostgresStack extends Postgres {
    @Override
    boolean stacked() {
      return true;
    }

    @Override
    protected String subject() {
      return "postgresql + stack";
    }
  }
}
