package io.kv.jdbc;

import io.kv.Capabilities;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespaces;
import io.kv.Page;
import io.kv.Principal;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A test store that forwards every call to {@link #delegate}; tests override what they watch. */
abstract class ForwardingStore implements KvStore {
  /** The next layer down. */
  protected final KvStore delegate;

  /** A layer over {@code delegate}. */
  ForwardingStore(KvStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** This layer, with the same configuration and shared state, over another delegate. */
  protected abstract KvStore over(KvStore delegate);

  @Override
  public Optional<Entry> get(String namespace, String key) {
    return delegate.get(namespace, key);
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    return delegate.getAll(namespace, keys);
  }

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    return delegate.put(namespace, key, value, options);
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    return delegate.create(namespace, key, value, options);
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    return delegate.update(namespace, key, value, options);
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    return delegate.compareAndSet(namespace, key, expectedVersion, value, options);
  }

  @Override
  public boolean delete(String namespace, String key) {
    return delegate.delete(namespace, key);
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    delegate.deleteIfVersion(namespace, key, expectedVersion);
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    return delegate.putAll(namespace, values, options);
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    return delegate.deleteAll(namespace, keys);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    return delegate.list(namespace, options);
  }

  @Override
  public long count(String namespace) {
    return delegate.count(namespace);
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    return delegate.rotate(namespace, key, value, options);
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    return delegate.rollback(namespace, key, toVersion, options);
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    return delegate.history(namespace, key);
  }

  @Override
  public Namespaces namespaces() {
    return delegate.namespaces();
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    return delegate.subscribe(filter, listener);
  }

  @Override
  public KvStore as(Principal principal) {
    return over(delegate.as(principal));
  }

  @Override
  public Principal principal() {
    return delegate.principal();
  }

  @Override
  public Capabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + " -> " + delegate;
  }
}
