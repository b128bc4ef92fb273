package io.kv.memory;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.ChangeType;
import io.kv.Principal;
import io.kv.RevisionCompactedException;
import io.kv.Subscription;
import io.kv.spi.ChangeListeners;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store-wide revisions of one memory store and the bounded log of its latest changes, which
 * {@link io.kv.KvStore#subscribe(ChangeFilter, long, ChangeListener)} replays.
 *
 * <p>A writer holds its namespace's lock, then this object's monitor while it takes a revision
 * ({@link #next}), installs its node and {@link #append appends} the change: so the log is in
 * revision order, every revision up to {@link #revision()} is installed, and a replay snapshot
 * taken under the monitor holds every change up to its last revision. Thread-safe.
 */
final class ChangeLog {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeLog.class);

  /** The retained changes; the change of revision {@code r} is at {@code r % ring.length}. */
  private final ChangeEvent[] ring;

  /** The last revision taken; guarded by this. */
  private long last;

  /**
   * {@code last % ring.length}, kept by counting rather than computed: a 64-bit division takes
   * tens of cycles, on every write. Guarded by this.
   */
  private int lastSlot;

  /** The last revision whose change is installed and logged, for lock-free readers. */
  private volatile long current;

  ChangeLog(int capacity) {
    this.ring = new ChangeEvent[capacity];
  }

  /** The store's revision: every change up to it is visible. */
  long revision() {
    return current;
  }

  /**
   * Takes the next revision for a change of {@code s}, marking the namespace before the change is
   * installed (see {@link NamespaceTable#lastRevision}). Caller holds the namespace's lock and
   * this object's monitor, and appends the change before it releases the monitor.
   */
  long next(NamespaceTable s) {
    long revision = ++last;
    lastSlot = lastSlot == ring.length - 1 ? 0 : lastSlot + 1;
    s.lastRevision = revision;
    return revision;
  }

  /**
   * Logs the installed change of revision {@code revision} (from {@link #next}) and returns its
   * event. Caller holds this object's monitor.
   */
  ChangeEvent append(long revision, ChangeType type, String namespace, String key, long version, Instant at,
      Principal principal) {
    ChangeEvent event = new ChangeEvent(type, namespace, key, version, at, principal, revision);
    ring[revision == last ? lastSlot : (int) (revision % ring.length)] = event;
    current = revision;
    return event;
  }

  /** The oldest revision still in the log; one more than {@link #last} when the log is empty. Caller holds the monitor. */
  private long oldest() {
    return Math.max(1, last - ring.length + 1);
  }

  /**
   * Registers {@code listener} with {@code listeners} and replays, on the calling thread, the
   * logged changes after {@code fromRevision} that pass {@code filter}; live changes that arrive
   * meanwhile are held and told after the replay, those the replay told already dropped.
   */
  Subscription subscribe(ChangeListeners listeners, ChangeFilter filter, long fromRevision, ChangeListener listener) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(listener, "listener");
    if (fromRevision < 0) {
      throw new IllegalArgumentException("fromRevision must not be negative");
    }
    Resuming resuming = new Resuming(listener);
    // Registered before the snapshot: a change logged after it is surely told live.
    Subscription live = listeners.add(filter, resuming);
    List<ChangeEvent> replay = new ArrayList<>();
    long upTo;
    synchronized (this) {
      long oldest = oldest();
      if (fromRevision < oldest - 1) {
        live.close();
        throw new RevisionCompactedException(fromRevision, oldest);
      }
      for (long r = fromRevision + 1; r <= last; r++) {
        ChangeEvent e = ring[(int) (r % ring.length)];
        if (filter.matches(e)) {
          replay.add(e);
        }
      }
      upTo = Math.max(fromRevision, last);
    }
    Subscription subscription = () -> {
      resuming.closed = true;
      live.close();
    };
    resuming.replay(replay, upTo);
    return subscription;
  }

  /**
   * A listener that holds live events while its replay runs, then tells those after the replay's
   * last revision, and from then on tells every live event after it.
   */
  private static final class Resuming implements ChangeListener {
    private final ChangeListener target;
    /** Live events held during the replay; null once live. Guarded by this. */
    private List<ChangeEvent> held = new ArrayList<>();
    /** The last revision the replay covers; guarded by this. */
    private long upTo;
    volatile boolean closed;

    Resuming(ChangeListener target) {
      this.target = target;
    }

    @Override
    public void onChange(ChangeEvent event) {
      long bound;
      synchronized (this) {
        if (held != null) {
          held.add(event);
          return;
        }
        bound = upTo;
      }
      if (event.revision() > bound && !closed) {
        target.onChange(event);
      }
    }

    void replay(List<ChangeEvent> events, long upTo) {
      tell(events, -1);
      while (true) {
        List<ChangeEvent> arrived;
        synchronized (this) {
          if (held.isEmpty()) {
            this.upTo = upTo;
            held = null;
            return;
          }
          arrived = held;
          held = new ArrayList<>();
        }
        tell(arrived, upTo);
      }
    }

    /** Tells the events with a revision above {@code after}. */
    private void tell(List<ChangeEvent> events, long after) {
      for (ChangeEvent e : events) {
        if (closed) {
          return;
        }
        if (e.revision() <= after) {
          continue;
        }
        try {
          target.onChange(e);
        } catch (RuntimeException ex) {
          LOG.warn("change listener failed on {} of '{}/{}' version {}", e.type(), e.namespace(), e.key(), e.version(), ex);
        }
      }
    }
  }
}
