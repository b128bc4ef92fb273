package io.kv.jdbc;

import io.kv.KvStore;
import io.kv.Limits;
import io.kv.core.AuditSinks;
import io.kv.core.Grants;
import io.kv.core.KeyRing;
import io.kv.core.KvStores;
import io.kv.core.MasterKeys;
import io.kv.core.StoreLimits;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import javax.sql.DataSource;

/** Every kv-core layer stacked on a JDBC store, for the contract suite. */
final class CoreStacks {
  private CoreStacks() {}

  /** A bare JDBC store on {@code dataSource}: its own tables, the test's clock, no sweeper. */
  static JdbcKvStore bare(DataSource dataSource, String tablePrefix, MutableClock clock) {
    return JdbcKvStore.builder(dataSource)
        .clock(clock)
        .tablePrefix(tablePrefix)
        .schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO)
        .build();
  }

  static KvStore over(DataSource dataSource, String tablePrefix, MutableClock clock) {
    JdbcKvStore backend = JdbcKvStore.builder(dataSource)
        .clock(clock)
        // room for the encryption envelope above the stack's own value limit
        .limits(Limits.defaults().withMaxValueBytes(Limits.DEFAULT_MAX_VALUE_BYTES + 1024))
        .tablePrefix(tablePrefix)
        .schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO)
        .build();
    return KvStores.builder(backend)
        .clock(clock)
        .limits(StoreLimits.defaults().withMinTtl(Duration.ofMillis(1)))
        .audit(AuditSinks.inMemory())
        .permissions(Grants.allowAll())
        .encryption(KeyRing.of("k1", MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")))
        .eventExecutor(Runnable::run)
        .build();
  }
}
