package io.kv.jdbc;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.KvStore;
import io.kv.Subscription;
import io.kv.spi.ChangeListeners;
import io.kv.spi.NamespaceWatchers;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The change events a near-cached store delivers: its own store's and, with a {@link ChangeFeed},
 * the other instances', merged per key in version order by an {@link EventSequencer}. Each event
 * first drops its key from the cache, and each namespace change, local or remote, drops what the
 * cache holds of the namespace before namespace watchers hear of it.
 *
 * <p>The feed and the store's namespace watch are followed from {@link #start}; the store's own
 * events only once someone {@link #subscribe subscribes}, since an unwatched event stream would
 * cost every write a delivery. Thread-safe; one instance is shared by a cached store and all its
 * views.
 */
final class NearCacheEvents {
  private final KvStore root;
  private final NearCacheEntries cache;
  private final ChangeFeed feed;
  private final ChangeListeners listeners = new ChangeListeners();
  private final EventSequencer sequencer = new EventSequencer(listeners);
  private final NamespaceWatchers namespaceWatchers = new NamespaceWatchers();
  private Optional<Subscription> localNamespaces = Optional.empty();
  private Subscription remoteEvents;
  private Subscription remoteNamespaces;
  // Guarded by this.
  private Subscription localEvents;
  private boolean closed;

  /**
   * @param root the store whose own changes are delivered
   * @param feed the other instances' changes, or null for none
   */
  private NearCacheEvents(KvStore root, NearCacheEntries cache, ChangeFeed feed) {
    this.root = root;
    this.cache = cache;
    this.feed = feed;
  }

  /** Events for {@code root}'s cache, following its namespace changes and the feed at once. */
  static NearCacheEvents start(KvStore root, NearCacheEntries cache, ChangeFeed feed) {
    NearCacheEvents events = new NearCacheEvents(root, cache, feed);
    events.localNamespaces = root.namespaces().watch(events::onNamespaceChanged);
    if (feed != null) {
      events.remoteEvents = feed.subscribe(ChangeFilter.all(), events::onRemote);
      events.remoteNamespaces = feed.watchNamespaces(events::onNamespaceChanged);
    }
    return events;
  }

  /** Delivers the merged events {@code filter} accepts to {@code listener}. */
  Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    Subscription sub = listeners.add(filter, listener);
    synchronized (this) {
      if (localEvents == null && !closed) {
        localEvents = root.subscribe(ChangeFilter.all(), this::onLocal);
      }
    }
    return sub;
  }

  /** Tells {@code listener} the name of each namespace that changes, here or on another instance. */
  Optional<Subscription> watchNamespaces(Consumer<String> listener) {
    return namespaceWatchers.add(listener);
  }

  /** A namespace's declaration changed, here or on another instance: drop what depends on it. */
  private void onNamespaceChanged(String namespace) {
    cache.invalidateNamespace(namespace);
    namespaceWatchers.changed(namespace);
  }

  private void onLocal(ChangeEvent event) {
    cache.invalidate(event.namespace(), event.key());
    sequencer.local(event);
  }

  private void onRemote(ChangeEvent event) {
    cache.invalidate(event.namespace(), event.key());
    sequencer.remote(event);
  }

  /**
   * Marks the events closed, so no later {@link #subscribe} follows the store; call {@link #close}
   * next.
   *
   * @return false if an earlier call already did
   */
  synchronized boolean beginClose() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  /** After {@link #beginClose}: stops following the store and the feed, and closes the feed. */
  void close() {
    Subscription local;
    synchronized (this) {
      local = localEvents;
    }
    if (local != null) {
      local.close();
    }
    localNamespaces.ifPresent(Subscription::close);
    if (remoteEvents != null) {
      remoteEvents.close();
      remoteNamespaces.close();
      feed.close();
    }
  }
}
