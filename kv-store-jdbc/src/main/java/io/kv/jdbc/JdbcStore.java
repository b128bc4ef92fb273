package io.kv.jdbc;

import io.kv.Capabilities;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.ListOptions;
import io.kv.Namespaces;
import io.kv.Page;
import io.kv.Principal;
import io.kv.Subscription;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.jdbc.EntryWrites.Condition;
import io.kv.spi.EntryChecks;
import io.kv.spi.Features;
import io.kv.spi.ListingCursor;
import io.kv.spi.RestoreInput;
import io.kv.spi.TransactionChecks;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The JDBC store as seen by one principal: the contract's operations, each checking its input
 * and handing it to {@link Reads}, {@link EntryWrites}, {@link Rewrites} or {@link Restores}.
 * See {@link JdbcKvStore} for the guarantees. Thread-safe.
 */
final class JdbcStore implements JdbcKvStore {
  private static final Capabilities CAPABILITIES = new Capabilities(true, true, true);

  private final StoreState state;
  private final Db db;
  private final Principal principal;
  private final JdbcNamespaces namespaces;
  private final EntryWrites writes;
  private final boolean root;

  private JdbcStore(StoreState state, Principal principal, boolean root) {
    this.state = state;
    this.db = state.db;
    this.principal = principal;
    this.namespaces = new JdbcNamespaces(state, principal);
    this.writes = new EntryWrites(state, principal);
    this.root = root;
  }

  static JdbcKvStore open(Config config) {
    return new JdbcStore(StoreState.open(config), Principal.ANONYMOUS, true);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Entry> get(String namespace, String key) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    return state.reads.get(namespace, key);
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    state.limits.checkNamespace(namespace);
    LinkedHashSet<String> unique = EntryChecks.keys(state.limits, keys);
    if (unique.isEmpty()) {
      return Map.of();
    }
    Map<String, Entry> found = state.reads.getAll(namespace, unique);
    Map<String, Entry> ordered = new LinkedHashMap<>();
    for (String key : unique) {
      Entry e = found.get(key);
      if (e != null) {
        ordered.put(key, e);
      }
    }
    return Collections.unmodifiableMap(ordered);
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    state.limits.checkNamespace(namespace);
    Objects.requireNonNull(options, "options");
    String prefix = options.prefix();
    state.limits.checkPrefix(prefix);
    Optional<String> after = options.cursor().map(c -> ListingCursor.keyOf(c, prefix));
    int limit = options.limit();
    // One row past the page says whether another page follows.
    Reads.Listing listing = state.reads.list(namespace, prefix, Codec.upperBound(prefix), after, limit + 1);
    List<Entry> rows = listing.rows();
    long revision = listing.revision();
    if (rows.size() > limit) {
      List<Entry> page = rows.subList(0, limit);
      return new Page(page, Optional.of(ListingCursor.after(page.get(limit - 1).key())), revision);
    }
    return new Page(rows, Optional.empty(), revision);
  }

  @Override
  public long count(String namespace) {
    state.limits.checkNamespace(namespace);
    return state.reads.count(namespace);
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    return state.reads.history(namespace, key);
  }

  // ---------------------------------------------------------------- single writes

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    EntryChecks.write(state.limits, namespace, key, value, options);
    return writes.write(namespace, key, value, options, Condition.NONE, 0, ChangeType.UPDATED);
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    EntryChecks.write(state.limits, namespace, key, value, options);
    return writes.write(namespace, key, value, options, Condition.ABSENT, 0, ChangeType.UPDATED);
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    EntryChecks.write(state.limits, namespace, key, value, options);
    return writes.write(namespace, key, value, options, Condition.PRESENT, 0, ChangeType.UPDATED);
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    EntryChecks.write(state.limits, namespace, key, value, options);
    return writes.write(namespace, key, value, options, Condition.PRESENT, 0, ChangeType.ROTATED);
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    EntryChecks.write(state.limits, namespace, key, value, options);
    EntryChecks.version(expectedVersion, "expectedVersion");
    return writes.write(namespace, key, value, options, Condition.VERSION, expectedVersion, ChangeType.UPDATED);
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    state.limits.checkOptions(options);
    EntryChecks.version(toVersion, "toVersion");
    return writes.write(namespace, key, null, options, Condition.HISTORY, toVersion, ChangeType.ROLLED_BACK);
  }

  @Override
  public boolean delete(String namespace, String key) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    return writes.remove(namespace, key, 0);
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    EntryChecks.version(expectedVersion, "expectedVersion");
    writes.remove(namespace, key, expectedVersion);
  }

  // ---------------------------------------------------------------- bulk writes

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    state.limits.checkNamespace(namespace);
    Objects.requireNonNull(values, "values");
    state.limits.checkOptions(options);
    EntryChecks.batchSize(values.size());
    for (Map.Entry<String, Value> e : values.entrySet()) {
      state.limits.checkKey(e.getKey());
      state.limits.checkValue(e.getValue());
    }
    if (values.isEmpty()) {
      return Map.of();
    }
    return writes.putAll(namespace, values, options);
  }

  @Override
  public TransactionResult commit(String namespace, Transaction transaction) {
    TransactionChecks.inputs(state.limits, namespace, transaction);
    return writes.commit(namespace, transaction);
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    state.limits.checkNamespace(namespace);
    LinkedHashSet<String> unique = EntryChecks.keys(state.limits, keys);
    if (unique.isEmpty()) {
      return 0;
    }
    return writes.deleteAll(namespace, unique);
  }

  // ---------------------------------------------------------------- rewriting stored values

  @Override
  public int rewriteValues(String namespace, String key, UnaryOperator<Value> rewrite) {
    state.limits.checkNamespace(namespace);
    state.limits.checkKey(key);
    Objects.requireNonNull(rewrite, "rewrite");
    return Rewrites.rewrite(state, namespace, key, rewrite);
  }

  // ---------------------------------------------------------------- restoring entries as given

  @Override
  public void restore(Entry entry, List<VersionRecord> history) {
    Restores.restore(state, principal, RestoreInput.check(state.limits, principal, entry, history));
  }

  // ---------------------------------------------------------------- the rest

  /** For tests in this package. */
  StoreState state() {
    return state;
  }

  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    return state.listeners.add(filter, listener);
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, long fromRevision, ChangeListener listener) {
    return state.revisions.subscribe(filter, fromRevision, listener);
  }

  @Override
  public long revision() {
    return state.revisions.settled();
  }

  @Override
  public JdbcKvStore as(Principal principal) {
    Objects.requireNonNull(principal, "principal");
    return new JdbcStore(state, principal, false);
  }

  @Override
  public Principal principal() {
    return principal;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  /** Offers {@link io.kv.ValueRewriter} and {@link io.kv.EntryRestorer}, acting for this view's principal. */
  @Override
  public <T> Optional<T> feature(Class<T> type) {
    return Features.of(type, this);
  }

  @Override
  public long expiredEntriesDeleted() {
    return state.sweeper.expiredDeleted();
  }

  @Override
  public ClockSkew clockSkew() {
    return state.clock.skew();
  }

  @Override
  public java.time.Clock clock() {
    return state.clock;
  }

  @Override
  public Dialect dialect() {
    return db.dialect;
  }

  @Override
  public String instanceId() {
    return state.config.instanceId();
  }

  @Override
  public String tablePrefix() {
    return state.config.tablePrefix();
  }

  @Override
  public Optional<String> schema() {
    return Optional.ofNullable(state.config.schema());
  }

  @Override
  public int purgeExpired() {
    return state.sweeper.sweepAll();
  }

  @Override
  public void compact() {
    state.sweeper.compact();
  }

  @Override
  public void close() {
    if (root) {
      state.close();
    }
  }

  @Override
  public String toString() {
    return "JdbcKvStore[" + db.dialect + ", tables=" + db.entries + ", principal=" + principal.name() + "]";
  }
}
