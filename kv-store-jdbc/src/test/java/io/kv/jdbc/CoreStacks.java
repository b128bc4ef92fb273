package io.kv.jdbc;

import io.kv.InputRules;
import io.kv.KvStore;
import io.kv.core.AuditSinks;
import io.kv.core.Grants;
import io.kv.core.KeyRing;
import io.kv.core.KvStores;
import io.kv.core.LimitPolicy;
import io.kv.core.MasterKeys;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.util.Base64;
import javax.sql.DataSource;

/** Every kv-core layer stacked on a JDBC store, for the contract suite. */
final class CoreStacks {
  private static final byte[] KEY = Base64.getDecoder().decode("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

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
    return stack(backend(dataSource, tablePrefix, clock), clock);
  }

  /** Every layer over {@code backend}, encrypting under the suite's one master key. */
  static KvStore stack(KvStore backend, MutableClock clock) {
    return stack(backend, clock, "k1", KEY);
  }

  /** The JDBC store beneath {@link #over}, with room for the encryption envelope. */
  static JdbcKvStore backend(DataSource dataSource, String tablePrefix, MutableClock clock) {
    return JdbcKvStore.builder(dataSource)
        .clock(clock)
        // room for the encryption envelope above the stack's own value limit
        .limits(InputRules.defaults().withMaxValueBytes(InputRules.DEFAULT_MAX_VALUE_BYTES + 1024))
        .tablePrefix(tablePrefix)
        .schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO)
        .build();
  }

  /** Every layer over {@code backend}, encrypting under one master key (32 bytes) named {@code keyId}. */
  static KvStore stack(KvStore backend, MutableClock clock, String keyId, byte[] masterKey) {
    return KvStores.builder(backend)
        .clock(clock)
        .limits(LimitPolicy.defaults().withMinTtl(Duration.ofMillis(1)))
        .audit(AuditSinks.inMemory())
        .permissions(Grants.allowAll())
        .encryption(KeyRing.of(keyId, MasterKeys.fromBase64(Base64.getEncoder().encodeToString(masterKey))))
        .eventExecutor(Runnable::run)
        .build();
  }
}
