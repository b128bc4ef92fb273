package io.kv.core.internal;

import io.kv.Capabilities;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespaces;
import io.kv.Page;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Encrypts the values of secret namespaces ({@link io.kv.NamespaceSettings#secret()}) before they
 * reach the layers below, and decrypts them on the way back, with {@link ValueCipher}
 * (AES-256-GCM, namespace and key bound as associated data, key id in the envelope). Below this
 * layer a secret value is a {@link io.kv.ValueType#BINARY} envelope; above it, every read
 * ({@link #get}, {@link #getAll}, {@link #list}, {@link #history}) and the entry every write
 * returns carry the original typed value. Values of other namespaces pass untouched, and so does
 * everything that is not a value: versions, timestamps, metadata, tags, events.
 *
 * <p>Whether a namespace is secret comes from the stack's {@link NamespaceCatalog}, which keeps
 * declarations in memory, so no call reads a declaration from the backend. {@link #namespaces()} refuses to flip the flag of a namespace
 * that holds entries ({@link SecretFlagGuard}).
 *
 * <p>A value that cannot be decrypted (altered, moved to another key or namespace, sealed under a
 * key id the ring lacks) fails the read with {@link io.kv.DecryptionException}; a bulk read or a
 * listing fails as a whole rather than leave the entry out. {@link #rollback} copies the stored
 * envelope of the old version, which still opens, since the associated data binds namespace and
 * key, not version; it opens that envelope before the backend writes, so a version this ring
 * cannot open fails the rollback and changes nothing.
 *
 * <p>The envelope is larger than the value: 31 bytes (header, IV, tag) plus the length of the key
 * id, at most {@link ValueCipher#MAX_OVERHEAD} (95). The backend's value size limit must leave that
 * room above the limit the limits layer checks, or the backend refuses a secret value just under
 * that limit (with an {@link io.kv.InvalidInputException} on field {@code "value"} that counts the
 * envelope's bytes).
 *
 * <p>Thread-safe. Views made by {@link #as} share the cipher and the fence.
 */
public final class EncryptionLayer extends StackLayer {
  private final ValueCipher cipher;
  /** Read-held by every write from reading the secret flag to the write's end; see {@link SecretFlagGuard}. */
  private final ReentrantReadWriteLock fence;
  private final Namespaces namespaces;
  private final NamespaceCatalog catalog;
  private final UnaryOperator<Namespaces> below;
  private final boolean ownsCatalog;

  /**
   * Encrypts secret namespaces of {@code delegate} with {@code keys}: new values under the
   * primary key, reads under any key of the ring. Reads the secret flag from the delegate on
   * every call; a stack passes its catalog instead.
   *
   * @throws NullPointerException if an argument is null
   */
  public EncryptionLayer(KvStore delegate, KeyMaterial keys) {
    this(delegate, keys, NamespaceCatalog.direct(delegate.namespaces()));
  }

  /**
   * Encrypts secret namespaces of {@code delegate} with {@code keys}, learning which namespaces
   * are secret from {@code catalog}.
   *
   * @throws NullPointerException if an argument is null
   */
  public EncryptionLayer(KvStore delegate, KeyMaterial keys, NamespaceCatalog catalog) {
    this(delegate, new ValueCipher(keys), new ReentrantReadWriteLock(), Objects.requireNonNull(catalog, "catalog"),
        UnaryOperator.identity(), false);
  }

  /**
   * The bottom layer of a stack: as {@link #EncryptionLayer(KvStore, KeyMaterial,
   * NamespaceCatalog)}, and it also does what a {@link CatalogLayer} would below it, without the
   * extra layer on every get: the namespace administration it guards is {@code below} applied to
   * the delegate's (the catalog's invalidation and the administration-only decorations), and
   * {@link #close()} closes {@code catalog}.
   *
   * @throws NullPointerException if an argument is null
   */
  public EncryptionLayer(KvStore delegate, KeyMaterial keys, NamespaceCatalog catalog, UnaryOperator<Namespaces> below) {
    this(delegate, new ValueCipher(keys), new ReentrantReadWriteLock(), Objects.requireNonNull(catalog, "catalog"),
        Objects.requireNonNull(below, "below"), true);
  }

  private EncryptionLayer(KvStore delegate, ValueCipher cipher, ReentrantReadWriteLock fence, NamespaceCatalog catalog,
      UnaryOperator<Namespaces> below, boolean ownsCatalog) {
    super(delegate);
    this.cipher = cipher;
    this.fence = fence;
    this.catalog = catalog;
    this.below = below;
    this.ownsCatalog = ownsCatalog;
    this.namespaces = new SecretFlagGuard(
        Objects.requireNonNull(below.apply(delegate().namespaces()), "namespaces below"), delegate, fence);
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new EncryptionLayer(delegate, cipher, fence, catalog, below, false);
  }

  /** Closes the catalog if this layer owns it (not a principal view), then the delegate(). */
  @Override
  public void close() {
    try {
      if (ownsCatalog) {
        catalog.close();
      }
    } finally {
      delegate().close();
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Entry> get(String namespace, String key) {
    Optional<Entry> e = delegate().get(namespace, key);
    // The flag first: for a plain namespace the result goes back untouched. Asking it whether it
    // is empty would read the Optional, a memory access the backend may have taken care to avoid
    // (the memory store hands out an Optional it built at write time), and a cache miss per read.
    if (!isSecret(namespace)) {
      return e;
    }
    return e.isPresent() ? Optional.of(open(e.get())) : e;
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    Map<String, Entry> found = delegate().getAll(namespace, keys);
    if (found.isEmpty() || !isSecret(namespace)) {
      return found;
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    found.forEach((k, e) -> out.put(k, open(e)));
    return Collections.unmodifiableMap(out);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    Page page = delegate().list(namespace, options);
    if (page.entries().isEmpty() || !isSecret(namespace)) {
      return page;
    }
    List<Entry> entries = new ArrayList<>(page.entries().size());
    for (Entry e : page.entries()) {
      entries.add(open(e));
    }
    return new Page(entries, page.nextCursor(), page.revision());
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    List<VersionRecord> records = delegate().history(namespace, key);
    if (records.isEmpty() || !isSecret(namespace)) {
      return records;
    }
    List<VersionRecord> out = new ArrayList<>(records.size());
    for (VersionRecord r : records) {
      out.add(new VersionRecord(
          r.version(), cipher.decrypt(namespace, key, r.value()), r.change(), r.changedBy(), r.changedAt(), r.reason()));
    }
    return Collections.unmodifiableList(out);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, value, v -> delegate().put(namespace, key, v, options));
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, value, v -> delegate().create(namespace, key, v, options));
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, value, v -> delegate().update(namespace, key, v, options));
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    return write(namespace, key, value, v -> delegate().compareAndSet(namespace, key, expectedVersion, v, options));
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    return write(namespace, key, value, v -> delegate().rotate(namespace, key, v, options));
  }

  /**
   * Opens the stored envelope of {@code toVersion} before the backend copies it to a new version:
   * a version this ring cannot open (sealed under a key it lacks, or altered) fails the call with
   * {@link io.kv.DecryptionException} while the entry is still as it was, instead of after the
   * backend wrote it.
   */
  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    Lock lock = fence.readLock();
    lock.lock();
    try {
      if (!isSecret(namespace)) {
        return delegate().rollback(namespace, key, toVersion, options);
      }
      Optional<VersionRecord> target = toVersion > 0
          ? delegate().history(namespace, key).stream().filter(r -> r.version() == toVersion).findFirst()
          : Optional.empty();
      // Absent from history: the backend refuses the rollback with the contract's error and writes nothing.
      Optional<Value> opened = target.map(r -> cipher.decrypt(namespace, key, r.value()));
      Entry e = delegate().rollback(namespace, key, toVersion, options);
      // The backend copied the envelope just opened, unless the entry was deleted and written up
      // to that version again meanwhile; only then is there anything left to open.
      return opened.isPresent() && e.value().equals(target.get().value()) ? withValue(e, opened.get()) : open(e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    Objects.requireNonNull(values, "values");
    Lock lock = fence.readLock();
    lock.lock();
    try {
      if (!isSecret(namespace)) {
        return delegate().putAll(namespace, values, options);
      }
      Map<String, Value> sealed = new LinkedHashMap<>();
      for (Map.Entry<String, Value> e : values.entrySet()) {
        sealed.put(e.getKey(), cipher.encrypt(namespace, e.getKey(), e.getValue()));
      }
      Map<String, Entry> written = delegate().putAll(namespace, sealed, options);
      Map<String, Entry> out = new LinkedHashMap<>();
      written.forEach((k, e) -> out.put(k, withValue(e, values.get(k))));
      return Collections.unmodifiableMap(out);
    } finally {
      lock.unlock();
    }
  }

  /**
   * In a secret namespace, seals the value of every write, each bound to its own key, and returns
   * the written entries with the values as given.
   */
  @Override
  public TransactionResult commit(String namespace, Transaction transaction) {
    Objects.requireNonNull(transaction, "transaction");
    Lock lock = fence.readLock();
    lock.lock();
    try {
      if (!isSecret(namespace)) {
        return delegate().commit(namespace, transaction);
      }
      TransactionResult stored =
          delegate().commit(namespace, transaction.withValues((key, value) -> cipher.encrypt(namespace, key, value)));
      Map<String, Value> given = new LinkedHashMap<>();
      for (Transaction.Write w : transaction.writes()) {
        if (w.value() != null) {
          given.put(w.key(), w.value());
        }
      }
      Map<String, Entry> out = new LinkedHashMap<>();
      stored.written().forEach((k, e) -> out.put(k, withValue(e, given.get(k))));
      return new TransactionResult(out, stored.deleted());
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code write} with the value as stored, and returns its entry with the value as given. */
  private Entry write(String namespace, String key, Value value, Function<Value, Entry> write) {
    Lock lock = fence.readLock();
    lock.lock();
    try {
      if (!isSecret(namespace)) {
        return write.apply(value);
      }
      return withValue(write.apply(cipher.encrypt(namespace, key, value)), value);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- the rest

  /** The delegate's, with secret values {@link Capabilities.SecretValues#ENCRYPTED encrypted}. */
  @Override
  public Capabilities capabilities() {
    return delegate().capabilities().withSecretValues(Capabilities.SecretValues.ENCRYPTED);
  }

  /** Namespace administration that refuses to flip the secret flag of a namespace holding entries. */
  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  private boolean isSecret(String namespace) {
    return catalog.secret(namespace);
  }

  private Entry open(Entry e) {
    return withValue(e, cipher.decrypt(e.namespace(), e.key(), e.value()));
  }

  private static Entry withValue(Entry e, Value value) {
    return new Entry(e.namespace(), e.key(), value, e.version(), e.createdAt(), e.updatedAt(), e.expiresAt(), e.metadata(), e.tags(),
        e.revision());
  }
}
