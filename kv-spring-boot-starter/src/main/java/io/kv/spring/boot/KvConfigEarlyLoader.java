package io.kv.spring.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.annotation.MergedAnnotations;

/**
 * Loads the kv configuration source before the first {@code @ConfigurationProperties} class of
 * the application is instantiated, so it binds kv's values at creation whatever order Spring
 * creates beans in. Bean creation at start is single-threaded; the flags need no locking.
 */
final class KvConfigEarlyLoader implements InstantiationAwareBeanPostProcessor {
  private final ObjectProvider<KvConfigRefresher> refresher;
  private boolean loading;
  private boolean loaded;

  KvConfigEarlyLoader(ObjectProvider<KvConfigRefresher> refresher) {
    this.refresher = refresher;
  }

  @Override
  public Object postProcessBeforeInstantiation(Class<?> beanClass, String beanName) {
    // kv's own settings are needed to build the store the source reads: never wait for it.
    if (!loaded && !loading && beanClass != KvProperties.class
        && MergedAnnotations.from(beanClass).isPresent(ConfigurationProperties.class)) {
      loading = true;
      try {
        refresher.getIfAvailable();
        loaded = true;
      } finally {
        loading = false;
      }
    }
    return null;
  }
}
