package io.kv.jdbc;

import java.util.Collection;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by namespace and key, held by a write from before its transaction until its
 * events are published: that keeps this instance's events in version order per key, and keeps
 * this instance's writers of one key from contending inside the database. A bulk write takes
 * its stripes in index order, so two bulk writes cannot deadlock. With {@code whole} (SQLite,
 * one writer per database) one lock serializes every write. Thread-safe.
 */
final class KeyLocks {
  private static final int STRIPES = 64;

  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final boolean whole;

  KeyLocks(boolean whole) {
    this.whole = whole;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** A set of held stripes; closing releases them. */
  final class Held implements AutoCloseable {
    private final boolean[] held = new boolean[STRIPES];

    /** Records that the caller has locked {@code stripe}, so that closing releases it; locks nothing. */
    private Held add(int stripe) {
      held[stripe] = true;
      return this;
    }

    @Override
    public void close() {
      for (int i = STRIPES - 1; i >= 0; i--) {
        if (held[i]) {
          stripes[i].unlock();
        }
      }
    }
  }

  Held lock(String namespace, String key) {
    int s = stripe(namespace, key);
    stripes[s].lock();
    return new Held().add(s);
  }

  Held lockAll(String namespace, Collection<String> keys) {
    java.util.List<String> list = new java.util.ArrayList<>(keys);
    return lockPairs(java.util.Collections.nCopies(list.size(), namespace), list);
  }

  /** The stripes of {@code keys.get(i)} in {@code namespaces.get(i)}, for every i. */
  Held lockPairs(java.util.List<String> namespaces, java.util.List<String> keys) {
    boolean[] wanted = new boolean[STRIPES];
    for (int i = 0; i < keys.size(); i++) {
      wanted[stripe(namespaces.get(i), keys.get(i))] = true;
    }
    Held h = new Held();
    for (int i = 0; i < STRIPES; i++) {
      if (wanted[i]) {
        stripes[i].lock();
        h.add(i);
      }
    }
    return h;
  }

  /** Every stripe, for changes to a whole namespace. */
  Held lockEverything() {
    Held h = new Held();
    for (int i = 0; i < STRIPES; i++) {
      stripes[i].lock();
      h.add(i);
    }
    return h;
  }

  private int stripe(String namespace, String key) {
    if (whole) {
      return 0;
    }
    int h = namespace.hashCode() * 31 + key.hashCode();
    h ^= h >>> 16;
    return Math.floorMod(h, STRIPES);
  }
}
