package io.kv.core;

/**
 * What an audited operation did, as an {@link AuditRecord} names it.
 *
 * <p>Entry operations map as follows: {@code get}, {@code getAll} and {@code history} are {@link
 * #READ}; {@code put}, {@code create}, {@code update}, {@code compareAndSet} and {@code putAll}
 * are {@link #WRITE}; {@code delete}, {@code deleteIfVersion} and {@code deleteAll} are {@link
 * #DELETE}; {@code rotate} is {@link #ROTATE}, {@code rollback} {@link #ROLLBACK}, {@code list}
 * {@link #LIST} and {@code count} {@link #COUNT}. The {@code NAMESPACE_*} actions are the calls
 * of {@link io.kv.Namespaces}.
 */
public enum AuditAction {
  /** An entry (or its history) was read. */
  READ(false),
  /** An entry was written: put, create, update, compare-and-set, or one key of a bulk put. */
  WRITE(true),
  /** An entry was deleted, plainly, by version, or as one key of a bulk delete. */
  DELETE(true),
  /** A secret was rotated. */
  ROTATE(true),
  /** An entry was rolled back to an earlier version. */
  ROLLBACK(true),
  /** The entries of a namespace were listed, one page. */
  LIST(false),
  /** The live entries of a namespace were counted. */
  COUNT(false),
  /** A namespace was declared. */
  NAMESPACE_CREATE(true),
  /** A namespace declaration was read. */
  NAMESPACE_READ(false),
  /** The declared namespaces were listed; such a record names no namespace. */
  NAMESPACE_LIST(false),
  /** A namespace's settings were replaced. */
  NAMESPACE_UPDATE(true),
  /** A namespace was deleted. */
  NAMESPACE_DELETE(true);

  private final boolean changesData;

  AuditAction(boolean changesData) {
    this.changesData = changesData;
  }

  /**
   * Whether a successful operation of this kind changes stored data (rather than reading it).
   *
   * @return whether a successful operation of this kind changes stored data (rather than reading
   *     it)
   */
  public boolean changesData() {
    return changesData;
  }
}
