package io.kv.spring.boot;

import io.kv.KvStore;

/**
 * Wraps the store the auto-configuration built before it becomes the {@code KvStore} bean. The
 * store's auto-configuration applies every such bean and knows nothing of what they add, so it
 * stays free of optional libraries such as Micrometer. Implementations must be thread-safe.
 */
@FunctionalInterface
interface KvStoreDecorator {
  /**
   * The store to expose in place of {@code store}.
   *
   * @param store the store built so far
   * @return a store that forwards to {@code store}; closing it closes {@code store}
   */
  KvStore decorate(KvStore store);
}
