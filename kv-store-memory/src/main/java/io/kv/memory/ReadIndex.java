package io.kv.memory;

import io.kv.Entry;
import io.kv.LimitExceededException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.util.Optional;

/**
 * A hash index from key to the {@code Optional} a read returns, built for the read of a key that is
 * there: open addressing with linear probing over parallel arrays of keys, values and one byte of
 * each key's hash (its tag). A hit by a caller that passes the stored String object reads the
 * key's hash, key slots and one value slot, where a {@code ConcurrentHashMap} follows the bin to a
 * node and then to the value. A caller with an equal key that is another object costs a second
 * probe that also reads tags and compares characters, as any hash map must.
 *
 * <p>The values array is typed {@code Optional<Entry>[]}, not {@code Object[]}: a value loaded from
 * it needs no cast on its way out, and a cast would read the object's header, which at a million
 * keys is a cache miss of its own on every read.
 *
 * <p>An index made with {@link #withExpiry()} also keeps each value's expiry, in one more parallel
 * array, and is read with {@link #getLive}, which returns a value only while its expiry is ahead of
 * the clock. The store keeps one index of each kind per namespace, so that a read of an entry
 * without a TTL never touches an expiry.
 *
 * <p>Each key also has the {@link NamespaceTable.Slot} that holds its node, kept in one more parallel array
 * for writers: a writer that finds a key here with {@link #liveSlot} has its current value and its
 * node slot without a lookup in the key map, and changes the value in place with {@link
 * #replaceAt}. Readers never load that array. A node slot is stored before its key's release
 * store, like the value, so {@link #nodeSlotHint} (a writer's look before it takes the lock) sees
 * one that was current at some point.
 *
 * <p>Thread safety: {@link #get} and {@link #getLive} take no lock and may run at any time,
 * concurrently with writes. The writes ({@code put}, {@link #replaceAt}, {@link #remove}) and the
 * writer's lookups ({@link #liveSlot}, {@link #valueAt}, {@link #nodeSlotAt}) must be called by one
 * thread at a time (the namespace lock); the index does no locking of its own. A write that
 * outgrows the table, or leaves it mostly empty, rebuilds it in one go: that write takes time
 * proportional to the table, while readers go on reading the old one.
 *
 * <p>How reads stay correct without a lock:
 * <ul>
 *   <li>A slot's key, once set, never changes while the table is in use: a removal clears only the
 *       value, and the key keeps its slot until the next rebuild. A reader that finds its key in a
 *       slot therefore reads that key's value, the old one or the new one, or null for removed.
 *   <li>Every write stores the value and tag first and then the slot's key with release semantics (the same
 *       key again for a change or a removal); readers load the key with acquire semantics. A reader
 *       that sees a write's key store sees that write's value or a later one.
 *   <li>An overwrite in place ({@link #replaceAt}) finds the key and tag already there and stores
 *       only the new value, with release semantics. A reader that finds the key loads the old
 *       value or the new one; either is an immutable object, complete before it was stored.
 *   <li>With expiries, a write to a slot that has a value first clears the value, then writes the
 *       expiry, then the new value. {@link #getLive} reads the value, the expiry and the value
 *       again, and trusts the pair only if both value reads saw the same object: every write
 *       installs a new object, so the expiry read between them is that value's.
 *   <li>A rebuild fills a new table and publishes it through a volatile field; the old table is not
 *       written again, so a reader still on it sees a state that was current when its read began.
 *   <li>A table never has more than three eighths of its slots taken, and a taken slot is never
 *       emptied, so every probe meets an empty slot and ends.
 * </ul>
 */
final class ReadIndex {
  private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(Optional[].class);
  private static final int MIN_CAPACITY = 16;
  private static final int MAX_CAPACITY = 1 << 30;

  /**
   * Slot {@code i} is {@code keys[i]}, its tag {@code tags[i]}, {@code values[i]} and, with
   * expiries, {@code expiries[i]}.
   */
  private static final class Table {
    final Object[] keys;
    /** Eight bits of each key's hash, so that a probe passes other keys without loading them. */
    final byte[] tags;
    final Optional<Entry>[] values;
    /** Epoch milliseconds, or null in an index without expiries. */
    final long[] expiries;
    /** The slot holding each key's node; read and written by writers only, under the lock. */
    final NamespaceTable.Slot[] nodeSlots;
    final int mask;

    @SuppressWarnings("unchecked") // an array of Optional<?> only ever holds Optional<Entry> here
    Table(int capacity, boolean withExpiry) {
      keys = new Object[capacity];
      tags = new byte[capacity];
      values = (Optional<Entry>[]) new Optional<?>[capacity];
      expiries = withExpiry ? new long[capacity] : null;
      nodeSlots = new NamespaceTable.Slot[capacity];
      mask = capacity - 1;
    }

    int capacity() {
      return mask + 1;
    }
  }

  private final boolean withExpiry;
  private volatile Table table;
  /** Slots holding a key, with or without a value. Written under the caller's lock only. */
  private int taken;
  /** Slots holding a value. Written under the caller's lock only. */
  private int live;

  /** An index without expiries, read with {@link #get}. */
  ReadIndex() {
    this(false);
  }

  private ReadIndex(boolean withExpiry) {
    this.withExpiry = withExpiry;
    this.table = new Table(MIN_CAPACITY, withExpiry);
  }

  /** An index that keeps an expiry per value, read with {@link #getLive}. */
  static ReadIndex withExpiry() {
    return new ReadIndex(true);
  }

  /**
   * The value of {@code key}, or null if it has none. Lock-free; may run during a write, and then
   * returns the value from before the write or the one after it. For an index without expiries,
   * or to learn which value an index with expiries holds, whatever its expiry.
   */
  Optional<Entry> get(String key) {
    Table t = table;
    int i = slotOf(t, key);
    return i < 0 ? null : t.values[i];
  }

  /**
   * The value of {@code key} if it has one that has not expired by {@code clock}, else null: null
   * also when a write to the key is under way, or the value has expired, so that the caller asks
   * its source of truth. Reads the clock only when it found a value. Lock-free. For an index with
   * expiries.
   */
  Optional<Entry> getLive(String key, Clock clock) {
    Table t = table;
    int i = slotOf(t, key);
    if (i < 0) {
      return null;
    }
    Optional<Entry> value = t.values[i];
    if (value == null) {
      return null;
    }
    // Fences rather than acquire loads through a VarHandle: a VarHandle typed for the values
    // array would cast what it loads, and the cast reads the object's header.
    VarHandle.acquireFence();
    long expiresAt = t.expiries[i];
    VarHandle.acquireFence();
    if (t.values[i] != value) {
      return null;
    }
    return clock.millis() < expiresAt ? value : null;
  }

  /**
   * The slot holding {@code key}, or -1. Loads each key with acquire semantics, so the caller's
   * later loads of the slot see what was written before the key.
   */
  private static int slotOf(Table t, String key) {
    Object[] keys = t.keys;
    int mask = t.mask;
    int h = spread(key.hashCode());
    int start = h & mask;
    // First by identity alone, which loads nothing but key slots: a caller that passes the String
    // object it stored (a constant, say) finds it without touching any other array. Linear
    // probing passes another key's slot on about a third of hits at this load, and checking that
    // key's tag there is one more cache miss in a large table.
    for (int i = start; ; i = (i + 1) & mask) {
      Object k = KEYS.getAcquire(keys, i);
      if (k == key) {
        return i;
      }
      if (k == null) {
        break;
      }
    }
    // Then by tag and characters, for a key that is another object equal to the stored one. Tags
    // are written before their key, so only a key whose tag matches is loaded. Identity again: a
    // writer may have stored this very object meanwhile.
    byte[] tags = t.tags;
    byte tag = tag(h);
    for (int i = start; ; i = (i + 1) & mask) {
      Object k = KEYS.getAcquire(keys, i);
      if (k == null) {
        return -1;
      }
      if (k == key || (tags[i] == tag && k.equals(key))) {
        return i;
      }
    }
  }



  /**
   * Sets the value of {@code key}, and {@code nodeSlot} as the slot of its node. Caller holds the
   * write lock. For an index without expiries.
   */
  void put(String key, Optional<Entry> value, NamespaceTable.Slot nodeSlot) {
    if (withExpiry) {
      throw new IllegalStateException("this index keeps expiries: use put(key, value, expiresAt, nodeSlot)");
    }
    write(key, value, 0, nodeSlot);
  }

  /**
   * Sets the value of {@code key}, when it expires (epoch milliseconds), and {@code nodeSlot} as
   * the slot of its node. Caller holds the write lock. For an index with expiries.
   */
  void put(String key, Optional<Entry> value, long expiresAt, NamespaceTable.Slot nodeSlot) {
    if (!withExpiry) {
      throw new IllegalStateException("this index keeps no expiries: use put(key, value, nodeSlot)");
    }
    write(key, value, expiresAt, nodeSlot);
  }

  private void write(String key, Optional<Entry> value, long expiresAt, NamespaceTable.Slot nodeSlot) {
    Table t = table;
    int i = find(t, key);
    if (i >= 0) {
      if (t.values[i] == null) {
        live++;
      }
      t.nodeSlots[i] = nodeSlot;
      store(t, i, t.keys[i], value, expiresAt);
      return;
    }
    if (taken + 1 > maxTaken(t.capacity())) {
      t = rebuild(live + 1);
      i = find(t, key);
    }
    t.nodeSlots[-i - 1] = nodeSlot;
    store(t, -i - 1, key, value, expiresAt);
    taken++;
    live++;
  }

  /**
   * The node slot kept for {@code key}, if the key has a value, else null: for a writer before it
   * takes the lock, so that the lookup, and the loads of what an overwrite touches, happen while
   * nothing is held. Lock-free, like {@link #get}; the answer may be out of date once the caller
   * has the lock, where it finds the key again with {@link #liveSlot}.
   *
   * <p>It probes on its own rather than through {@link #slotOf}: writes look up keys that are not
   * there yet (every create), and sharing the read path's code would let that shape how the JIT
   * compiles the read of a key that is there. Measured: at 1M keys, reads slowed by a tenth.
   */
  NamespaceTable.Slot nodeSlotHint(String key) {
    Table t = table;
    Object[] keys = t.keys;
    int mask = t.mask;
    int h = spread(key.hashCode());
    byte tag = tag(h);
    for (int i = h & mask; ; i = (i + 1) & mask) {
      Object k = KEYS.getAcquire(keys, i);
      if (k == null) {
        return null;
      }
      if (k == key || (t.tags[i] == tag && k.equals(key))) {
        return t.values[i] == null ? null : t.nodeSlots[i];
      }
    }
  }

  /**
   * The slot of the current table that holds a value of {@code key}, or -1 if none does. The
   * result stays valid for {@link #valueAt}, {@link #nodeSlotAt} and {@link #replaceAt} until the
   * next {@code put} or {@link #remove}, which may rebuild the table. Caller holds the write lock.
   */
  int liveSlot(String key) {
    Table t = table;
    int i = find(t, key);
    return i >= 0 && t.values[i] != null ? i : -1;
  }

  /** The value in slot {@code i}, as found by {@link #liveSlot}. Caller holds the write lock. */
  Optional<Entry> valueAt(int i) {
    return table.values[i];
  }

  /** The node slot of the key in slot {@code i}, as found by {@link #liveSlot}. Caller holds the write lock. */
  NamespaceTable.Slot nodeSlotAt(int i) {
    return table.nodeSlots[i];
  }

  /**
   * Replaces the value in slot {@code i}, as found by {@link #liveSlot}, keeping its key and node
   * slot: a write to a key that is there, without a second probe. Readers see it as they see a
   * {@code put} of that key. Caller holds the write lock. For an index without expiries.
   */
  void replaceAt(int i, Optional<Entry> value) {
    if (withExpiry) {
      throw new IllegalStateException("this index keeps expiries: use put(key, value, expiresAt, nodeSlot)");
    }
    Table t = table;
    if (t.values[i] == null) {
      throw new IllegalStateException("slot " + i + " holds no value");
    }
    VALUES.setRelease(t.values, i, value);
  }

  /** Removes the value of {@code key}, if any. Caller holds the write lock. */
  void remove(String key) {
    Table t = table;
    int i = find(t, key);
    if (i < 0 || t.values[i] == null) {
      return;
    }
    t.values[i] = null;
    t.nodeSlots[i] = null;
    KEYS.setRelease(t.keys, i, t.keys[i]);
    live--;
    // Give memory back once most of a large table is dead, rather than holding removed keys and
    // an oversized array until the next insert.
    if (t.capacity() > MIN_CAPACITY && live < t.capacity() >>> 4) {
      rebuild(live);
    }
  }

  /** How many keys have a value. Caller holds the write lock. */
  int size() {
    return live;
  }

  /** How many slots the current table has. Caller holds the write lock; for tests. */
  int capacity() {
    return table.capacity();
  }

  /**
   * The slot of {@code key} in {@code t} if it has one, else {@code -(empty slot) - 1} for the
   * empty slot where it would go.
   */
  private static int find(Table t, String key) {
    Object[] keys = t.keys;
    int mask = t.mask;
    int h = spread(key.hashCode());
    for (int i = h & mask; ; i = (i + 1) & mask) {
      Object k = keys[i];
      if (k == null) {
        return -i - 1;
      }
      if (k == key || (t.tags[i] == tag(h) && k.equals(key))) {
        return i;
      }
    }
  }

  /** Writes a slot in the order the class comment gives, ending with a release of its key. */
  private static void store(Table t, int i, Object key, Optional<Entry> value, long expiresAt) {
    if (t.expiries != null) {
      if (t.values[i] != null) {
        t.values[i] = null;
        VarHandle.releaseFence();
      }
      t.expiries[i] = expiresAt;
      VarHandle.releaseFence();
    }
    t.values[i] = value;
    t.tags[i] = tag(spread(key.hashCode()));
    KEYS.setRelease(t.keys, i, key);
  }

  /**
   * Copies the live slots into a new table sized for {@code needed} values and publishes it. The
   * new table has room for an eighth of its capacity of new keys before the next rebuild, so the
   * copying costs a constant amount per write, amortised.
   */
  private Table rebuild(int needed) {
    int capacity = MIN_CAPACITY;
    while (capacity < MAX_CAPACITY && (long) needed * 4 > capacity) {
      capacity <<= 1;
    }
    if (needed > maxTaken(capacity)) {
      throw new LimitExceededException("keysPerNamespace", "a namespace of the memory store holds at most "
          + maxTaken(MAX_CAPACITY) + " keys");
    }
    Table old = table;
    Table next = new Table(capacity, withExpiry);
    for (int i = 0; i < old.keys.length; i++) {
      Optional<Entry> value = old.values[i];
      if (value != null) {
        String key = (String) old.keys[i];
        int slot = -find(next, key) - 1;
        next.keys[slot] = key;
        next.tags[slot] = old.tags[i];
        next.values[slot] = value;
        next.nodeSlots[slot] = old.nodeSlots[i];
        if (withExpiry) {
          next.expiries[slot] = old.expiries[i];
        }
      }
    }
    taken = live;
    table = next;
    return next;
  }

  /**
   * How many slots of a table of {@code capacity} may hold a key: three eighths. A hit on a key
   * that linear probing placed past its home slot costs a mispredicted branch, and in a table
   * larger than the CPU caches that branch waits for the key's cache miss and then discards the
   * reads the CPU had already started for the next lookups. At half full about 30% of keys sit
   * past their home slot; at three eighths, after a rebuild to a quarter, 10-20%.
   */
  private static int maxTaken(int capacity) {
    return (int) ((long) capacity * 3 >>> 3);
  }

  /** The bits of a spread hash that a table's index uses last. */
  private static byte tag(int h) {
    return (byte) (h >>> 24);
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
