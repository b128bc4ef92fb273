package io.kv;

import java.util.Objects;
import java.util.Optional;

/**
 * Which changes a listener hears: those in one namespace (or all) whose key starts with a prefix.
 *
 * @param namespace only this namespace, or every namespace when empty
 * @param keyPrefix only keys starting with this text; empty for every key
 */
public record ChangeFilter(Optional<String> namespace, String keyPrefix) {
  private static final ChangeFilter ALL = new ChangeFilter(Optional.empty(), "");

  /**
   * Checks the components are present.
   *
   * @param namespace only this namespace, or every namespace when empty
   * @param keyPrefix only keys starting with this text; empty for every key
   */
  public ChangeFilter {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
  }

  /**
   * Every change in every namespace.
   *
   * @return every change in every namespace
   */
  public static ChangeFilter all() {
    return ALL;
  }

  /**
   * Every change in {@code namespace}.
   *
   * @param namespace only this namespace, or every namespace when empty
   * @return every change in {@code namespace}
   */
  public static ChangeFilter namespace(String namespace) {
    return new ChangeFilter(Optional.of(namespace), "");
  }

  /**
   * This filter narrowed to keys starting with {@code prefix}.
   *
   * @param prefix the key prefix
   * @return this filter narrowed to keys starting with {@code prefix}
   */
  public ChangeFilter withKeyPrefix(String prefix) {
    return new ChangeFilter(namespace, prefix);
  }

  /**
   * Whether {@code event} passes this filter.
   *
   * @param event the change
   * @return whether {@code event} passes this filter
   */
  public boolean matches(ChangeEvent event) {
    return (namespace.isEmpty() || namespace.get().equals(event.namespace())) && event.key().startsWith(keyPrefix);
  }
}
