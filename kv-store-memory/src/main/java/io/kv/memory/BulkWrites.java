package io.kv.memory;

import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.Principal;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.spi.EntryChecks;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;

/**
 * {@link io.kv.KvStore#putAll} and {@link io.kv.KvStore#deleteAll} on the memory store: every
 * key checked first, then all written under the namespace's lock at once, so that no reader
 * or writer sees part of a batch. Stateless.
 */
final class BulkWrites {
  private BulkWrites() {}

  /** See {@link io.kv.KvStore#putAll}. */
  static Map<String, Entry> putAll(SharedState state, Principal principal, String namespace, Map<String, Value> values,
      WriteOptions options) {
    InputRules limits = state.limits;
    limits.checkNamespace(namespace);
    Objects.requireNonNull(values, "values");
    limits.checkOptions(options);
    EntryChecks.batchSize(values.size());
    for (Map.Entry<String, Value> e : values.entrySet()) {
      limits.checkKey(e.getKey());
      limits.checkValue(e.getValue());
    }
    NamespaceTable s = state.tableFor(namespace);
    s.lock.lock();
    try {
      long now = state.clock.millis();
      long expiresAt = WritePath.expiry(now, options, s);
      Map<String, Entry> written = new LinkedHashMap<>();
      for (Map.Entry<String, Value> e : values.entrySet()) {
        Node cur = state.live(s, e.getKey(), now);
        written.put(e.getKey(),
            WritePath.install(state, principal, s, e.getKey(), cur, e.getValue(), options, ChangeType.UPDATED, now, expiresAt));
      }
      return Collections.unmodifiableMap(written);
    } finally {
      s.lock.unlock();
    }
  }

  /** See {@link io.kv.KvStore#deleteAll}. */
  static int deleteAll(SharedState state, Principal principal, String namespace, Collection<String> keys) {
    state.limits.checkNamespace(namespace);
    LinkedHashSet<String> unique = EntryChecks.keys(state.limits, keys);
    NamespaceTable s = state.tables.get(namespace);
    if (s == null) {
      return 0;
    }
    s.lock.lock();
    try {
      long now = state.clock.millis();
      int deleted = 0;
      for (String key : unique) {
        Node cur = state.live(s, key, now);
        if (cur != null) {
          WritePath.remove(state, principal, s, key, cur, now);
          deleted++;
        }
      }
      return deleted;
    } finally {
      s.lock.unlock();
    }
  }
}
