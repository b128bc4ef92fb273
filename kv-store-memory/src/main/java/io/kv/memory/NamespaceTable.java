package io.kv.memory;

import io.kv.Entry;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state of one namespace. Reads use {@link #fast}, {@link #expiring} and {@link #slots} without
 * a lock; every change to the indexes happens under {@link #lock}, so they always agree for a lock
 * holder. A write sets a key's node before its read index, so a lock-free read that finds a live
 * node the indexes do not show yet must not return it: see {@link #readPastFast}.
 */
final class NamespaceTable {
  /**
   * Where the current node of one key lives. A write to a key that is there sets the node of its
   * slot, so the key map changes only when a key comes or goes. Removing a key clears its slot's
   * node before the slot leaves the map, so a reader still holding the slot sees the key gone. A
   * slot whose node was cleared is never set again. Written under the namespace lock only; read
   * without it.
   */
  static final class Slot {
    private static final VarHandle NODE;

    static {
      try {
        NODE = MethodHandles.lookup().findVarHandle(Slot.class, "node", Node.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile Node node;
    /**
     * The version, creation and update times of the entry of {@link #node}, kept beside it for writers, so
     * that an overwrite reads them from the slot it sets rather than from the entry. Written and
     * read under the lock only.
     */
    private long version;
    private Instant createdAt;
    /** When the current node's entry was written, in epoch ms: the floor of the next write's time. */
    private long updatedAt;
    /** The same time as the entry holds it, for the history record an overwrite makes of it. */
    private Instant updatedAtInstant;
    /**
     * What an overwrite carries forward into history, kept here for the same reason: the current
     * node's earlier records and whether they are consecutive, and the history record of its own
     * version when the write that installed it made one ({@link #setHead}; null otherwise, and
     * the overwrite then makes it from the node). With all three, an overwrite in a namespace
     * that keeps history never loads the current node, a cache miss for a key not written lately.
     */
    private PastVersion[] earlier;
    private boolean consecutive;
    private PastVersion head;

    /** A slot for a new key; the key map publishes it, so the store needs no fence of its own. */
    Slot(Node node) {
      remember(node);
      NODE.set(this, node);
    }

    /** The current node, or null once the key was removed. Lock-free. */
    Node node() {
      return node;
    }

    /**
     * Installs {@code next} (null on removal). Caller holds the lock. A release store: a reader
     * that sees the node sees everything written before it, and no write needs a full fence.
     */
    void set(Node next) {
      remember(next);
      NODE.setRelease(this, next);
    }

    /** The version of the current node's entry. Caller holds the lock, and the slot has a node. */
    long version() {
      return version;
    }

    /** The update time of the current node's entry, in epoch ms. Caller holds the lock, and the slot has a node. */
    long updatedAt() {
      return updatedAt;
    }

    /** {@link #updatedAt()} as the entry holds it. Caller holds the lock, and the slot has a node. */
    Instant updatedAtInstant() {
      return updatedAtInstant;
    }

    /** The current node's earlier records, newest first. Caller holds the lock, and the slot has a node. */
    PastVersion[] earlier() {
      return earlier;
    }

    /** Whether {@link #earlier()} is consecutive. Caller holds the lock, and the slot has a node. */
    boolean consecutive() {
      return consecutive;
    }

    /**
     * The current node's version as history keeps it (what {@link Node#head()} says of it), if
     * the write that installed the node left it here; else null. Caller holds the lock.
     */
    PastVersion head() {
      return head;
    }

    /**
     * Leaves the node just installed (by {@link #set}) as history will keep it, which must say
     * what {@link Node#head()} says of it. Caller holds the lock.
     */
    void setHead(PastVersion record) {
      head = record;
    }

    /** The creation time of the current node's entry. Caller holds the lock, and the slot has a node. */
    Instant createdAt() {
      return createdAt;
    }

    private void remember(Node next) {
      head = null;
      if (next != null) {
        earlier = next.earlier();
        consecutive = next.consecutive();
        version = next.entry.version();
        updatedAtInstant = next.entry.updatedAt();
        updatedAt = updatedAtInstant.toEpochMilli();
        Instant created = next.entry.createdAt();
        if (created != createdAt) {
          // An overwrite keeps the creation time: skip the store and its GC write barrier.
          createdAt = created;
        }
      }
    }
  }

  /** An expiry in the due index: entry {@code key} expires at {@code at} (epoch ms). */
  record Due(long at, String key) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : KeyOrder.compare(key, o.key);
    }
  }

  final String name;
  /**
   * The slot of every stored entry, expired or not, holding its node with its history. The source
   * of truth. Under the lock, a key has a slot here exactly when its slot has a node.
   */
  final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  /**
   * The entries without a TTL, as the {@code Optional} a read returns: a read hit is one lookup
   * that touches nothing but the index. A key is here only while its node in {@link #slots} has no
   * expiry; writes update {@link #slots} first, so a reader never misses a live entry. It also
   * keeps each key's slot for writers, so an overwrite of such a key finds its value and its slot
   * with one probe here and no lookup in {@link #slots}. Written under {@link #lock} only, as
   * {@link ReadIndex} requires.
   */
  final ReadIndex fast = new ReadIndex();
  /**
   * The entries with a TTL, as the {@code Optional} a read returns, with their expiry: a read hit
   * is one lookup and one clock read. Kept like {@link #fast}: a key is here only while its node
   * has an expiry, and writes update {@link #slots} first. Expired entries stay until reclaimed;
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
  /** The time of the latest write, shared by the entries written in the same millisecond. Guarded by {@link #lock}. */
  private Instant lastWriteAt = Instant.EPOCH;

  /**
   * The revision of this namespace's latest change, set before the change is installed: a
   * lock-free listing that finds it unchanged across its reads, and not above the store revision
   * it read first, saw no change after that revision.
   */
  volatile long lastRevision;
  /** {@link #lastWriteAt} in epoch milliseconds. Guarded by {@link #lock}. */
  private long lastWriteMillis;

  /**
   * Odd while a transaction installs its writes, and moved on by each one: a reader of several
   * keys that finds it odd, or changed across its reads, may have seen part of a transaction and
   * reads again under the lock. Written under the lock only. Volatile, so the odd value is seen
   * before any node the transaction installs (each a release store) and the even one after all.
   */
  private volatile long transactionStamp;

  NamespaceTable(String name) {
    this.name = name;
  }

  /** Marks the start of a transaction's writes. Caller holds the lock. */
  void transactionBegins() {
    transactionStamp = transactionStamp + 1;
  }

  /** Marks the end of a transaction's writes. Caller holds the lock. */
  void transactionEnds() {
    transactionStamp = transactionStamp + 1;
  }

  /** The stamp a lock-free reader of several keys takes before it reads; see {@link #sawNoTransaction}. */
  long readStamp() {
    return transactionStamp;
  }

  /** Whether reads made since {@code stamp} was taken cannot have seen part of a transaction. */
  boolean sawNoTransaction(long stamp) {
    return (stamp & 1) == 0 && transactionStamp == stamp;
  }

  NamespaceSettings settings() {
    Namespace d = declared;
    return d == null ? NamespaceSettings.defaults() : d.settings();
  }

  /** The node of {@code key}, or null. Lock-free. */
  Node node(String key) {
    Slot slot = slots.get(key);
    return slot == null ? null : slot.node();
  }

  /**
   * The node of {@code key} for a lock-free read that goes by nodes (several keys, a listing, a
   * history), or null. Like {@link #readPastFast}, it does not return a node whose read index does
   * not show it yet, so that a later {@code get} cannot see an older version than this read did.
   * Expired nodes are returned as they are; the caller skips them.
   */
  Node nodeAsRead(String key) {
    for (;;) {
      Node n = node(key);
      if (n == null) {
        return null;
      }
      // Identity: every node makes its own Optional, so an index that holds it holds this very node.
      Optional<Entry> shown = n.expiresAt == Node.NO_EXPIRY ? fast.get(key) : expiring.get(key);
      if (shown == n.present) {
        return n;
      }
      if (lock.tryLock()) {
        try {
          return node(key);
        } finally {
          lock.unlock();
        }
      }
      Thread.onSpinWait();
    }
  }

  /**
   * What a lock-free read of {@code key} returns once {@link #fast} gave it nothing: the value from
   * {@link #expiring}, or else what the key's node says.
   *
   * <p>A live node that neither index gave belongs to a write under way: writes set the node
   * before the index. Its value is not returned as read, since a later read could still find the
   * index behind it and see the key go back to an older version. The read is done again instead,
   * from the indexes, until the write is through; or under the lock, taken only if it is free, so
   * that a read never waits for a writer.
   *
   * @return the entry; {@code Optional.empty()} if the key has no node; null if its node has
   *     expired, which the caller may reclaim
   */
  Optional<Entry> readPastFast(String key, Clock clock) {
    for (;;) {
      Optional<Entry> live = expiring.getLive(key, clock);
      if (live != null) {
        return live;
      }
      Node n = node(key);
      if (n == null) {
        return Optional.empty();
      }
      if (n.expiresAt != Node.NO_EXPIRY && n.expiredAt(clock.millis())) {
        return null;
      }
      if (lock.tryLock()) {
        // No write is under way, so the node agrees with the indexes, and every later read sees it or a newer one.
        try {
          n = node(key);
          if (n == null) {
            return Optional.empty();
          }
          return n.expiresAt != Node.NO_EXPIRY && n.expiredAt(clock.millis()) ? null : n.present;
        } finally {
          lock.unlock();
        }
      }
      Thread.onSpinWait();
      Optional<Entry> hit = fast.get(key);
      if (hit != null) {
        return hit;
      }
    }
  }

  /**
   * {@code millis} as an {@code Instant}: the one of the previous write if that was in the same
   * millisecond, so that a run of writes allocates one. Caller holds the lock.
   */
  Instant instantAt(long millis) {
    if (lastWriteMillis != millis) {
      lastWriteAt = Instant.ofEpochMilli(millis);
      lastWriteMillis = millis;
    }
    return lastWriteAt;
  }

  /**
   * Installs {@code next}, a node without an expiry, for the key in slot {@code i} of {@link #fast}
   * (as {@link ReadIndex#liveSlot} found it): the key stays where it is in every index, so only its
   * node slot and its value in {@link #fast} change, in the order {@link #replace} changes them.
   * Caller holds the lock.
   */
  void replaceInFast(int i, Node next) {
    if (next.expiresAt != Node.NO_EXPIRY) {
      throw new IllegalArgumentException("a node with an expiry belongs in the expiring index");
    }
    fast.nodeSlotAt(i).set(next);
    fast.replaceAt(i, next.present);
  }

  /** Installs {@code next} in place of {@code prev} (either may be null). Caller holds the lock. */
  void replace(String key, Node prev, Node next) {
    replace(key, null, prev, next);
  }

  /**
   * Installs {@code next} in place of {@code prev} (either may be null). {@code slot} is the slot
   * of {@code prev} if the caller has it, else null. Caller holds the lock.
   *
   * <p>A key sits in the read index that matches its node's expiry and in no other, so only that
   * index needs a removal when the key moves or goes.
   */
  void replace(String key, Slot slot, Node prev, Node next) {
    boolean prevExpires = prev != null && prev.expiresAt != Node.NO_EXPIRY;
    if (prev != null && slot == null) {
      slot = slots.get(key);
    }
    if (prevExpires) {
      due.remove(new Due(prev.expiresAt, key));
    }
    if (next == null) {
      if (prevExpires) {
        expiring.remove(key);
      } else {
        fast.remove(key);
      }
      slot.set(null);
      slots.remove(key);
      keys.remove(key);
      return;
    }
    if (prev == null) {
      slot = new Slot(next);
      slots.put(key, slot);
    } else {
      slot.set(next);
    }
    if (next.expiresAt == Node.NO_EXPIRY) {
      fast.put(key, next.present, slot);
      if (prevExpires) {
        expiring.remove(key);
      }
    } else {
      if (prev != null && !prevExpires) {
        fast.remove(key);
      }
      expiring.put(key, next.present, next.expiresAt, slot);
      due.add(new Due(next.expiresAt, key));
    }
    if (prev == null) {
      keys.add(key);
    }
  }
}
