package io.kv.spring.boot;

import java.util.Objects;
import org.springframework.context.ApplicationEvent;

/**
 * Published after an entry of a namespace exposed by {@code kv.config.namespaces} changed and the
 * configuration properties it feeds were updated: {@code @ConfigurationProperties} beans bound
 * through setters already hold the new value. Carries the namespace and key, never the value.
 * Published on the thread that delivered the change (the writing thread for a local write, the
 * change feed's for another instance's). Immutable.
 */
public final class KvConfigChangedEvent extends ApplicationEvent {
  private static final long serialVersionUID = 1L;

  /** The namespace of the changed entry. */
  private final String namespace;
  /** The key of the changed entry. */
  private final String key;

  /**
   * An event for a change of {@code key} in {@code namespace}.
   *
   * @param source the object that published the event
   * @param namespace the namespace of the changed entry
   * @param key the key of the changed entry
   * @throws NullPointerException if an argument is null
   */
  public KvConfigChangedEvent(Object source, String namespace, String key) {
    super(source);
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.key = Objects.requireNonNull(key, "key");
  }

  /**
   * The namespace of the changed entry.
   *
   * @return the namespace of the changed entry
   */
  public String namespace() {
    return namespace;
  }

  /**
   * The key of the changed entry.
   *
   * @return the key of the changed entry
   */
  public String key() {
    return key;
  }

  @Override
  public String toString() {
    return "KvConfigChangedEvent[namespace=" + namespace + ", key=" + key + "]";
  }
}
