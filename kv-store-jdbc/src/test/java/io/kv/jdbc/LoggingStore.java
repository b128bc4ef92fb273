package io.kv.jdbc;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.ForwardingKvStore;
import io.kv.KvStore;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.spi.ChangeListeners;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * One simulated store instance until the JDBC store lands: entries live in a store shared by all
 * instances, each write through this instance adds a row with its instance id to the change log
 * (as the JDBC store does in the write's transaction), and its listeners hear its own writes only.
 */
final class LoggingStore extends ForwardingKvStore {
  private final ChangeLog log;
  private final String instanceId;
  private final ChangeListeners listeners = new ChangeListeners();

  LoggingStore(KvStore shared, ChangeLog log, String instanceId) {
    super(shared);
    this.log = log;
    this.instanceId = instanceId;
  }

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    Entry e = delegate().put(namespace, key, value, options);
    logged(e.version() == 1 ? ChangeType.CREATED : ChangeType.UPDATED, namespace, key, e.version());
    return e;
  }

  @Override
  public boolean delete(String namespace, String key) {
    Optional<Entry> before = delegate().get(namespace, key);
    boolean deleted = delegate().delete(namespace, key);
    if (deleted) {
      logged(ChangeType.DELETED, namespace, key, before.map(Entry::version).orElse(1L));
    }
    return deleted;
  }

  private void logged(ChangeType type, String namespace, String key, long version) {
    try {
      log.insert(instanceId, namespace, key, version, type);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    listeners.publish(new ChangeEvent(type, namespace, key, version, Instant.now(), principal()));
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    return listeners.add(filter, listener);
  }

  @Override
  public void close() {
    // The shared store outlives the instances.
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new LoggingStore(delegate, log, instanceId);
  }
}
