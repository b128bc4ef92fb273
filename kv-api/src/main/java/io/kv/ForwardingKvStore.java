package io.kv;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link KvStore} that forwards every call to another one, its {@linkplain #delegate()
 * delegate}: the base of a decorator that adds one concern (metrics, tracing, logging, a cache)
 * around a store. Subclass it, override the methods the concern touches, and call {@link
 * #delegate()} (or {@code super}) from them; every method not overridden forwards unchanged,
 * including methods that later versions add to {@link KvStore}.
 *
 * <pre>{@code
 * final class TimedStore extends ForwardingKvStore {
 *   private final Timer timer;
 *
 *   TimedStore(KvStore delegate, Timer timer) {
 *     super(delegate);
 *     this.timer = timer;
 *   }
 *
 *   protected KvStore over(KvStore view) {
 *     return new TimedStore(view, timer);
 *   }
 *
 *   public Optional<Entry> get(String namespace, String key) {
 *     return timer.record(() -> super.get(namespace, key));
 *   }
 * }
 * }</pre>

 *
 * <p>What forwards and what a subclass should know:
 * <ul>
 *   <li>{@link #as(Principal)} returns {@link #over} of the delegate's view for that principal,
 *       so the principal's view is decorated too; {@code over} builds this decorator, with the
 *       same configuration and shared state (meters, counters), over another store.
 *   <li>{@link #feature(Class)} forwards: a decorator that only observes keeps the backend's
 *       features ({@link ValueRewriter} for re-encryption, {@link EntryRestorer} for import)
 *       reachable. A decorator that changes what is written, or must see every write (a cache),
 *       overrides it: returns empty, or the delegate's feature wrapped.
 *   <li>{@link #close()} forwards: closing the decorator closes the store it wraps.
 *   <li>{@link #capabilities()}, {@link #namespaces()} and {@link #subscribe} forward; a
 *       decorator that changes namespaces or events wraps what they return.
 * </ul>
 *
 * <p>Thread safety: this class keeps no state of its own beyond the delegate, which never
 * changes, so it is as thread-safe as the delegate; a subclass must be thread-safe too, since
 * {@link KvStore} promises it.
 */
public abstract class ForwardingKvStore implements KvStore {
  private final KvStore delegate;

  /**
   * A decorator over {@code delegate}.
   *
   * @param delegate the store every method forwards to, never null
   * @throws NullPointerException if {@code delegate} is null
   */
  protected ForwardingKvStore(KvStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * The store this one forwards to; never null, never changes.
   *
   * @return the delegate given to the constructor
   */
  protected final KvStore delegate() {
    return delegate;
  }

  /**
   * This decorator, with the same configuration and shared state, over {@code view}: what {@link
   * #as(Principal)} returns for the delegate's view of a principal.
   *
   * @param view the store to decorate, never null
   * @return a new decorator over {@code view}
   */
  protected abstract KvStore over(KvStore view);

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
  public TransactionResult commit(String namespace, Transaction transaction) {
    return delegate.commit(namespace, transaction);
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
  public Subscription subscribe(ChangeFilter filter, long fromRevision, ChangeListener listener) {
    return delegate.subscribe(filter, fromRevision, listener);
  }

  @Override
  public long revision() {
    return delegate.revision();
  }

  /**
   * This decorator over the delegate's view for {@code principal}: {@link #over} applied to
   * {@code delegate().as(principal)}, so the view is decorated as this store is.
   */
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

  /** The delegate's feature of that type: a decorator that forwards offers what it wraps. */
  @Override
  public <T> Optional<T> feature(Class<T> type) {
    return delegate.feature(type);
  }

  /** Closes the delegate. */
  @Override
  public void close() {
    delegate.close();
  }

  /** The decorator's class and what it wraps; never a value. */
  @Override
  public String toString() {
    return getClass().getSimpleName() + " -> " + delegate;
  }
}
