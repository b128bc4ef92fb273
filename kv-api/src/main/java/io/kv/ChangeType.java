package io.kv;

/** What happened to an entry: the kind of a {@link ChangeEvent} and of a {@link VersionRecord}. */
public enum ChangeType {
  /** The entry was written while absent. */
  CREATED,
  /** The entry was written while present. */
  UPDATED,
  /** The entry was deleted. */
  DELETED,
  /** The entry reached its expiry and was removed. */
  EXPIRED,
  /** A secret was replaced through {@link KvStore#rotate}. */
  ROTATED,
  /** An earlier value was restored through {@link KvStore#rollback}. */
  ROLLED_BACK
}
