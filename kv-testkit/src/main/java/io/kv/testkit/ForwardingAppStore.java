package io.kv.testkit;

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
 * A decorator as an application might write one around a kv store (to add metrics or tracing,
 * say): written against kv-api alone, forwarding every call, {@link #feature} included. Tests
 * wrap a store in it to check that kv treats the decorator as the store it wraps, asking for
 * capabilities and features instead of testing classes.
 *
 * <p>Thread-safe as far as the wrapped store is.
 */
public final class ForwardingAppStore implements KvStore {
  private final KvStore inner;

  /**
   * A decorator over {@code inner}.
   *
   * @param inner the store to forward to
   * @throws NullPointerException if {@code inner} is null
   */
  public ForwardingAppStore(KvStore inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  @Override
  public Optional<Entry> get(String namespace, String key) {
    return inner.get(namespace, key);
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    return inner.getAll(namespace, keys);
  }

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    return inner.put(namespace, key, value, options);
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    return inner.create(namespace, key, value, options);
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    return inner.update(namespace, key, value, options);
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    return inner.compareAndSet(namespace, key, expectedVersion, value, options);
  }

  @Override
  public boolean delete(String namespace, String key) {
    return inner.delete(namespace, key);
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    inner.deleteIfVersion(namespace, key, expectedVersion);
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    return inner.putAll(namespace, values, options);
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    return inner.deleteAll(namespace, keys);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    return inner.list(namespace, options);
  }

  @Override
  public long count(String namespace) {
    return inner.count(namespace);
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    return inner.rotate(namespace, key, value, options);
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    return inner.rollback(namespace, key, toVersion, options);
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    return inner.history(namespace, key);
  }

  @Override
  public Namespaces namespaces() {
    return inner.namespaces();
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    return inner.subscribe(filter, listener);
  }

  @Override
  public KvStore as(Principal principal) {
    return new ForwardingAppStore(inner.as(principal));
  }

  @Override
  public Principal principal() {
    return inner.principal();
  }

  @Override
  public Capabilities capabilities() {
    return inner.capabilities();
  }

  @Override
  public <T> Optional<T> feature(Class<T> type) {
    return inner.feature(type);
  }

  @Override
  public void close() {
    inner.close();
  }
}
