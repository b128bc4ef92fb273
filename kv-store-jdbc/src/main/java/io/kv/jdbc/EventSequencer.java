package io.kv.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kv.ChangeEvent;
import io.kv.ChangeType;
import io.kv.spi.ChangeListeners;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges this instance's events with the other instances' into one stream, each key in version
 * order: a remote event is dropped when the last event delivered for its key is as new or newer.
 * A delete ends an entry's life and a later write starts it again at version 1, so after a
 * delete, a remote write is delivered when it happened at or after the delete.
 *
 * <p>Local events are always delivered: the store delivers them in order. What is remembered per
 * key is bounded (the most recently touched 100,000 keys, for one hour); a key forgotten accepts
 * the next remote event.
 *
 * <p>Thread-safe. Remote events come from the feed's one thread; the decision for one key is
 * atomic, delivery happens outside any lock.
 */
final class EventSequencer {
  private static final Logger LOG = LoggerFactory.getLogger(EventSequencer.class);

  /** The last event delivered for a key. */
  private record Last(long version, boolean removed, Instant at) {
    static Last of(ChangeEvent e) {
      return new Last(e.version(), isRemoval(e.type()), e.at());
    }
  }

  private final Cache<CacheKey, Last> last =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofHours(1)).build();
  private final ChangeListeners listeners;

  EventSequencer(ChangeListeners listeners) {
    this.listeners = listeners;
  }

  private static boolean isRemoval(ChangeType type) {
    return type == ChangeType.DELETED || type == ChangeType.EXPIRED;
  }

  void local(ChangeEvent event) {
    last.put(new CacheKey(event.namespace(), event.key()), Last.of(event));
    listeners.publish(event);
  }

  void remote(ChangeEvent event) {
    boolean[] accepted = new boolean[1];
    last.asMap().compute(new CacheKey(event.namespace(), event.key()), (k, prev) -> {
      if (accepts(prev, event)) {
        accepted[0] = true;
        return Last.of(event);
      }
      return prev;
    });
    if (accepted[0]) {
      listeners.publish(event);
    } else {
      LOG.debug("dropped remote {} of '{}/{}' version {}: not newer than the last delivered",
          event.type(), event.namespace(), event.key(), event.version());
    }
  }

  static boolean accepts(Last prev, ChangeEvent event) {
    if (prev == null) {
      return true;
    }
    if (isRemoval(event.type())) {
      return !prev.removed() && event.version() >= prev.version();
    }
    return prev.removed() ? !event.at().isBefore(prev.at()) : event.version() > prev.version();
  }
}
