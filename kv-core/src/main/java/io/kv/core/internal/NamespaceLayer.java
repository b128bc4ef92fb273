package io.kv.core.internal;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.NotFoundException;
import io.kv.Page;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The namespaces layer: applies a namespace's {@link NamespaceSettings#defaultTtl() default TTL}
 * and, optionally, refuses entry operations on namespaces that were never declared.
 *
 * <h2>Default TTL</h2>
 * A write ({@code put}, {@code create}, {@code update}, {@code compareAndSet}, {@code putAll},
 * {@code rotate}, {@code rollback}) without a TTL of its own, to a declared namespace with a
 * default TTL, is passed down with that default as its TTL, so the entry expires the default
 * after the write. A write with its own TTL keeps it. The settings are read from the next layer's
 * {@link KvStore#namespaces()} at each write, so a changed default applies to later writes;
 * existing entries keep their expiry.
 *
 * <h2>Declared namespaces</h2>
 * When built to require declared namespaces, every entry operation (reads, listing, counting,
 * history, writes and deletes) on a namespace that {@link KvStore#namespaces()} does not know
 * throws {@link NotFoundException} naming the namespace, with an empty {@link
 * NotFoundException#key()}. Namespace administration is not affected. The check is made before
 * the operation, not atomically with it: an operation racing with the deletion of its namespace
 * may still act on it.
 *
 * <p>Thread-safe and stateless beyond its configuration.
 */
public final class NamespaceLayer extends ForwardingKvStore {
  private final boolean requireDeclared;

  /**
   * A namespaces layer over {@code delegate}.
   *
   * @param delegate the next layer down
   * @param requireDeclared whether entry operations on undeclared namespaces are refused
   * @throws NullPointerException if {@code delegate} is null
   */
  public NamespaceLayer(KvStore delegate, boolean requireDeclared) {
    super(delegate);
    this.requireDeclared = requireDeclared;
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new NamespaceLayer(delegate, requireDeclared);
  }

  // ---------------------------------------------------------------- writes: default TTL

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    return delegate.put(namespace, key, value, resolve(namespace, options));
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    return delegate.create(namespace, key, value, resolve(namespace, options));
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    return delegate.update(namespace, key, value, resolve(namespace, options));
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    return delegate.compareAndSet(namespace, key, expectedVersion, value, resolve(namespace, options));
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    return delegate.putAll(namespace, values, resolve(namespace, options));
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    return delegate.rotate(namespace, key, value, resolve(namespace, options));
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    return delegate.rollback(namespace, key, toVersion, resolve(namespace, options));
  }

  // ---------------------------------------------------------------- the rest: declared or not

  @Override
  public Optional<Entry> get(String namespace, String key) {
    checkDeclared(namespace);
    return delegate.get(namespace, key);
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    checkDeclared(namespace);
    return delegate.getAll(namespace, keys);
  }

  @Override
  public boolean delete(String namespace, String key) {
    checkDeclared(namespace);
    return delegate.delete(namespace, key);
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    checkDeclared(namespace);
    delegate.deleteIfVersion(namespace, key, expectedVersion);
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    checkDeclared(namespace);
    return delegate.deleteAll(namespace, keys);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    checkDeclared(namespace);
    return delegate.list(namespace, options);
  }

  @Override
  public long count(String namespace) {
    checkDeclared(namespace);
    return delegate.count(namespace);
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    checkDeclared(namespace);
    return delegate.history(namespace, key);
  }

  // ---------------------------------------------------------------- helpers

  private void checkDeclared(String namespace) {
    if (requireDeclared) {
      declaration(namespace);
    }
  }

  /** The declaration of {@code namespace}; empty, or thrown, when it is undeclared. */
  private Optional<Namespace> declaration(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    Optional<Namespace> d = delegate.namespaces().get(namespace);
    if (d.isEmpty() && requireDeclared) {
      throw new NotFoundException(namespace, null,
          "namespace '" + namespace + "' is not declared, and this store requires declared namespaces");
    }
    return d;
  }

  /** {@code options} with the namespace's default TTL when they set no TTL of their own. */
  private WriteOptions resolve(String namespace, WriteOptions options) {
    Objects.requireNonNull(options, "options");
    if (options.ttl().isPresent() && !requireDeclared) {
      return options;
    }
    Optional<Namespace> d = declaration(namespace);
    if (options.ttl().isPresent() || d.isEmpty()) {
      return options;
    }
    return d.get().settings().defaultTtl().map(options::withTtl).orElse(options);
  }
}
