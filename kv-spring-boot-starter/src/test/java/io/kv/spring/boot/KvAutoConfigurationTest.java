package io.kv.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Value;
import io.kv.memory.MemoryKvStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KvAutoConfigurationTest {
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(KvAutoConfiguration.class));

  @Test
  void withoutDataSourceTheStoreIsInMemory() {
    runner.run(context -> {
      KvStore store = context.getBean(KvStore.class);
      assertThat(store.capabilities().persistent()).isFalse();
      store.put("app", "greeting", Value.string("hello"));
      assertThat(store.get("app", "greeting")).map(e -> e.value().asString()).contains("hello");
    });
  }

  @Test
  void withDataSourceTheStoreIsJdbcOnIt() {
    String prefix = TestPostgres.freshPrefix();
    runner.withBean(DataSource.class, TestPostgres::dataSource)
        .withPropertyValues("kv.jdbc.schema-mode=create", "kv.jdbc.table-prefix=" + prefix,
            "kv.change-feed.poll-interval=200ms")
        .run(context -> {
          KvStore store = context.getBean(KvStore.class);
          assertThat(store.capabilities().persistent()).isTrue();
          store.put("app", "greeting", Value.string("hello"));
          try (Connection c = TestPostgres.dataSource().getConnection();
              Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT count(*) FROM " + prefix + "entries WHERE namespace = 'app'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
          }
        });
  }

  @Test
  void storeMemoryWinsOverADataSource() {
    runner.withBean(DataSource.class, TestPostgres::dataSource)
        .withPropertyValues("kv.store=memory")
        .run(context -> assertThat(context.getBean(KvStore.class).capabilities().persistent()).isFalse());
  }

  @Test
  void jdbcWithoutDataSourceFailsAtStart() {
    runner.withPropertyValues("kv.store=jdbc").run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause().hasMessageContaining("kv.store=jdbc needs a DataSource bean"));
  }

  @Test
  void declaredNamespacesAreCreatedAtStart() {
    runner.withPropertyValues("kv.namespaces[0].name=sessions", "kv.namespaces[0].default-ttl=30m",
        "kv.namespaces[0].description=user sessions").run(context -> {
          NamespaceSettings settings = context.getBean(KvStore.class).namespaces().get("sessions").orElseThrow().settings();
          assertThat(settings.defaultTtl()).contains(Duration.ofMinutes(30));
          assertThat(settings.description()).isEqualTo("user sessions");
        });
  }

  @Test
  void masterKeyInTheEnvironmentTurnsEncryptionOn() {
    runner.withBean(KvEnvironment.class, () -> environment(Map.of("KV_MASTER_KEY", KEY)))
        .withPropertyValues("kv.namespaces[0].name=vault", "kv.namespaces[0].secret=true")
        .run(context -> {
          KvStore store = context.getBean(KvStore.class);
          store.put("vault", "token", Value.string("s3cr3t"));
          assertThat(store.get("vault", "token")).map(e -> e.value().asString()).contains("s3cr3t");
        });
  }

  @Test
  void masterKeyVariableIsConfigurable() {
    runner.withBean(KvEnvironment.class, () -> environment(Map.of("APP_KEY", KEY)))
        .withPropertyValues("kv.encryption.master-key-env=APP_KEY", "kv.namespaces[0].name=vault",
            "kv.namespaces[0].secret=true")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void withoutMasterKeyASecretNamespaceIsRefused() {
    runner.withBean(KvEnvironment.class, () -> environment(Map.of()))
        .withPropertyValues("kv.namespaces[0].name=vault", "kv.namespaces[0].secret=true")
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void encryptionRequiredWithoutTheVariableFailsNamingIt() {
    runner.withBean(KvEnvironment.class, () -> environment(Map.of()))
        .withPropertyValues("kv.encryption.enabled=true")
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("KV_MASTER_KEY").hasMessageContaining("kv.encryption.enabled"));
  }

  @Test
  void encryptionDisabledIgnoresTheVariable() {
    runner.withBean(KvEnvironment.class, () -> environment(Map.of("KV_MASTER_KEY", "not base64 of a key")))
        .withPropertyValues("kv.encryption.enabled=false")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void malformedKeyFailsWithoutQuotingIt() {
    runner.withBean(KvEnvironment.class, () -> environment(Map.of("KV_MASTER_KEY", "c2hvcnQ=")))
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("32 bytes").message().doesNotContain("c2hvcnQ"));
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnStore() {
    MemoryKvStore own = MemoryKvStore.create();
    runner.withBean(KvStore.class, () -> own).run(context -> {
      assertThat(context).hasSingleBean(KvStore.class);
      assertThat(context.getBean(KvStore.class)).isSameAs(own);
    });
  }

  @Test
  void theStoreIsClosedWithTheContext() {
    // The change feed holds one pooled connection while it runs; closing the store stops it.
    HikariDataSource pool = TestPostgres.pool();
    runner.withBean(DataSource.class, TestPostgres::dataSource)
        .withPropertyValues("kv.jdbc.schema-mode=create", "kv.jdbc.table-prefix=" + TestPostgres.freshPrefix())
        .run(context -> {
          context.getBean(KvStore.class);
          // The feed takes its connection on its own thread, so it may not hold it yet.
          assertThat(activeConnectionsWithin(pool, Duration.ofSeconds(10))).isEqualTo(1);
        });
    assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
  }

  /** The pool's active connections once there is one, or after {@code bound} has passed. */
  private static int activeConnectionsWithin(HikariDataSource pool, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    int active = pool.getHikariPoolMXBean().getActiveConnections();
    while (active == 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
      active = pool.getHikariPoolMXBean().getActiveConnections();
    }
    return active;
  }

  private static KvEnvironment environment(Map<String, String> variables) {
    return name -> Optional.ofNullable(variables.get(name));
  }
}
