package io.kv;

import java.util.List;

/**
 * An optional backend capability: writes an entry exactly as given, with its version, timestamps
 * and history, instead of as a new write. kv-core's import ({@code io.kv.core.KvImport}) uses it
 * to move entries between backends without losing their versions and history; nothing else
 * should need it. A backend that lacks it still imports, through {@link KvStore#put}, but
 * versions then start again at 1 and history is not carried over.
 *
 * <p>A restore bypasses the layer stack: it stores the value as given, so a value of a secret
 * namespace must already be sealed (as an export read from the backend holds it).
 *
 * <p>Implementations are thread-safe, and a restore is atomic with respect to every other write
 * of the same entry: it runs under the same lock or in the same transaction as a write would.
 */
public interface EntryRestorer {

  /**
   * Atomically writes {@code entry} exactly as given (namespace, key, value, version, {@code
   * createdAt}, {@code updatedAt}, {@code expiresAt}, metadata and tags), replacing any entry
   * under its key, together with its history. Timestamps are kept to the millisecond, as every
   * write keeps them.
   *
   * <p>{@code history} lists the versions to keep, newest first, in the form {@link
   * KvStore#history} returns them: when it is not empty, its first record describes {@code entry}
   * itself (same version), and versions strictly decrease. History keeps, besides the entry's
   * own record, the records of versions at least {@code entry.version() -}{@link
   * NamespaceSettings#maxVersions() maxVersions}: the window counts versions, not records, exactly
   * as a write trims history. Records older than that are dropped, so a history with gaps keeps
   * fewer than {@code maxVersions} earlier records (versions 10, 5 and 3 restored where {@code
   * maxVersions} is 3 keep version 10 alone; where it is 5, versions 10 and 5; a write of version
   * 11 then keeps 11 and 10). When it is empty, the store records the current version alone, as
   * written by this store's {@link KvStore#principal() principal} at {@code entry.updatedAt()},
   * without a reason. Backends apply this rule through {@link io.kv.spi.RestoreInput}.
   *
   * <p>After the restore, a listener hears {@link ChangeType#CREATED} if no live entry was there,
   * {@link ChangeType#UPDATED} otherwise, with the restored version.
   *
   * @param entry the entry to write
   * @param history its version history, newest first; may be empty
   * @throws NullPointerException if an argument or a record is null
   * @throws InvalidInputException if the namespace, key, a value (current or in history), the
   *     metadata or tags break the store's {@link InputRules}; if the entry has already expired by
   *     the store's clock (field {@code "expiresAt"}); or if the history is not in the form above
   *     (field {@code "history"}); nothing is written
   * @throws StorageException if the backend fails; nothing is written
   */
  void restore(Entry entry, List<VersionRecord> history);
}
