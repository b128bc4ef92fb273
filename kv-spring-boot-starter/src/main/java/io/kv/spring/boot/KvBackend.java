package io.kv.spring.boot;

import io.kv.KvStore;
import io.kv.jdbc.ChangeFeed;
import io.kv.jdbc.JdbcKvStore;
import java.util.Objects;
import java.util.Optional;

/**
 * The backend the auto-configuration built, and the JDBC parts inside it that only the metrics
 * binder needs: a kv-core stack offers no features, so the near-cache's statistics must be read
 * from the cached store itself, not from the store bean. Immutable; the parts are thread-safe.
 */
final class KvBackend {
  private final KvStore store;
  private final JdbcKvStore jdbc;
  private final KvStore nearCached;
  private final ChangeFeed feed;

  private KvBackend(KvStore store, JdbcKvStore jdbc, KvStore nearCached, ChangeFeed feed) {
    this.store = Objects.requireNonNull(store, "store");
    this.jdbc = jdbc;
    this.nearCached = nearCached;
    this.feed = feed;
  }

  static KvBackend memory(KvStore store) {
    return new KvBackend(store, null, null, null);
  }

  /** The JDBC store, with the near-cached store over it and its feed when they are on. */
  static KvBackend jdbc(JdbcKvStore jdbc, KvStore nearCached, ChangeFeed feed) {
    Objects.requireNonNull(jdbc, "jdbc");
    return new KvBackend(nearCached != null ? nearCached : jdbc, jdbc, nearCached, feed);
  }

  /** The store the stack goes on: the near-cached store, the JDBC store or the memory store. */
  KvStore store() {
    return store;
  }

  Optional<JdbcKvStore> jdbc() {
    return Optional.ofNullable(jdbc);
  }

  Optional<KvStore> nearCached() {
    return Optional.ofNullable(nearCached);
  }

  Optional<ChangeFeed> changeFeed() {
    return Optional.ofNullable(feed);
  }
}
