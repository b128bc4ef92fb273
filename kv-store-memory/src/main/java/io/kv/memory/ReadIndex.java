package io.kv.memory;

import io.kv.Entry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * A hash index from key to the {@code Optional} a read returns, built for the read of a key that is
 * there: open addressing with linear probing over an array of keys beside an array of values, so a
 * hit reads the key's hash, one key slot and one value slot (two independent loads), where a
 * {@code ConcurrentHashMap} follows the bin to a node and then to the value.
 *
 * <p>The values array is typed {@code Optional<Entry>[]}, not {@code Object[]}: a value loaded from
 * it needs no cast on its way out of {@code get}, and a cast would read the object's header, which
 * at a million keys is a cache miss of its own on every read.
 *
 * <p>Thread safety: {@link #get} takes no lock and may run at any time, concurrently with writes.
 * {@link #put} and {@link #remove} must be called by one thread at a time (the namespace lock);
 * the index does no locking of its own. A write that outgrows the table, or leaves it mostly
 * empty, rebuilds it in one go: that write takes time proportional to the table, while readers
 * go on reading the old one.
 *
 * <p>How reads stay correct without a lock:
 * <ul>
 *   <li>A slot's key, once set, never changes while the table is in use: a removal clears only the
 *       value, and the key keeps its slot until the next rebuild. A reader that finds its key in a
 *       slot therefore reads that key's value, the old one or the new one, or null for removed.
 *   <li>Every write stores the value first and then the slot's key with release semantics (the same
 *       key again for a change or a removal); readers load the key with acquire semantics. A reader
 *       that sees a write's key store sees that write's value or a later one.
 *   <li>A rebuild fills a new table and publishes it through a volatile field; the old table is not
 *       written again, so a reader still on it sees a state that was current when its read began.
 *   <li>A table never has more than half of its slots taken, and a taken slot is never emptied, so
 *       every probe meets an empty slot and ends.
 * </ul>
 */
final class ReadIndex {
  private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final int MIN_CAPACITY = 16;
  private static final int MAX_CAPACITY = 1 << 30;

  /** Slot {@code i} is {@code keys[i]} and {@code values[i]}. */
  private static final class Table {
    final Object[] keys;
    final Optional<Entry>[] values;
    final int mask;

    @SuppressWarnings("unchecked") // an array of Optional<?> only ever holds Optional<Entry> here
    Table(int capacity) {
      keys = new Object[capacity];
      values = (Optional<Entry>[]) new Optional<?>[capacity];
      mask = capacity - 1;
    }

    int capacity() {
      return mask + 1;
    }
  }

  private volatile Table table = new Table(MIN_CAPACITY);
  /** Slots holding a key, with or without a value. Written under the caller's lock only. */
  private int taken;
  /** Slots holding a value. Written under the caller's lock only. */
  private int live;

  /**
   * The value of {@code key}, or null if it has none. Lock-free; may run during a write, and then
   * returns the value from before the write or the one after it.
   */
  Optional<Entry> get(String key) {
    Table t = table;
    Object[] keys = t.keys;
    int h = key.hashCode();
    int mask = t.mask;
    for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
      Object k = KEYS.getAcquire(keys, i);
      if (k == key) {
        return t.values[i];
      }
      if (k == null) {
        return null;
      }
      // A different String object may still be the same key: compare its cached hash first,
      // which is free once the object is loaded, and the characters only when that matches.
      String other = (String) k;
      if (other.hashCode() == h && other.equals(key)) {
        return t.values[i];
      }
    }
  }

  /** Sets the value of {@code key}. Caller holds the lock that serialises writes. */
  void put(String key, Optional<Entry> value) {
    Table t = table;
    int i = find(t, key);
    if (i >= 0) {
      if (t.values[i] == null) {
        live++;
      }
      store(t, i, t.keys[i], value);
      return;
    }
    if (taken + 1 > t.capacity() >>> 1) {
      t = rebuild(live + 1);
      i = find(t, key);
    }
    store(t, -i - 1, key, value);
    taken++;
    live++;
  }

  /** Removes the value of {@code key}, if any. Caller holds the lock that serialises writes. */
  void remove(String key) {
    Table t = table;
    int i = find(t, key);
    if (i < 0 || t.values[i] == null) {
      return;
    }
    store(t, i, t.keys[i], null);
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
    for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
      Object k = keys[i];
      if (k == null) {
        return -i - 1;
      }
      if (k == key || k.equals(key)) {
        return i;
      }
    }
  }

  /** Writes a slot: the value, then the key with release semantics, as {@link #get} expects. */
  private static void store(Table t, int i, Object key, Optional<Entry> value) {
    t.values[i] = value;
    KEYS.setRelease(t.keys, i, key);
  }

  /**
   * Copies the live slots into a new table sized for {@code needed} values and publishes it. The
   * new table has room for an eighth of its capacity of new keys before the next rebuild, so the
   * copying costs a constant amount per write, amortised.
   */
  private Table rebuild(int needed) {
    int capacity = MIN_CAPACITY;
    while (capacity < MAX_CAPACITY && (long) needed * 8 > (long) capacity * 3) {
      capacity <<= 1;
    }
    if ((long) needed * 2 > capacity) {
      throw new IllegalStateException("too many keys in one namespace: " + needed);
    }
    Table old = table;
    Table next = new Table(capacity);
    for (int i = 0; i < old.keys.length; i++) {
      Optional<Entry> value = old.values[i];
      if (value != null) {
        String key = (String) old.keys[i];
        int slot = -find(next, key) - 1;
        next.keys[slot] = key;
        next.values[slot] = value;
      }
    }
    taken = live;
    table = next;
    return next;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
