package io.kv.spring.boot;

import io.kv.KvStore;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Puts the kv configuration source first in the {@code Environment} when it is created, and on
 * each change rebinds the {@code @ConfigurationProperties} beans bound through setters, then
 * publishes a {@link KvConfigChangedEvent}. Beans bound through a constructor (records) cannot be
 * rebound in place: they keep what they were created with, and the event tells the application.
 *
 * <p>Thread-safe: changes arrive on the writing or change-feed thread.
 */
final class KvConfigRefresher implements DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger(KvConfigRefresher.class);

  private final ConfigurableEnvironment environment;
  private final ApplicationContext context;
  private final KvConfigPropertySource source;

  KvConfigRefresher(KvStore store, List<String> namespaces, Map<String, String> prefixes,
      ConfigurableEnvironment environment, ApplicationContext context) {
    this.environment = environment;
    this.context = context;
    this.source = new KvConfigPropertySource(store, namespaces, prefixes);
    source.start(this::changed);
    environment.getPropertySources().addFirst(source);
  }

  private void changed(String namespace, String key) {
    try {
      Binder binder = Binder.get(environment);
      for (ConfigurationPropertiesBean bean : ConfigurationPropertiesBean.getAll(context).values()) {
        Bindable<?> target = bean.asBindTarget();
        if (target.getBindMethod() != BindMethod.VALUE_OBJECT && target.getValue() != null) {
          binder.bind(bean.getAnnotation().prefix(), target);
        }
      }
      context.publishEvent(new KvConfigChangedEvent(this, namespace, key));
    } catch (RuntimeException e) {
      // A listener never breaks the write that triggered it; the new value is in the source.
      LOG.warn("kv config: rebinding after a change of key {} in namespace {} failed", key, namespace, e);
    }
  }

  @Override
  public void destroy() {
    source.stop();
    environment.getPropertySources().remove(KvConfigPropertySource.NAME);
  }
}
