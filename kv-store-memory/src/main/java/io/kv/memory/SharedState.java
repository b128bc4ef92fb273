package io.kv.memory;

import io.kv.ChangeEvent;
import io.kv.ChangeType;
import io.kv.InputRules;
import io.kv.Principal;
import io.kv.spi.ChangeListeners;
import io.kv.spi.NamespaceWatchers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every principal view of one memory store shares: the namespaces, the clock, the limits,
 * the listeners and the expiry sweep. Thread-safe.
 */
final class SharedState {
  /** How many due entries a write reclaims on its way, so expired entries never pile up. */
  static final int RECLAIM_PER_WRITE = 8;
  /** How many entries one sweep batch reclaims before it lets writers in again. */
  static final int SWEEP_BATCH = 256;

  final ConcurrentHashMap<String, NamespaceTable> tables = new ConcurrentHashMap<>();
  final Clock clock;
  final InputRules limits;
  final ChangeListeners listeners = new ChangeListeners();
  final NamespaceWatchers namespaceWatchers = new NamespaceWatchers();
  final ChangeLog log;
  private final Duration sweepInterval;
  private final AtomicBoolean sweepStarted = new AtomicBoolean();
  private volatile Future<?> sweep;
  private volatile boolean closed;

  SharedState(Clock clock, InputRules limits, Duration sweepInterval, int changeLogSize) {
    this.log = new ChangeLog(changeLogSize);
    this.clock = clock;
    this.limits = limits;
    this.sweepInterval = sweepInterval;
  }

  /** The space of a namespace, made on first use. Checks the name. */
  NamespaceTable tableFor(String namespace) {
    NamespaceTable s = tables.get(namespace);
    if (s != null) {
      return s;
    }
    limits.checkNamespace(namespace);
    return tables.computeIfAbsent(namespace, NamespaceTable::new);
  }

  /** The live node of {@code key}; an expired one is removed on the way. Caller holds the lock. */
  Node live(NamespaceTable s, String key, long now) {
    Node n = s.node(key);
    if (n != null && n.expiredAt(now)) {
      expire(s, key, n);
      return null;
    }
    return n;
  }

  /** Removes {@code n} if it is still the node of {@code key}, without waiting for the lock. */
  void reclaimIfFree(NamespaceTable s, String key, Node n) {
    if (s.lock.tryLock()) {
      try {
        if (s.node(key) == n) {
          expire(s, key, n);
        }
      } finally {
        s.lock.unlock();
      }
    }
  }

  /** Removes up to {@code max} entries due by {@code now}. Caller holds the lock. */
  int reclaimDue(NamespaceTable s, long now, int max) {
    int removed = 0;
    while (removed < max && !s.due.isEmpty()) {
      NamespaceTable.Due d = s.due.first();
      if (d.at() > now) {
        break;
      }
      Node n = s.node(d.key());
      if (n == null || n.expiresAt != d.at()) {
        s.due.pollFirst();
        continue;
      }
      expire(s, d.key(), n);
      removed++;
    }
    return removed;
  }

  /** Removes the expired node {@code n} of {@code key} and reports it. Caller holds the lock. */
  void expire(NamespaceTable s, String key, Node n) {
    listeners.publish(removeLogged(s, key, null, n, ChangeType.EXPIRED, Instant.ofEpochMilli(n.expiresAt), Principal.SYSTEM));
  }

  /**
   * Removes {@code n}, the node of {@code key} ({@code slot} its slot, or null), under a new
   * revision, and returns the change's event for the caller to publish. Caller holds the lock.
   */
  ChangeEvent removeLogged(NamespaceTable s, String key, NamespaceTable.Slot slot, Node n, ChangeType type, Instant at,
      Principal principal) {
    synchronized (log) {
      long revision = log.next(s);
      s.replace(key, slot, n, null);
      return log.append(revision, type, s.name, key, n.entry.version(), at, principal);
    }
  }

  /** Reclaims every entry due now, in batches that each hold a namespace lock only briefly. */
  int purgeExpired() {
    int total = 0;
    for (NamespaceTable s : tables.values()) {
      int batch;
      do {
        s.lock.lock();
        try {
          batch = reclaimDue(s, clock.millis(), SWEEP_BATCH);
        } finally {
          s.lock.unlock();
        }
        total += batch;
      } while (batch == SWEEP_BATCH);
    }
    return total;
  }

  /** Starts the background sweep once the first entry with a TTL is written. */
  void sweepNeeded() {
    if (sweepStarted.get() || sweepInterval.isZero() || closed) {
      return;
    }
    if (sweepStarted.compareAndSet(false, true)) {
      sweep = Sweeper.schedule(this, SharedState::purgeExpired, sweepInterval);
      if (closed) {
        sweep.cancel(false);
      }
    }
  }

  void close() {
    closed = true;
    Future<?> f = sweep;
    if (f != null) {
      f.cancel(false);
    }
  }
}
