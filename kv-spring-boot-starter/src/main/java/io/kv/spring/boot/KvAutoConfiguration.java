package io.kv.spring.boot;

import io.kv.AlreadyExistsException;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.core.KeyRing;
import io.kv.core.KvStores;
import io.kv.core.MasterKeys;
import io.kv.jdbc.ChangeFeed;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.NearCache;
import io.kv.memory.MemoryKvStore;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Builds a kv {@link KvStore} from the {@code kv.*} properties ({@link KvProperties}) and, when
 * {@code kv.config.namespaces} names namespaces, exposes them as configuration properties that
 * follow changes. Every bean backs off when the application defines one of its type; the store is
 * closed with the context.
 *
 * <p>The backend is the memory store, or the JDBC store (near-cache and change feed in front) on
 * the application's {@code DataSource} bean when {@code kv.store=jdbc}, or when {@code kv.store}
 * is not set and such a bean exists. Secret namespaces are encrypted under the application's
 * {@link KeyRing} bean, or a ring of one key read from the environment variable {@code
 * kv.encryption.master-key-env}.
 *
 * <p>Metrics are not wired here: {@link KvMetricsAutoConfiguration}, ordered after this one and
 * conditional on a {@code MeterRegistry}, adds the operation timers through a {@link
 * KvStoreDecorator} and binds the JDBC figures from the {@link KvBackend} bean, so this class
 * stays free of Micrometer types.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(KvProperties.class)
public class KvAutoConfiguration {

  /** Created by Spring. */
  public KvAutoConfiguration() {}

  /**
   * The process environment, where the master key is read.
   *
   * @return a lookup of the process environment
   */
  @Bean
  @ConditionalOnMissingBean
  public KvEnvironment kvEnvironment() {
    return KvEnvironment.system();
  }

  /**
   * The backend the store is built on, with the JDBC parts the metrics binder reads.
   *
   * @param properties the kv settings
   * @param dataSource the application's DataSource, if any
   * @return the backend; the store built on it closes it
   * @throws io.kv.KvException if the backend cannot start
   * @throws IllegalStateException if {@code kv.store=jdbc} and there is no DataSource
   */
  // No destroy method: the store bean owns the backend and closes it.
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean(KvStore.class)
  KvBackend kvBackend(KvProperties properties, ObjectProvider<DataSource> dataSource) {
    return backend(properties, dataSource);
  }

  /**
   * The kv store: the layer stack over the backend, with the declared namespaces created, then
   * wrapped by each {@link KvStoreDecorator} bean (the operation timers, when Micrometer is there).
   *
   * @param backend the backend
   * @param properties the kv settings
   * @param keyRing the application's key ring, if any
   * @param environment where the master key's variable is read
   * @param decorators what wraps the stack, in order
   * @return the store, closed with the context
   * @throws io.kv.KvException if a namespace cannot be declared
   * @throws IllegalStateException if encryption is required without a key
   * @throws IllegalArgumentException if a setting is malformed (such as the master key's text)
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  KvStore kvStore(KvBackend backend, KvProperties properties, ObjectProvider<KeyRing> keyRing,
      KvEnvironment environment, ObjectProvider<KvStoreDecorator> decorators) {
    try {
      KvStores.Builder stack = KvStores.builder(backend.store());
      Optional.ofNullable(keyRing.getIfAvailable())
          .or(() -> keyRingFromEnvironment(properties.getEncryption(), environment))
          .ifPresent(stack::encryption);
      KvStore store = stack.build();
      declare(store, properties.getNamespaces());
      for (KvStoreDecorator decorator : (Iterable<KvStoreDecorator>) decorators.orderedStream()::iterator) {
        store = decorator.decorate(store);
      }
      return store;
    } catch (RuntimeException e) {
      backend.store().close();
      throw e;
    }
  }

  /**
   * Exposes the namespaces of {@code kv.config.namespaces} as configuration properties.
   *
   * @param store the kv store
   * @param properties the kv settings
   * @param environment the application's environment, which gets the kv source first
   * @param context the application context, for rebinding and events
   * @return the object that keeps the source up to date; it stops with the context
   */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(ConfigNamespacesListed.class)
  KvConfigRefresher kvConfigRefresher(KvStore store, KvProperties properties,
      ConfigurableEnvironment environment, ApplicationContext context) {
    KvProperties.Config config = properties.getConfig();
    return new KvConfigRefresher(store, config.getNamespaces(), config.getPrefixes(), environment, context);
  }

  /**
   * Loads the kv configuration source before the application's first configuration properties
   * bean is created.
   *
   * @param refresher the source's keeper, created on first need
   * @return the post-processor
   */
  @Bean
  @Conditional(ConfigNamespacesListed.class)
  static KvConfigEarlyLoader kvConfigEarlyLoader(ObjectProvider<KvConfigRefresher> refresher) {
    return new KvConfigEarlyLoader(refresher);
  }

  private static KvBackend backend(KvProperties properties, ObjectProvider<DataSource> dataSources) {
    DataSource dataSource = dataSources.getIfAvailable();
    KvProperties.StoreType type = properties.getStore() != null ? properties.getStore()
        : dataSource != null ? KvProperties.StoreType.JDBC : KvProperties.StoreType.MEMORY;
    if (type == KvProperties.StoreType.MEMORY) {
      return KvBackend.memory(MemoryKvStore.create());
    }
    if (dataSource == null) {
      throw new IllegalStateException("kv.store=jdbc needs a DataSource bean, and the application has none");
    }
    KvProperties.Jdbc jdbc = properties.getJdbc();
    JdbcKvStore.Builder builder = JdbcKvStore.builder(dataSource).schemaMode(jdbc.getSchemaMode());
    Optional.ofNullable(jdbc.getTablePrefix()).ifPresent(builder::tablePrefix);
    Optional.ofNullable(jdbc.getSchema()).ifPresent(builder::schema);
    JdbcKvStore store = builder.build();
    KvProperties.NearCache cache = properties.getNearCache();
    if (!cache.isEnabled()) {
      return KvBackend.jdbc(store, null, null);
    }
    try {
      NearCache.Builder near = NearCache.builder()
          .maximumSize(cache.getMaximumSize())
          .expireAfterWrite(cache.getExpireAfterWrite())
          .clock(store.clock());
      KvProperties.ChangeFeed feedSettings = properties.getChangeFeed();
      ChangeFeed feed = null;
      if (feedSettings.isEnabled()) {
        ChangeFeed.Builder feedBuilder = ChangeFeed.builder(dataSource, store);
        Optional.ofNullable(feedSettings.getPollInterval()).ifPresent(feedBuilder::pollInterval);
        feed = feedBuilder.start();
        near.changeFeed(feed);
      }
      return KvBackend.jdbc(store, near.build(store), feed);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static Optional<KeyRing> keyRingFromEnvironment(KvProperties.Encryption settings, KvEnvironment environment) {
    if (Boolean.FALSE.equals(settings.getEnabled())) {
      return Optional.empty();
    }
    String variable = settings.getMasterKeyEnv();
    Optional<String> text = environment.variable(variable).filter(t -> !t.isBlank());
    if (text.isEmpty()) {
      if (Boolean.TRUE.equals(settings.getEnabled())) {
        throw new IllegalStateException("kv.encryption.enabled is true but environment variable " + variable
            + " (kv.encryption.master-key-env) is not set: it must hold the master key as base64 of 32 bytes");
      }
      return Optional.empty();
    }
    return Optional.of(KeyRing.of(settings.getKeyId(), MasterKeys.fromBase64(text.get())));
  }

  private static void declare(KvStore store, List<KvProperties.NamespaceDeclaration> declarations) {
    for (KvProperties.NamespaceDeclaration d : declarations) {
      if (d.getName() == null || d.getName().isBlank()) {
        throw new IllegalStateException("kv.namespaces: every declared namespace needs a name");
      }
      if (store.namespaces().get(d.getName()).isPresent()) {
        continue;
      }
      NamespaceSettings settings = NamespaceSettings.defaults()
          .withSecret(d.isSecret())
          .withDescription(d.getDescription() == null ? "" : d.getDescription());
      if (d.getDefaultTtl() != null) {
        settings = settings.withDefaultTtl(d.getDefaultTtl());
      }
      try {
        store.namespaces().create(d.getName(), settings);
      } catch (AlreadyExistsException raced) {
        // Another instance declared it meanwhile: as good as declaring it here.
      }
    }
  }

  /** Matches when {@code kv.config.namespaces} lists at least one namespace. */
  static final class ConfigNamespacesListed implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return Binder.get(context.getEnvironment())
          .bind("kv.config.namespaces", Bindable.listOf(String.class))
          .map(list -> !list.isEmpty())
          .orElse(false);
    }
  }
}
