package io.kv.spi;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.ChangeType;
import io.kv.Principal;
import io.kv.Subscription;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The change listeners of a backend's {@link io.kv.KvStore#subscribe}: register them with {@link
 * #add}, and {@link #publish} each change once it has taken effect. The registry is copied on
 * write, so publishing takes no lock, and publishing with no listener builds no event. What a
 * listener throws is logged through {@link System.Logger} (an event carries no value, so neither
 * does the log) and swallowed: a faulty listener never fails a write nor keeps the others from
 * hearing it.
 *
 * <p>Thread-safe. Listeners run on the publishing thread, in registration order.
 */
public final class ChangeListeners {
  private static final System.Logger LOG = System.getLogger(ChangeListeners.class.getName());
  private static final Sub[] NONE = {};

  private final class Sub implements Subscription {
    final ChangeFilter filter;
    final ChangeListener listener;

    Sub(ChangeFilter filter, ChangeListener listener) {
      this.filter = filter;
      this.listener = listener;
    }

    @Override
    public void close() {
      remove(this);
    }
  }

  private volatile Sub[] subs = NONE;

  /** No listener yet. */
  public ChangeListeners() {}

  /**
   * Registers {@code listener} for the events {@code filter} matches, until the returned
   * subscription is closed (closing it again does nothing).
   *
   * @param filter which changes the listener is told of
   * @param listener told of each change
   * @return the subscription that ends the registration
   * @throws NullPointerException if an argument is null
   */
  public Subscription add(ChangeFilter filter, ChangeListener listener) {
    Sub sub = new Sub(Objects.requireNonNull(filter, "filter"), Objects.requireNonNull(listener, "listener"));
    synchronized (this) {
      Sub[] next = Arrays.copyOf(subs, subs.length + 1);
      next[subs.length] = sub;
      subs = next;
    }
    return sub;
  }

  private synchronized void remove(Sub sub) {
    Sub[] cur = subs;
    for (int i = 0; i < cur.length; i++) {
      if (cur[i] == sub) {
        Sub[] next = new Sub[cur.length - 1];
        System.arraycopy(cur, 0, next, 0, i);
        System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
        subs = next;
        return;
      }
    }
  }

  /**
   * Whether no listener is registered.
   *
   * @return whether no listener is registered
   */
  public boolean isEmpty() {
    return subs.length == 0;
  }

  /**
   * Publishes one change, building its event only if a listener is registered.
   *
   * @param atMillis when the change happened, by the store's clock, in epoch milliseconds
   * @param type what happened
   * @param namespace the namespace name
   * @param key the entry's key
   * @param version the entry's version after the change
   * @param principal who made the change
   * @throws NullPointerException if a listener is registered and an argument is null
   */
  public void publish(ChangeType type, String namespace, String key, long version, long atMillis, Principal principal) {
    if (subs.length != 0) {
      publish(new ChangeEvent(type, namespace, key, version, Instant.ofEpochMilli(atMillis), principal));
    }
  }

  /**
   * Publishes {@code events} in order.
   *
   * @param events the changes, in order
   * @throws NullPointerException if {@code events} or one of them is null
   */
  public void publish(List<ChangeEvent> events) {
    if (subs.length == 0) {
      return;
    }
    for (ChangeEvent event : events) {
      publish(event);
    }
  }

  /**
   * Tells every listener whose filter matches {@code event}.
   *
   * @param event the change
   * @throws NullPointerException if {@code event} is null
   */
  public void publish(ChangeEvent event) {
    Objects.requireNonNull(event, "event");
    for (Sub sub : subs) {
      if (sub.filter.matches(event)) {
        try {
          sub.listener.onChange(event);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, () -> "change listener failed on " + event.type() + " of '" + event.namespace() + "/"
              + event.key() + "' version " + event.version(), e);
        }
      }
    }
  }
}
