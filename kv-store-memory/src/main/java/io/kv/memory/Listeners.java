package io.kv.memory;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.ChangeType;
import io.kv.Principal;
import io.kv.Subscription;
import java.time.Instant;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered listeners of one store. Publishing with no listener allocates nothing. What a
 * listener throws is logged (without any value: events carry none) and swallowed.
 */
final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

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
    Sub sub = new Sub(filter, listener);
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

  void publish(ChangeType type, String namespace, String key, long version, long atMillis, Principal principal) {
    Sub[] cur = subs;
    if (cur.length == 0) {
      return;
    }
    ChangeEvent event = new ChangeEvent(type, namespace, key, version, Instant.ofEpochMilli(atMillis), principal);
    for (Sub sub : cur) {
      if (sub.filter.matches(event)) {
        try {
          sub.listener.onChange(event);
        } catch (RuntimeException e) {
          LOG.warn("change listener failed on {} of '{}/{}' version {}", type, namespace, key, version, e);
        }
      }
    }
  }
}
