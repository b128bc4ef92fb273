package io.kv.jdbc;

import io.kv.KvStore;
import io.kv.Principal;
import io.kv.ValueRewriter;

/**
 * A near-cached store over a backend that can rewrite values in place, such as {@link
 * JdbcKvStore}: it keeps the {@link ValueRewriter} capability, so kv-core's re-encryption can run
 * through the cache, which drops each entry it rewrites. Built by {@link
 * NearCache.Builder#build(KvStore) NearCache.builder().build(backend)} when the backend is a
 * {@code ValueRewriter}; see {@link NearCache} for what reads return.
 *
 * <p>Thread-safe.
 */
public interface NearCachedKvStore extends KvStore, ValueRewriter {
  @Override
  NearCachedKvStore as(Principal principal);
}
