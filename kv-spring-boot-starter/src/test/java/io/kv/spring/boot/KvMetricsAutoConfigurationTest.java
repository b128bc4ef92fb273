package io.kv.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.KvStore;
import io.kv.Value;
import io.kv.micrometer.KvJdbcMetrics;
import io.kv.micrometer.KvMetrics;
import io.kv.memory.MemoryKvStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KvMetricsAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(KvAutoConfiguration.class, KvMetricsAutoConfiguration.class));

  private final ApplicationContextRunner withRegistry = runner.withBean(SimpleMeterRegistry.class);

  @Test
  void operationsOfTheMemoryStoreAreTimed() {
    withRegistry.run(context -> {
      KvStore store = context.getBean(KvStore.class);
      store.put("app", "greeting", Value.string("hello"));
      store.get("app", "greeting");
      store.get("app", "missing");
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get(KvMetrics.OPERATIONS).tags("operation", "put", "namespace", "app", "outcome", "success")
          .timer().count()).isEqualTo(1);
      assertThat(registry.get(KvMetrics.OPERATIONS).tags("operation", "get", "outcome", "success").timer().count())
          .isEqualTo(1);
      assertThat(registry.get(KvMetrics.OPERATIONS).tags("operation", "get", "outcome", "not_found").timer().count())
          .isEqualTo(1);
      assertThat(registry.find(KvJdbcMetrics.NEAR_CACHE_GETS).meters()).isEmpty();
    });
  }

  @Test
  void maxNamespacesLimitsTheNamespaceTags() {
    withRegistry.withPropertyValues("kv.metrics.max-namespaces=1").run(context -> {
      KvStore store = context.getBean(KvStore.class);
      store.put("first", "k", Value.string("v"));
      store.put("second", "k", Value.string("v"));
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get(KvMetrics.OPERATIONS).tags("operation", "put", "namespace", "first").timer().count())
          .isEqualTo(1);
      assertThat(registry.get(KvMetrics.OPERATIONS).tags("operation", "put", "namespace", "other").timer().count())
          .isEqualTo(1);
      assertThat(registry.find(KvMetrics.OPERATIONS).tag("namespace", "second").meters()).isEmpty();
    });
  }

  @Test
  void theJdbcBackendsFiguresAreBound() {
    withRegistry.withBean(DataSource.class, TestPostgres::dataSource)
        .withPropertyValues("kv.jdbc.schema-mode=create", "kv.jdbc.table-prefix=" + TestPostgres.freshPrefix(),
            "kv.change-feed.poll-interval=200ms")
        .run(context -> {
          MeterRegistry registry = bindMeterBinders(context);
          KvStore store = context.getBean(KvStore.class);
          store.put("app", "greeting", Value.string("hello"));
          store.get("app", "greeting");
          store.get("app", "greeting");
          double lookups = registry.get(KvJdbcMetrics.NEAR_CACHE_GETS).tag("result", "hit").functionCounter().count()
              + registry.get(KvJdbcMetrics.NEAR_CACHE_GETS).tag("result", "miss").functionCounter().count();
          assertThat(lookups).isGreaterThanOrEqualTo(2);
          assertThat(registry.get(KvJdbcMetrics.NEAR_CACHE_GETS).tag("result", "hit").functionCounter().count())
              .isGreaterThanOrEqualTo(1);
          assertThat(registry.find(KvJdbcMetrics.FEED_LAG).functionTimer()).isNotNull();
          assertThat(registry.find(KvJdbcMetrics.SWEEPER_DELETIONS).functionCounter()).isNotNull();
          assertThat(registry.get(KvMetrics.OPERATIONS).tags("operation", "put", "namespace", "app").timer().count())
              .isEqualTo(1);
        });
  }

  @Test
  void metricsEnabledFalseLeavesTheStoreUntimed() {
    withRegistry.withPropertyValues("kv.metrics.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(MeterBinder.class).doesNotHaveBean(KvStoreDecorator.class);
      context.getBean(KvStore.class).put("app", "k", Value.string("v"));
      assertThat(context.getBean(MeterRegistry.class).find(KvMetrics.OPERATIONS).meters()).isEmpty();
    });
  }

  @Test
  void withoutAMeterRegistryNothingIsRegistered() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(MeterBinder.class).doesNotHaveBean(KvStoreDecorator.class);
      KvStore store = context.getBean(KvStore.class);
      store.put("app", "k", Value.string("v"));
      assertThat(store.get("app", "k")).isPresent();
    });
  }

  @Test
  void withoutMicrometerOnTheClassPathTheStoreStillStarts() {
    runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(KvMetricsAutoConfiguration.class);
      context.getBean(KvStore.class).put("app", "k", Value.string("v"));
    });
  }

  @Test
  void withoutKvMicrometerOnTheClassPathNothingIsTimed() {
    withRegistry.withClassLoader(new FilteredClassLoader(KvMetrics.class)).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(KvMetricsAutoConfiguration.class);
      context.getBean(KvStore.class).put("app", "k", Value.string("v"));
      assertThat(context.getBean(MeterRegistry.class).find(KvMetrics.OPERATIONS).meters()).isEmpty();
    });
  }

  @Test
  void theApplicationsOwnStoreIsNotTimed() {
    withRegistry.withBean(KvStore.class, MemoryKvStore::create).run(context -> {
      assertThat(context).doesNotHaveBean(KvBackend.class).doesNotHaveBean(MeterBinder.class);
      context.getBean(KvStore.class).put("app", "k", Value.string("v"));
      assertThat(context.getBean(MeterRegistry.class).find(KvMetrics.OPERATIONS).meters()).isEmpty();
    });
  }

  /** Binds the context's MeterBinder beans, as Spring Boot's metrics auto-configuration does. */
  private static MeterRegistry bindMeterBinders(AssertableApplicationContext context) {
    MeterRegistry registry = context.getBean(MeterRegistry.class);
    context.getBeansOfType(MeterBinder.class).values().forEach(binder -> binder.bindTo(registry));
    return registry;
  }
}
