package io.kv.spring.boot;

import io.kv.micrometer.KvJdbcMetrics;
import io.kv.micrometer.KvMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics for the store {@link KvAutoConfiguration} builds: its operations are timed
 * ({@link KvMetrics#timed}) into the application's {@code MeterRegistry}, and on the JDBC backend
 * the near-cache, change feed and sweeper figures are offered as a {@code MeterBinder} bean
 * ({@link KvJdbcMetrics}) for Spring Boot's metrics support to bind.
 *
 * <p>Active when Micrometer and kv-micrometer are on the class path, a {@code MeterRegistry} bean
 * exists and {@code kv.metrics.enabled} is not false. A {@code KvStore} bean the application
 * defines itself is not timed: its bean method opts in by returning {@code KvMetrics.timed(store,
 * registry)}.
 */
@AutoConfiguration(after = KvAutoConfiguration.class,
    afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "io.kv.micrometer.KvMetrics"})
@ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBooleanProperty(name = "kv.metrics.enabled", matchIfMissing = true)
public class KvMetricsAutoConfiguration {

  /** Created by Spring. */
  public KvMetricsAutoConfiguration() {}

  /**
   * Times the operations of the store {@link KvAutoConfiguration} builds.
   *
   * @param registry where the timers go
   * @param properties the kv settings, for {@code kv.metrics.max-namespaces}
   * @return the wrapping the store's auto-configuration applies
   */
  @Bean
  @ConditionalOnBean(KvBackend.class)
  KvStoreDecorator kvStoreTimers(MeterRegistry registry, KvProperties properties) {
    int maxNamespaces = properties.getMetrics().getMaxNamespaces();
    return store -> KvMetrics.timed(store, registry, maxNamespaces, Tags.empty());
  }

  /**
   * The near-cache, change feed and sweeper figures of the JDBC backend; binds nothing on the
   * memory backend, and only the parts that are on (no near-cache, no feed) on the JDBC one.
   *
   * @param backend the backend the store was built on
   * @return the binder, which Spring Boot's metrics support binds to its registries
   */
  @Bean
  @ConditionalOnBean(KvBackend.class)
  MeterBinder kvJdbcMetrics(KvBackend backend) {
    KvJdbcMetrics.Builder metrics = KvJdbcMetrics.builder();
    backend.jdbc().ifPresent(metrics::sweeper);
    backend.nearCached().ifPresent(metrics::nearCache);
    backend.changeFeed().ifPresent(metrics::changeFeed);
    return metrics.build();
  }
}
