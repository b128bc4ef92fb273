package io.kv.audit.jdbc;

import io.kv.core.AuditAction;
import io.kv.core.AuditRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of reads per group (principal, action, namespace, key, success, error kind) not yet
 * written, taken whole by {@link #drain} as summary rows. Thread-safe: {@link #add} takes no lock;
 * {@link #drain} is called by one thread at a time (the sink's lock).
 *
 * <p>A read and a drain that meet on one group never lose or double a count: the drain closes a
 * group's counter with one atomic swap that returns its final count, and a read whose increment
 * comes after the swap sees the counter closed and counts itself in a fresh group instead.
 */
final class ReadSummaries {
  private final ConcurrentHashMap<Group, Counter> groups = new ConcurrentHashMap<>();
  // Groups in the map, kept apart from the map's own size, which costs a sum over its cells.
  private final AtomicInteger size = new AtomicInteger();
  private final int maxGroups;
  // Each thread looks its group up with a key of its own, refilled per read, so that counting a
  // read of a pending group allocates no key; the map only ever holds copies.
  private final ThreadLocal<Group> probes = ThreadLocal.withInitial(Group::new);

  ReadSummaries(int maxGroups) {
    this.maxGroups = maxGroups;
  }

  /**
   * What reads of one summary share. Mutable only as a thread's probe ({@link #of}); a key in
   * the map is a {@link #copy} that nothing changes.
   */
  private static final class Group {
    private String principal;
    private AuditAction action;
    private String namespace;
    private String key;
    private boolean success;
    private String errorKind;
    private int hash;

    /** Fills this probe with {@code r}'s group. */
    Group of(AuditRecord r) {
      principal = r.principal().name();
      action = r.action();
      namespace = r.namespace().orElse(null);
      key = r.key().orElse(null);
      success = r.success();
      errorKind = r.errorKind().orElse(null);
      int h = principal.hashCode();
      h = 31 * h + action.hashCode();
      h = 31 * h + Objects.hashCode(namespace);
      h = 31 * h + Objects.hashCode(key);
      h = 31 * h + Boolean.hashCode(success);
      hash = 31 * h + Objects.hashCode(errorKind);
      return this;
    }

    Group copy() {
      Group g = new Group();
      g.principal = principal;
      g.action = action;
      g.namespace = namespace;
      g.key = key;
      g.success = success;
      g.errorKind = errorKind;
      g.hash = hash;
      return g;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Group g && hash == g.hash && success == g.success && action == g.action
          && principal.equals(g.principal) && Objects.equals(key, g.key) && Objects.equals(namespace, g.namespace)
          && Objects.equals(errorKind, g.errorKind);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * The reads of one group since it was started (the count is the value); closed once a drain
   * took it. One object per group and round, since every round starts its groups afresh.
   */
  @SuppressWarnings("serial") // never serialized
  private static final class Counter extends AtomicLong {
    private static final long CLOSED = Long.MIN_VALUE;
    private static final VarHandle FIRST;
    private static final VarHandle LAST;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        FIRST = lookup.findVarHandle(Counter.class, "first", long.class);
        LAST = lookup.findVarHandle(Counter.class, "last", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile long first;
    private volatile long last;

    Counter(long atMillis) {
      super(1);
      first = atMillis;
      last = atMillis;
    }

    /** Counts a read at {@code atMillis}; false if the counter is closed and counted nothing. */
    boolean add(long atMillis) {
      // Times first: a drain that sees the count then sees them too, so [first, last] holds every
      // counted read. A read that then finds the counter closed may widen that range by its own
      // time, which lies within the same interval.
      long l = last;
      while (atMillis > l && !LAST.compareAndSet(this, l, atMillis)) {
        l = last; // another read moved it
      }
      long f = first;
      while (atMillis < f && !FIRST.compareAndSet(this, f, atMillis)) {
        f = first;
      }
      for (long n = get(); n != CLOSED; n = get()) {
        if (compareAndSet(n, n + 1)) {
          return true;
        }
      }
      return false;
    }

    /** Closes the counter; its count, or 0 if it was closed already. */
    long close() {
      long n = getAndSet(CLOSED);
      return n == CLOSED ? 0 : n;
    }
  }

  /**
   * Counts {@code record}, a read; false, counting nothing, when it would start a group and
   * {@code maxGroups} groups are pending (several threads starting groups at once may pass that
   * bound by one each).
   */
  boolean add(AuditRecord record) {
    Group probe = probes.get().of(record);
    long at = record.timestamp().toEpochMilli();
    while (true) {
      Counter c = groups.get(probe);
      if (c == null) {
        if (size.get() >= maxGroups) {
          return false;
        }
        Counter fresh = new Counter(at);
        c = groups.putIfAbsent(probe.copy(), fresh);
        if (c == null) {
          size.incrementAndGet();
          return true;
        }
      }
      if (c.add(at)) {
        return true;
      }
      remove(probe, c); // taken by a drain: start the group afresh
    }
  }

  private void remove(Group key, Counter c) {
    if (groups.remove(key, c)) {
      size.decrementAndGet();
    }
  }

  /** Whether some group is pending. */
  boolean isEmpty() {
    return groups.isEmpty();
  }

  /**
   * Takes every pending group and returns one summary row (of no chain yet) per group, in the
   * order of their first reads. The groups are gone from here once this returns: the caller keeps
   * the rows until they are written.
   */
  List<Row> drain() {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Group, Counter> e : groups.entrySet()) {
      Group g = e.getKey();
      Counter c = e.getValue();
      long n = c.close();
      remove(g, c);
      if (n > 0) {
        rows.add(Row.draft(Row.RECORD, c.first, g.principal, g.action.name(), g.namespace, g.key, g.success,
            g.errorKind, n, c.last));
      }
    }
    rows.sort(Comparator.comparingLong(Row::atMillis));
    return rows;
  }

  /** Drops every pending count, as a crash would. */
  void clear() {
    drain();
  }
}
