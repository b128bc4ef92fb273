package io.kv;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A key-value store: typed values under hierarchical keys, grouped in namespaces, with versions,
 * TTLs, prefix listing, bulk operations, history and change events.
 *
 * <h2>Keys and namespaces</h2>
 * A key is a {@code /}-separated path such as {@code config/database/host}; every entry lives in
 * a namespace. {@link InputRules} states the rules both must follow; a store throws {@link
 * InvalidInputException} for input that breaks them, before anything is changed.
 *
 * <h2>Versions</h2>
 * An entry is created at version 1 and every write adds one. {@link #compareAndSet} and {@link
 * #deleteIfVersion} act only when the entry still has the version the caller read: of two
 * writers racing from one version, exactly one wins and the other gets a {@link
 * VersionConflictException}. Every write returns the entry as written, with its new version and
 * timestamps. Deleting an entry deletes its history too; writing it again starts again at
 * version 1.
 *
 * <h2>Expiry</h2>
 * A write may set a TTL ({@link WriteOptions#ttl}); a write that sets none takes its namespace's
 * {@link NamespaceSettings#defaultTtl() default TTL}, if any; both are whole milliseconds from 1 ms
 * to {@link WriteOptions#MAX_TTL}. From its expiry instant on, an entry is
 * absent to every operation: reads, bulk reads, listings, conditional writes. Time comes from the
 * {@link java.time.Clock} the store was built with, and timestamps have millisecond precision.
 *
 * <h2>Who and why</h2>
 * {@link #as(Principal)} gives a view of the store that acts for a principal, which history,
 * audit and events record; {@link WriteOptions#reason} says why, for history.
 *
 * <h2>Thread safety</h2>
 * Implementations are thread-safe. Listeners are called after a change took effect.
 *
 * <h2>Errors</h2>
 * Every method throws {@link NullPointerException} for a null argument, {@link
 * InvalidInputException} for input that breaks a rule, and {@link StorageException} when the
 * backend fails; layers may add {@link PermissionDeniedException}, {@link LimitExceededException}
 * and {@link DecryptionException}. The exceptions a method throws for a reason are listed on it.
 */
public interface KvStore extends AutoCloseable {

  /**
   * The entry under {@code key}, or empty if there is none or it has expired.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @return the entry under {@code key}, or empty if there is none or it has expired
   * @throws InvalidInputException if the namespace or key is not valid
   */
  Optional<Entry> get(String namespace, String key);

  /**
   * The entries under {@code keys}; absent and expired keys are left out. The map iterates in the
   * order of {@code keys}, without duplicates.
   *
   * @param namespace the namespace name
   * @param keys the keys, at most {@link ListOptions#MAX_LIMIT}
   * @return the entries under {@code keys}
   * @throws InvalidInputException if the namespace or a key is not valid, or there are more than
   *     {@link ListOptions#MAX_LIMIT} keys
   */
  Map<String, Entry> getAll(String namespace, Collection<String> keys);

  /**
   * Writes {@code value} under {@code key} whether or not an entry is there (an upsert).
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param value the value to write
   * @param options TTL, metadata, tags and reason of the write
   * @return the entry as written
   * @throws InvalidInputException if the namespace, key, value or options are not valid
   */
  Entry put(String namespace, String key, Value value, WriteOptions options);

  /**
   * {@link #put(String, String, Value, WriteOptions)} with {@link WriteOptions#none()}.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param value the value to write
   * @return the entry as written
   */
  default Entry put(String namespace, String key, Value value) {
    return put(namespace, key, value, WriteOptions.none());
  }

  /**
   * Writes {@code value} under {@code key} only if no live entry is there.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param value the value to write
   * @param options TTL, metadata, tags and reason of the write
   * @return the entry as written, at version 1
   * @throws AlreadyExistsException if a live entry is there
   * @throws InvalidInputException if the namespace, key, value or options are not valid
   */
  Entry create(String namespace, String key, Value value, WriteOptions options);

  /**
   * {@link #create(String, String, Value, WriteOptions)} with {@link WriteOptions#none()}.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param value the value to write
   * @return the entry as written, at version 1
   */
  default Entry create(String namespace, String key, Value value) {
    return create(namespace, key, value, WriteOptions.none());
  }

  /**
   * Writes {@code value} under {@code key} only if a live entry is there.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param value the value to write
   * @param options TTL, metadata, tags and reason of the write
   * @return the entry as written
   * @throws NotFoundException if no live entry is there
   * @throws InvalidInputException if the namespace, key, value or options are not valid
   */
  Entry update(String namespace, String key, Value value, WriteOptions options);

  /**
   * {@link #update(String, String, Value, WriteOptions)} with {@link WriteOptions#none()}.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param value the value to write
   * @return the entry as written
   */
  default Entry update(String namespace, String key, Value value) {
    return update(namespace, key, value, WriteOptions.none());
  }

  /**
   * Writes {@code value} under {@code key} only if the live entry there has {@code
   * expectedVersion} (optimistic locking).
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param expectedVersion the version the live entry must have
   * @param value the value to write
   * @param options TTL, metadata, tags and reason of the write
   * @return the entry as written, at {@code expectedVersion + 1}
   * @throws VersionConflictException if the entry has another version, or is absent
   * @throws InvalidInputException if the namespace, key, value or options are not valid, or
   *     {@code expectedVersion} is not positive (field {@code "expectedVersion"})
   */
  Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options);

  /**
   * {@link #compareAndSet(String, String, long, Value, WriteOptions)} with no options.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param expectedVersion the version the live entry must have
   * @param value the value to write
   * @return the entry as written, at {@code expectedVersion + 1}
   */
  default Entry compareAndSet(String namespace, String key, long expectedVersion, Value value) {
    return compareAndSet(namespace, key, expectedVersion, value, WriteOptions.none());
  }

  /**
   * Deletes the entry under {@code key}.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @return whether a live entry was there
   * @throws InvalidInputException if the namespace or key is not valid
   */
  boolean delete(String namespace, String key);

  /**
   * Deletes the entry under {@code key} only if it has {@code expectedVersion}.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param expectedVersion the version the live entry must have
   * @throws VersionConflictException if the entry has another version, or is absent
   * @throws InvalidInputException if the namespace or key is not valid, or {@code
   *     expectedVersion} is not positive (field {@code "expectedVersion"})
   */
  void deleteIfVersion(String namespace, String key, long expectedVersion);

  /**
   * Writes every value of {@code values} under its key, as {@link #put} would, with the same
   * options. When {@link Capabilities#atomicBulkWrites()} holds, the batch is all-or-nothing: if
   * one key is refused, nothing is written.
   *
   * @param namespace the namespace name
   * @param values the values to write, by key
   * @param options TTL, metadata, tags and reason of the write
   * @return the entries as written, in the iteration order of {@code values}
   * @throws InvalidInputException if the namespace, a key, a value or the options are not valid,
   *     or there are more than {@link ListOptions#MAX_LIMIT} values; nothing is written
   */
  Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options);

  /**
   * {@link #putAll(String, Map, WriteOptions)} with {@link WriteOptions#none()}.
   *
   * @param namespace the namespace name
   * @param values the values to write, by key
   * @return the entries as written, by key
   */
  default Map<String, Entry> putAll(String namespace, Map<String, Value> values) {
    return putAll(namespace, values, WriteOptions.none());
  }

  /**
   * Commits {@code transaction} on {@code namespace} all-or-nothing: every compare (and the
   * implicit ones of creates and updates) is evaluated against the live state, an expired entry
   * counting as absent; if all hold, every write is applied, each with the version, timestamps
   * and history that {@link #put}, {@link #create}, {@link #update} or {@link #delete} would give
   * it; otherwise nothing is written. Writers never interleave with a transaction, and events are
   * published only after all of it is applied, one per written or deleted key, in write order.
   * What a reader that takes no lock sees while a transaction is being applied is stated by each
   * backend.
   *
   * @param namespace the namespace name
   * @param transaction the request, from {@link Transaction#builder()}
   * @return the written entries in write order, and the keys whose live entry was deleted
   * @throws TransactionFailedException if a compare failed, naming every one; nothing is written
   * @throws InvalidInputException if the namespace, a key, a value or an option is not valid;
   *     nothing is written
   * @throws NotFoundException if the store requires declared namespaces and this one is not
   * @throws NullPointerException if an argument is null
   */
  TransactionResult commit(String namespace, Transaction transaction);

  /**
   * A builder of a transaction on {@code namespace} whose {@link Transaction.Builder#commit()}
   * commits it to this store, as {@link #commit} does:
   * {@code store.transaction("accounts").versionIs("a", 3).put("a", v1).put("b", v2).commit()}.
   *
   * @param namespace the namespace name
   * @return a new builder bound to this store and namespace
   * @throws NullPointerException if {@code namespace} is null
   */
  default Transaction.Builder transaction(String namespace) {
    return Transaction.boundTo(this, namespace);
  }

  /**
   * Deletes the entries under {@code keys}; absent keys are skipped. All-or-nothing when {@link
   * Capabilities#atomicBulkWrites()} holds.
   *
   * @param namespace the namespace name
   * @param keys the keys, at most {@link ListOptions#MAX_LIMIT}
   * @return how many live entries were deleted
   * @throws InvalidInputException if the namespace or a key is not valid, or there are more than
   *     {@link ListOptions#MAX_LIMIT} keys; nothing is deleted
   */
  int deleteAll(String namespace, Collection<String> keys);

  /**
   * One page of the live entries whose keys start with {@link ListOptions#prefix()}, sorted by
   * key in Unicode code point order (which is also the byte order of their UTF-8). The prefix is
   * matched exactly: no wildcards, case sensitive.
   *
   * @param namespace the namespace name
   * @param options prefix, page size and cursor
   * @return one page of the live entries whose keys start with {@link ListOptions#prefix()}, sorted
   *     by key in Unicode code point order (which is also the byte order of their UTF-8)
   * @throws InvalidInputException if the namespace or prefix is not valid, or the cursor was not
   *     returned by this kind of store for this prefix (field {@code "cursor"})
   */
  Page list(String namespace, ListOptions options);

  /**
   * How many live entries {@code namespace} holds; quotas are checked against it. Expired
   * entries are not counted.
   *
   * @param namespace the namespace name
   * @return how many live entries {@code namespace} holds
   * @throws InvalidInputException if the namespace is not valid
   */
  long count(String namespace);

  /**
   * Replaces the value of a live entry and records the change as a rotation: the earlier value
   * goes to history (in a namespace that keeps history), and the event and audit record say
   * {@link ChangeType#ROTATED}.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param value the value to write
   * @param options TTL, metadata, tags and reason of the write
   * @return the entry as written
   * @throws NotFoundException if no live entry is there
   * @throws InvalidInputException if the namespace, key, value or options are not valid
   */
  Entry rotate(String namespace, String key, Value value, WriteOptions options);

  /**
   * Writes the value that {@code key} held at {@code toVersion} again, as a new version; history
   * is never rewritten. The options give the new version's TTL, metadata, tags and reason.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param toVersion the earlier version whose value is written again
   * @param options TTL, metadata, tags and reason of the write
   * @return the entry as written
   * @throws NotFoundException if no live entry is there, or history does not hold {@code toVersion}
   * @throws InvalidInputException if the namespace, key or options are not valid, or {@code
   *     toVersion} is not positive (field {@code "toVersion"})
   */
  Entry rollback(String namespace, String key, long toVersion, WriteOptions options);

  /**
   * The versions of a live entry that history holds, newest first, starting with the current
   * one. In a namespace that keeps no history ({@link NamespaceSettings#maxVersions()} is 0) this
   * is the current version alone; for an absent entry it is empty.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @return the versions of a live entry that history holds, newest first, starting with the
   *     current one
   * @throws InvalidInputException if the namespace or key is not valid
   */
  List<VersionRecord> history(String namespace, String key);

  /**
   * Namespace administration for this store.
   *
   * @return namespace administration for this store
   */
  Namespaces namespaces();

  /**
   * Registers a listener for the changes that pass {@code filter}. Events for one key arrive in
   * version order; what the listener throws is caught and logged.
   *
   * @param filter which changes the listener is told of
   * @param listener told of each change
   * @return the registration; close it to stop listening
   */
  Subscription subscribe(ChangeFilter filter, ChangeListener listener);

  /**
   * Registers a listener that is first told of every retained change after {@code fromRevision}
   * that passes {@code filter}, then of live changes, as {@link #subscribe(ChangeFilter,
   * ChangeListener)}: no change is missed and none is told twice between the replay and the live
   * part. Events for one key arrive in revision order; across keys they arrive in revision order
   * where the store can order them so. A subscriber that restarts subscribes again from the last
   * revision it was told of; one that starts from a {@link Page#revision() listing} subscribes
   * from the listing's revision. What the listener throws is caught and logged.
   *
   * <p>A store retains a bounded log of changes; how many is the backend's (the memory store's
   * {@code changeLogSize}, the JDBC store's change table). Replayed events may be told on the
   * calling thread before this method returns.
   *
   * @param filter which changes the listener is told of
   * @param fromRevision the revision already seen: changes with a greater revision are told; 0
   *     for every retained change
   * @param listener told of each change
   * @return the registration; close it to stop listening
   * @throws IllegalArgumentException if {@code fromRevision} is negative
   * @throws RevisionCompactedException if changes after {@code fromRevision} are no longer all
   *     retained; nothing was told
   */
  Subscription subscribe(ChangeFilter filter, long fromRevision, ChangeListener listener);

  /**
   * The store's current revision: that of the latest change visible to a read made now, 0 before
   * the first change. Revisions increase across the whole store (every namespace, and on a shared
   * database every instance on it) and are never reused; every change ({@link Entry#revision()},
   * {@link ChangeEvent#revision()}) gets one.
   *
   * @return the store's current revision
   */
  long revision();

  /**
   * A view of this store that acts for {@code principal}: history, audit records and events
   * name it, and permission checks are made against it. The view shares everything else with
   * this store; closing it does nothing.
   *
   * @param principal who acts
   * @return a view of this store that acts for {@code principal}
   */
  KvStore as(Principal principal);

  /**
   * The principal this store acts for; {@link Principal#ANONYMOUS} unless bound by {@link #as}.
   *
   * @return the principal this store acts for
   */
  Principal principal();

  /**
   * What this store guarantees beyond the contract, and how it treats secret values. A store
   * that wraps another (a decorator of the application's own included) returns the wrapped
   * store's, changed only where it changes them, so callers that ask, such as an import, treat
   * it as what it wraps.
   *
   * @return what this store guarantees beyond the contract, and how it treats secret values
   */
  Capabilities capabilities();

  /**
   * An optional feature of this store, asked for by its interface: {@link ValueRewriter} (used by
   * re-encryption) or {@link EntryRestorer} (used by import), or a feature a backend defines for
   * its own users. What is returned acts on this store, for this store's {@link #principal()}.
   * Callers ask here instead of testing a store's class, so a decorator does not hide the store
   * it wraps.
   *
   * <p>There is deliberately no default: every store, a decorator of the application's own
   * included, answers this as it answers every other method. A decorator that merely forwards
   * returns its delegate's answer. One that must see what the feature does (a cache that drops a
   * rewritten entry) returns the delegate's feature wrapped; one that a feature would bypass
   * (kv's layers, which encrypt, audit or check permissions on the way down) returns empty.
   * Backends answer with {@link io.kv.spi.Features#of}.
   *
   * @param type the feature's interface
   * @param <T> the feature type
   * @return the feature, or empty if this store does not offer it
   * @throws NullPointerException if {@code type} is null
   */
  <T> Optional<T> feature(Class<T> type);

  /**
   * Releases the store's resources (background sweeper, connections it owns). Further calls
   * may fail. Closing twice is harmless.
   */
  @Override
  void close();
}
