package io.kv.memory;

import io.kv.Entry;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state of one namespace. Reads use {@link #fast}, {@link #expiring} and {@link #nodes} without
 * a lock; every change to the indexes happens under {@link #lock}, so they always agree for a lock
 * holder.
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
  /** Every stored entry, expired or not, with its history. The source of truth. */
  final ConcurrentHashMap<String, Node> nodes = new ConcurrentHashMap<>();
  /**
   * The entries without a TTL, as the {@code Optional} a read returns: a read hit is one lookup
   * that touches nothing but the index. A key is here only while its node in {@link #nodes} has no
   * expiry; writes update {@link #nodes} first, so a reader never misses a live entry. Written
   * under {@link #lock} only, as {@link ReadIndex} requires.
   */
  final ReadIndex fast = new ReadIndex();
  /**
   * The entries with a TTL, as the {@code Optional} a read returns, with their expiry: a read hit
   * is one lookup and one clock read. Kept like {@link #fast}: a key is here only while its node
   * has an expiry, and writes update {@link #nodes} first. Expired entries stay until reclaimed;
   * {@link ReadIndex#getLive} does not return them.
   */
  final ReadIndex expiring = ReadIndex.withExpiry();
  /** Every stored key, in key order, for prefix listing. Changes on create and delete only. */
  final ConcurrentSkipListSet<String> keys = new ConcurrentSkipListSet<>(KeyOrder.CODE_POINT);
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
      fast.remove(key);
      expiring.remove(key);
      nodes.remove(key);
      keys.remove(key);
      return;
    }
    nodes.put(key, next);
    if (next.expiresAt == Node.NO_EXPIRY) {
      fast.put(key, next.present);
      expiring.remove(key);
    } else {
      fast.remove(key);
      expiring.put(key, next.present, next.expiresAt);
      due.add(new Due(next.expiresAt, key));
    }
    if (prev == null) {
      keys.add(key);
    }
  }
}
