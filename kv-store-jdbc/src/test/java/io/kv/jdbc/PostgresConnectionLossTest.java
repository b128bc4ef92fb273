package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kv.NamespaceSettings;
import io.kv.StorageException;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.testkit.MutableClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A connection that the server drops in the middle of a transaction. */
@DisplayName("JdbcKvStore on PostgreSQL: a connection dropped mid-transaction")
class PostgresConnectionLossTest {
  private JdbcKvStore store;

  @BeforeEach
  void open() {
    store = JdbcKvStore.builder(TestDatabases.postgres()).clock(MutableClock.fixed())
        .tablePrefix(TestDatabases.freshPrefix()).schemaMode(SchemaMode.CREATE).sweepInterval(Duration.ZERO).build();
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Terminates every other session of the database that sits inside a transaction. */
  private static void killSessionsInTransaction() {
    try (Connection c = TestDatabases.postgres().getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
          + " AND datname = current_database() AND state = 'idle in transaction'");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aDroppedConnectionLeavesNothingHalfWrittenAndTheNextCallWorks() {
    store.namespaces().create("h", NamespaceSettings.defaults().withMaxVersions(3));
    store.put("h", "k", Value.string("one"));
    store.put("h", "k", Value.string("two"));

    // The rewrite runs inside the store's transaction, after its reads and before its updates:
    // the server drops the connection right there.
    StorageException e = catchThrowableOfType(StorageException.class, () -> store.rewriteValues("h", "k", v -> {
      killSessionsInTransaction();
      return Value.string("rewritten-" + v.asString());
    }));

    assertThat(e).isNotNull();
    assertThat(e.getCause()).isInstanceOf(SQLException.class);
    assertThat(e.getMessage()).contains("h/k").doesNotContain("one").doesNotContain("two");
    assertThat(store.get("h", "k").orElseThrow().value()).isEqualTo(Value.string("two"));
    assertThat(store.history("h", "k")).extracting(VersionRecord::value).containsExactly(Value.string("two"), Value.string("one"));
    assertThat(store.put("h", "k", Value.string("three")).version()).isEqualTo(3);
  }
}
