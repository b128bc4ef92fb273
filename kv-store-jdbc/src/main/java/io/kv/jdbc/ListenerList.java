package io.kv.jdbc;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.Subscription;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registered listeners, copy-on-write: publishing takes no lock. What a listener throws is logged
 * (events carry no value) and skipped. Thread-safe.
 */
final class ListenerList {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerList.class);

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

  private static final Sub[] NONE = {};

  private volatile Sub[] subs = NONE;

  Subscription add(ChangeFilter filter, ChangeListener listener) {
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

  boolean isEmpty() {
    return subs.length == 0;
  }

  /** Publishes {@code events} in order to every listener whose filter matches. */
  void publish(List<ChangeEvent> events) {
    if (subs.length == 0) {
      return;
    }
    for (ChangeEvent event : events) {
      publish(event);
    }
  }

  void publish(ChangeEvent event) {
    for (Sub sub : subs) {
      if (sub.filter.matches(event)) {
        try {
          sub.listener.onChange(event);
        } catch (RuntimeException e) {
          LOG.warn("change listener failed on {} of '{}/{}' version {}",
              event.type(), event.namespace(), event.key(), event.version(), e);
        }
      }
    }
  }
}
