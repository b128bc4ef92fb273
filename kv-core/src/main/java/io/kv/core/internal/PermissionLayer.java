package io.kv.core.internal;

import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.Page;
import io.kv.PermissionDeniedException;
import io.kv.Principal;
import io.kv.Subscription;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.Permission;
import io.kv.core.PermissionPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The permission layer: checks every operation against a {@link PermissionPolicy} for the
 * principal of this view, before it delegates, and denies by default. A denied call throws
 * {@link PermissionDeniedException} and changes nothing. {@link Permission} lists which
 * permission each operation needs.
 *
 * <ul>
 *   <li>A bulk call is checked on every key before anything is delegated: one denied key denies
 *       the whole call. A bulk call naming no key asks for the permission on the namespace as a
 *       whole (an empty key).
 *   <li>A listing needs {@code kv-namespace:read} and then shows only the entries the principal
 *       may read ({@code kv-entry:read} on each key), still in full pages with exact {@link
 *       Page#hasMore()}; its cursors are this layer's own.
 *   <li>A count needs {@code kv-namespace:read} and counts only the entries the principal may
 *       read: the count of the layer below when {@code kv-entry:read} holds for the namespace as
 *       a whole, else a walk through the namespace's keys (one listing page per {@value
 *       io.kv.ListOptions#MAX_LIMIT} entries).
 *   <li>{@code namespaces().list()} shows only the namespaces the principal may read.
 *   <li>A listener receives only the events for keys its subscriber may read, checked when each
 *       event is delivered.
 * </ul>
 *
 * <p>Thread-safe: the layer is immutable, and the policy must be thread-safe. What the policy
 * throws reaches the caller, and the call is not delegated.
 */
public final class PermissionLayer extends StackLayer {
  private final PermissionPolicy policy;
  /** {@link #policy} as it answers {@link #principal}, asked every call of this view. */
  private final PermissionPolicy own;
  private final Principal principal;
  private final Namespaces namespaces;

  /**
   * A permission layer over {@code delegate}.
   *
   * @param delegate the next layer down
   * @param policy who may do what
   * @throws NullPointerException if an argument is null
   */
  public PermissionLayer(KvStore delegate, PermissionPolicy policy) {
    super(delegate);
    this.policy = Objects.requireNonNull(policy, "policy");
    this.principal = delegate().principal();
    this.own = Objects.requireNonNull(policy.forPrincipal(principal), "policy.forPrincipal");
    this.namespaces = new CheckedNamespaces(delegate().namespaces());
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new PermissionLayer(delegate, policy);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Entry> get(String namespace, String key) {
    require(Permission.ENTRY_READ, namespace, key);
    return delegate().get(namespace, key);
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    requireEach(Permission.ENTRY_READ, namespace, keys);
    return delegate().getAll(namespace, keys);
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    require(Permission.ENTRY_READ, namespace, key);
    return delegate().history(namespace, key);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    Objects.requireNonNull(options, "options");
    require(Permission.NAMESPACE_READ, namespace, null);
    return FilteredListing.list(delegate(), namespace, options, e -> allows(Permission.ENTRY_READ, namespace, e.key()));
  }

  /**
   * Counts what a listing would show this principal. A principal who may read every key of the
   * namespace gets the count of the layer below; any other is counted by paging through the
   * namespace and asking the policy about each key, so a count never reveals how many entries
   * the principal cannot see.
   */
  @Override
  public long count(String namespace) {
    require(Permission.NAMESPACE_READ, namespace, null);
    if (allows(Permission.ENTRY_READ, namespace, null)) {
      return delegate().count(namespace);
    }
    long readable = 0;
    ListOptions page = ListOptions.all().limit(ListOptions.MAX_LIMIT);
    while (true) {
      Page p = delegate().list(namespace, page);
      for (Entry e : p.entries()) {
        if (allows(Permission.ENTRY_READ, namespace, e.key())) {
          readable++;
        }
      }
      if (p.nextCursor().isEmpty()) {
        return readable;
      }
      page = page.after(p.nextCursor().get());
    }
  }

  // ---------------------------------------------------------------- writes

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    require(Permission.ENTRY_WRITE, namespace, key);
    return delegate().put(namespace, key, value, options);
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    require(Permission.ENTRY_WRITE, namespace, key);
    return delegate().create(namespace, key, value, options);
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    require(Permission.ENTRY_WRITE, namespace, key);
    return delegate().update(namespace, key, value, options);
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    require(Permission.ENTRY_WRITE, namespace, key);
    return delegate().compareAndSet(namespace, key, expectedVersion, value, options);
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    Objects.requireNonNull(values, "values");
    requireEach(Permission.ENTRY_WRITE, namespace, values.keySet());
    return delegate().putAll(namespace, values, options);
  }

  /**
   * Requires, before anything is written, ENTRY_READ on every compared key (a compare reveals
   * its version), ENTRY_WRITE on every key put, created or updated, and ENTRY_DELETE on every key
   * deleted.
   */
  @Override
  public TransactionResult commit(String namespace, Transaction transaction) {
    Objects.requireNonNull(transaction, "transaction");
    for (Transaction.Compare c : transaction.compares()) {
      require(Permission.ENTRY_READ, namespace, c.key());
    }
    for (Transaction.Write w : transaction.writes()) {
      require(w.kind() == Transaction.Write.Kind.DELETE ? Permission.ENTRY_DELETE : Permission.ENTRY_WRITE, namespace,
          w.key());
    }
    return delegate().commit(namespace, transaction);
  }

  @Override
  public boolean delete(String namespace, String key) {
    require(Permission.ENTRY_DELETE, namespace, key);
    return delegate().delete(namespace, key);
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    require(Permission.ENTRY_DELETE, namespace, key);
    delegate().deleteIfVersion(namespace, key, expectedVersion);
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    requireEach(Permission.ENTRY_DELETE, namespace, keys);
    return delegate().deleteAll(namespace, keys);
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    require(Permission.SECRET_ROTATE, namespace, key);
    return delegate().rotate(namespace, key, value, options);
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    require(Permission.SECRET_ROTATE, namespace, key);
    return delegate().rollback(namespace, key, toVersion, options);
  }

  // ---------------------------------------------------------------- the rest

  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    return delegate().subscribe(filter, readable(listener));
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, long fromRevision, ChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    return delegate().subscribe(filter, fromRevision, readable(listener));
  }

  /** {@code listener}, told only of the changes this view's principal may read. */
  private ChangeListener readable(ChangeListener listener) {
    Principal subscriber = principal;
    return event -> {
      if (own.allows(subscriber, Permission.ENTRY_READ, event.namespace(), Optional.of(event.key()))) {
        listener.onChange(event);
      }
    };
  }

  @Override
  public String toString() {
    return "PermissionLayer[" + policy + "] -> " + delegate();
  }

  // ---------------------------------------------------------------- checks

  private boolean allows(Permission permission, String namespace, String key) {
    // The test spelled out here rather than Optional.ofNullable's: its outcome at this call site
    // alone is what the JIT sees, so for a policy it inlines the Optional needs no allocation.
    Optional<String> k = key == null ? Optional.empty() : Optional.of(key);
    return own.allows(principal, permission, namespace, k);
  }

  /** Checks one permission; {@code key} is null for the namespace as a whole. */
  private void require(Permission permission, String namespace, String key) {
    Objects.requireNonNull(namespace, "namespace");
    if (permission.appliesToKeys()) {
      Objects.requireNonNull(key, "key");
    }
    if (!allows(permission, namespace, key)) {
      throw denied(permission, namespace, key);
    }
  }

  /** Checks every key before anything is delegated, so that a denied key leaves everything as it was. */
  private void requireEach(Permission permission, String namespace, Collection<String> keys) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      if (!allows(permission, namespace, null)) {
        throw denied(permission, namespace, null);
      }
      return;
    }
    for (String key : keys) {
      require(permission, namespace, key);
    }
  }

  private PermissionDeniedException denied(Permission permission, String namespace, String key) {
    return new PermissionDeniedException(principal, permission.id(), namespace, key);
  }

  /** Namespace administration, checked with the {@code kv-namespace:*} permissions. */
  private final class CheckedNamespaces extends ForwardingNamespaces {
    CheckedNamespaces(Namespaces delegate) {
      super(delegate);
    }

    @Override
    public Namespace create(String name, NamespaceSettings settings) {
      require(Permission.NAMESPACE_WRITE, name, null);
      return delegate().create(name, settings);
    }

    @Override
    public Optional<Namespace> get(String name) {
      require(Permission.NAMESPACE_READ, name, null);
      return delegate().get(name);
    }

    @Override
    public List<Namespace> list() {
      List<Namespace> visible = new ArrayList<>();
      for (Namespace n : delegate().list()) {
        if (allows(Permission.NAMESPACE_READ, n.name(), null)) {
          visible.add(n);
        }
      }
      return List.copyOf(visible);
    }

    @Override
    public Namespace update(String name, NamespaceSettings settings) {
      require(Permission.NAMESPACE_WRITE, name, null);
      return delegate().update(name, settings);
    }

    @Override
    public boolean delete(String name, DeleteMode mode) {
      require(Permission.NAMESPACE_DELETE, name, null);
      return delegate().delete(name, mode);
    }
  }
}
