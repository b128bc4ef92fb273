package io.kv.memory;

import io.kv.ChangeEvent;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.spi.RestoreInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The memory store's operations that put stored values back as given rather than write new
 * versions: {@link io.kv.ValueRewriter#rewriteValues} (a re-encryption) and {@link
 * io.kv.EntryRestorer#restore} (an import). Each runs under the namespace's lock. Stateless.
 */
final class StoredValues {
  private StoredValues() {}

  /** See {@link io.kv.ValueRewriter#rewriteValues}. */
  static int rewrite(SharedState state, String namespace, String key, UnaryOperator<Value> rewrite) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    Objects.requireNonNull(rewrite, "rewrite");
    NamespaceTable s = state.tables.get(namespace);
    if (s == null) {
      return 0;
    }
    s.lock.lock();
    try {
      Node cur = state.live(s, key, state.clock.millis());
      if (cur == null) {
        return 0;
      }
      // The entry and the head of its history share one Value: rewrite each stored value once,
      // so both keep the same bytes after a rewrite that is not deterministic (a fresh IV).
      Map<Value, Value> rewritten = new IdentityHashMap<>();
      UnaryOperator<Value> once = v -> rewritten.computeIfAbsent(v, old -> checkedRewrite(state, rewrite, old));
      Set<Long> changed = new HashSet<>();
      Entry e = cur.entry;
      Value value = once.apply(e.value());
      if (!value.equals(e.value())) {
        changed.add(e.version());
      }
      List<VersionRecord> before = cur.history();
      List<VersionRecord> history = new ArrayList<>(before.size());
      for (VersionRecord r : before) {
        Value v = once.apply(r.value());
        if (v.equals(r.value())) {
          history.add(r);
        } else {
          changed.add(r.version());
          history.add(new VersionRecord(r.version(), v, r.change(), r.changedBy(), r.changedAt(), r.reason()));
        }
      }
      if (changed.isEmpty()) {
        return 0;
      }
      Entry next = value.equals(e.value()) ? e : new Entry(e.namespace(), e.key(), value, e.version(), e.createdAt(),
          e.updatedAt(), e.expiresAt(), e.metadata(), e.tags(), e.revision());
      s.replace(key, cur, Node.withHistory(next, cur.expiresAt, history));
      return changed.size();
    } finally {
      s.lock.unlock();
    }
  }

  private static Value checkedRewrite(SharedState state, UnaryOperator<Value> rewrite, Value old) {
    Value v = Objects.requireNonNull(rewrite.apply(old), "rewrite returned null");
    state.limits.checkValue(v);
    return v;
  }

  /** See {@link io.kv.EntryRestorer#restore}. */
  static void restore(SharedState state, Principal principal, Entry entry, List<VersionRecord> history) {
    RestoreInput input = RestoreInput.check(state.limits, principal, entry, history);
    Entry restored = input.entry();
    String namespace = restored.namespace();
    String key = restored.key();
    long expiresAt = input.expiresAtMillis(Node.NO_EXPIRY);
    NamespaceTable s = state.tableFor(namespace);
    s.lock.lock();
    try {
      long now = state.clock.millis();
      input.requireUnexpired(now);
      Node cur = state.live(s, key, now);
      ChangeEvent event;
      // A restored entry is a change of this store: it takes a revision of its own, not the exported one.
      synchronized (state.log) {
        long revision = state.log.next(s);
        s.replace(key, cur,
            Node.withHistory(restored.withRevision(revision), expiresAt, input.history(s.settings().maxVersions())));
        event = state.log.append(revision, cur == null ? ChangeType.CREATED : ChangeType.UPDATED, namespace, key,
            restored.version(), Instant.ofEpochMilli(now), principal);
      }
      state.reclaimDue(s, now, SharedState.RECLAIM_PER_WRITE);
      if (expiresAt != Node.NO_EXPIRY) {
        state.sweepNeeded();
      }
      state.listeners.publish(event);
    } finally {
      s.lock.unlock();
    }
  }
}
