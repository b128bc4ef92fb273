package io.kv.memory;

import io.kv.Namespace;
import io.kv.NamespaceSettings;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state of one namespace. Reads use {@link #map} without a lock; every change to the three
 * indexes happens under {@link #lock}, so they always agree for a lock holder.
 */
final class Space {
  /** An expiry in the due index: entry {@code key} expires at {@code at} (epoch ms). */
  record Due(long at, String key) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : KeyOrder.compare(key, o.key);
    }
  }

  final String name;
  /** Point reads: one hash lookup. */
  final ConcurrentHashMap<String, Node> map = new ConcurrentHashMap<>();
  /** Prefix listing in key order. */
  final ConcurrentSkipListMap<String, Node> sorted = new ConcurrentSkipListMap<>(KeyOrder.CODE_POINT);
  /** Entries with a TTL, soonest first. Guarded by {@link #lock}. */
  final TreeSet<Due> due = new TreeSet<>();
  final ReentrantLock lock = new ReentrantLock();
  /** The declaration, or null while the namespace is undeclared. */
  volatile Namespace declared;

  Space(String name) {
    this.name = name;
  }

  NamespaceSettings settings() {
    Namespace d = declared;
    return d == null ? NamespaceSettings.defaults() : d.settings();
  }

  /** Installs {@code next} in place of {@code prev} (either may be null). Caller holds the lock. */
  void replace(String key, Node prev, Node next) {
    if (prev != null && prev.expiresAt != Node.NO_EXPIRY) {
      due.remove(new Due(prev.expiresAt, key));
    }
    if (next == null) {
      map.remove(key);
      sorted.remove(key);
      return;
    }
    map.put(key, next);
    sorted.put(key, next);
    if (next.expiresAt != Node.NO_EXPIRY) {
      due.add(new Due(next.expiresAt, key));
    }
  }
}
