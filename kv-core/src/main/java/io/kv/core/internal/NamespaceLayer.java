package io.kv.core.internal;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NotFoundException;
import io.kv.Page;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The namespaces layer: refuses entry operations on namespaces that were never declared. Every
 * entry operation (reads, listing, counting, history, writes, deletes, rotate and rollback) on a
 * namespace that the next layer's {@link KvStore#namespaces()} does not know throws {@link
 * NotFoundException} naming the namespace, with an empty {@link NotFoundException#key()}, before
 * anything is read or written. Namespace administration passes through, so a namespace is
 * declared through this layer as usual. The builder adds this layer only when declared
 * namespaces are required: without it, writing to an undeclared namespace behaves as a namespace
 * with {@link io.kv.NamespaceSettings#defaults()}, as the contract says.
 *
 * <p>A namespace's {@link io.kv.NamespaceSettings#defaultTtl() default TTL} is not applied here:
 * the contract makes every backend apply it ({@code NamespaceSettings.defaultTtl}: "every store
 * applies it"), atomically with the write and from the settings in force at that moment, so a
 * second application here would only cost a namespace lookup per write.
 *
 * <p>The check reads the stack's {@link NamespaceCatalog}, which keeps declarations in memory;
 * see there how soon a change made elsewhere is seen. It is made before the operation, not
 * atomically with it: an operation racing with the deletion of its namespace may still act on
 * it. Thread-safe.
 */
public final class NamespaceLayer extends StackLayer {
  private final NamespaceCatalog catalog;

  /**
   * A layer over {@code delegate} that requires declared namespaces, asking the delegate on every
   * operation; a stack passes its catalog instead.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public NamespaceLayer(KvStore delegate) {
    this(delegate, NamespaceCatalog.direct(delegate.namespaces()));
  }

  /**
   * A layer over {@code delegate} that requires namespaces declared in {@code catalog}.
   *
   * @throws NullPointerException if an argument is null
   */
  public NamespaceLayer(KvStore delegate, NamespaceCatalog catalog) {
    super(delegate);
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new NamespaceLayer(delegate, catalog);
  }

  @Override
  public Optional<Entry> get(String namespace, String key) {
    requireDeclared(namespace);
    return delegate().get(namespace, key);
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    requireDeclared(namespace);
    return delegate().getAll(namespace, keys);
  }

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    requireDeclared(namespace);
    return delegate().put(namespace, key, value, options);
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    requireDeclared(namespace);
    return delegate().create(namespace, key, value, options);
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    requireDeclared(namespace);
    return delegate().update(namespace, key, value, options);
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    requireDeclared(namespace);
    return delegate().compareAndSet(namespace, key, expectedVersion, value, options);
  }

  @Override
  public boolean delete(String namespace, String key) {
    requireDeclared(namespace);
    return delegate().delete(namespace, key);
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    requireDeclared(namespace);
    delegate().deleteIfVersion(namespace, key, expectedVersion);
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    requireDeclared(namespace);
    return delegate().putAll(namespace, values, options);
  }

  @Override
  public TransactionResult commit(String namespace, Transaction transaction) {
    requireDeclared(namespace);
    return delegate().commit(namespace, transaction);
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    requireDeclared(namespace);
    return delegate().deleteAll(namespace, keys);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    requireDeclared(namespace);
    return delegate().list(namespace, options);
  }

  @Override
  public long count(String namespace) {
    requireDeclared(namespace);
    return delegate().count(namespace);
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    requireDeclared(namespace);
    return delegate().rotate(namespace, key, value, options);
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    requireDeclared(namespace);
    return delegate().rollback(namespace, key, toVersion, options);
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    requireDeclared(namespace);
    return delegate().history(namespace, key);
  }

  /**
   * @throws NullPointerException if {@code namespace} is null
   * @throws io.kv.InvalidInputException if it is not a valid namespace name
   * @throws NotFoundException if it is not declared
   */
  private void requireDeclared(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (!catalog.declared(namespace)) {
      throw new NotFoundException(namespace, null,
          "namespace '" + namespace + "' is not declared, and this store requires declared namespaces");
    }
  }
}
