package io.kv.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.KvStore;
import io.kv.Value;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.SchemaMode;
import io.kv.memory.MemoryKvStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A small application that reads its settings from a kv namespace and follows their changes. */
class KvConfigRefresherTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(KvAutoConfiguration.class))
      .withUserConfiguration(App.class)
      .withPropertyValues("kv.config.namespaces=app-config", "kv.config.prefixes.app-config=app");

  @Test
  void settingsAreBoundFromTheNamespaceAndFollowAPut() {
    MemoryKvStore store = MemoryKvStore.create();
    store.put("app-config", "greeting", Value.string("hello"));
    store.put("app-config", "database/pool-size", Value.number(8));
    store.put("app-config", "database/read-only", Value.bool(true));
    store.put("app-config", "hosts", Value.json("[\"a.example\", \"b.example\"]"));
    store.put("app-config", "limits", Value.json("{\"perMinute\": 60, \"burst\": {\"size\": 5}}"));
    runner.withBean(KvStore.class, () -> store).run(context -> {
      AppSettings settings = context.getBean(AppSettings.class);
      assertThat(settings.getGreeting()).isEqualTo("hello");
      assertThat(settings.getDatabase().getPoolSize()).isEqualTo(8);
      assertThat(settings.getDatabase().isReadOnly()).isTrue();
      assertThat(settings.getHosts()).containsExactly("a.example", "b.example");
      assertThat(context.getEnvironment().getProperty("app.limits.per-minute")).isEqualTo("60");
      assertThat(context.getEnvironment().getProperty("app.limits.burst.size")).isEqualTo("5");

      store.put("app-config", "greeting", Value.string("bonjour"));
      store.put("app-config", "database/pool-size", Value.number(16));

      assertThat(settings.getGreeting()).isEqualTo("bonjour");
      assertThat(settings.getDatabase().getPoolSize()).isEqualTo(16);
      assertThat(context.getEnvironment().getProperty("app.greeting")).isEqualTo("bonjour");
      assertThat(context.getBean(Changes.class).seen).containsExactly("app-config/greeting", "app-config/database/pool-size");
    });
  }

  @Test
  void aDeletedKeyLeavesTheEnvironment() {
    MemoryKvStore store = MemoryKvStore.create();
    store.put("app-config", "greeting", Value.string("hello"));
    runner.withBean(KvStore.class, () -> store).run(context -> {
      store.delete("app-config", "greeting");
      assertThat(context.getEnvironment().containsProperty("app.greeting")).isFalse();
      assertThat(context.getBean(Changes.class).seen).containsExactly("app-config/greeting");
    });
  }

  @Test
  void kvConfigComesBeforeTheApplicationsOwnProperties() {
    MemoryKvStore store = MemoryKvStore.create();
    store.put("app-config", "greeting", Value.string("from kv"));
    runner.withBean(KvStore.class, () -> store).withPropertyValues("app.greeting=from properties")
        .run(context -> assertThat(context.getBean(AppSettings.class).getGreeting()).isEqualTo("from kv"));
  }

  @Test
  void withoutConfigNamespacesNothingIsAdded() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KvAutoConfiguration.class))
        .run(context -> {
          assertThat(context).doesNotHaveBean(KvConfigRefresher.class);
          assertThat(context.getEnvironment().getPropertySources().contains(KvConfigPropertySource.NAME)).isFalse();
        });
  }

  @Test
  void onPostgresTheSettingsFollowAPutWithoutRestarting() {
    String prefix = TestPostgres.freshPrefix();
    // Written before the application starts, as an operator would.
    try (JdbcKvStore before = JdbcKvStore.builder(TestPostgres.pool()).schemaMode(SchemaMode.CREATE)
        .tablePrefix(prefix).build()) {
      before.put("app-config", "greeting", Value.string("hello"));
    }
    runner.withBean(DataSource.class, TestPostgres::dataSource)
        .withPropertyValues("kv.jdbc.table-prefix=" + prefix)
        .run(context -> {
          AppSettings settings = context.getBean(AppSettings.class);
          assertThat(settings.getGreeting()).isEqualTo("hello");

          context.getBean(KvStore.class).put("app-config", "greeting", Value.string("bonjour"));

          assertThat(settings.getGreeting()).isEqualTo("bonjour");
          assertThat(context.getBean(Changes.class).seen).containsExactly("app-config/greeting");
        });
  }

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(AppSettings.class)
  static class App {
    @Bean
    Changes changes() {
      return new Changes();
    }
  }

  static final class Changes implements ApplicationListener<KvConfigChangedEvent> {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onApplicationEvent(KvConfigChangedEvent event) {
      seen.add(event.namespace() + "/" + event.key());
    }
  }

  @ConfigurationProperties("app")
  public static class AppSettings {
    private String greeting;
    private List<String> hosts = new ArrayList<>();
    private final Database database = new Database();

    public String getGreeting() {
      return greeting;
    }

    public void setGreeting(String greeting) {
      this.greeting = greeting;
    }

    public List<String> getHosts() {
      return hosts;
    }

    public void setHosts(List<String> hosts) {
      this.hosts = hosts;
    }

    public Database getDatabase() {
      return database;
    }

    public static class Database {
      private int poolSize;
      private boolean readOnly;

      public int getPoolSize() {
        return poolSize;
      }

      public void setPoolSize(int poolSize) {
        this.poolSize = poolSize;
      }

      public boolean isReadOnly() {
        return readOnly;
      }

      public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
      }
    }
  }
}
