package io.kv.core.internal;

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

/**
 * The base of every layer: forwards each call to {@link #delegate}. A layer overrides what its
 * concern touches and nothing else.
 *
 * <p>{@link #as(Principal)} rebuilds the layer over the delegate's view for that principal
 * through {@link #over(KvStore)}, so every layer of a view sees the same principal through
 * {@link #principal()}; state a layer keeps across principals (an audit sink, rate buckets) is
 * passed on to the copy. {@link #feature} is the one method that does not forward.
 */
public abstract class ForwardingKvStore implements KvStore {
  /** The next layer down. */
  protected final KvStore delegate;

  /** A layer over {@code delegate}. */
  protected ForwardingKvStore(KvStore delegate) {
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

  /**
   * None: a layer offers no feature of the store beneath it. {@link io.kv.ValueRewriter} and
   * {@link io.kv.EntryRestorer} write straight into the backend, past what the layer does
   * (encrypting, auditing, checking permissions and limits), so reaching them through a stack
   * would skip the stack. Re-encryption and an exact import take the backend itself.
   */
  @Override
  public <T> Optional<T> feature(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return Optional.empty();
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
