package io.kv;

/**
 * A subscription asked to resume from a revision older than the store still retains in its
 * change log, so the changes in between can no longer be replayed. Thrown by {@link
 * KvStore#subscribe(ChangeFilter, long, ChangeListener)} before anything is delivered. The caller
 * re-reads what it watches (a {@link KvStore#list listing}) and subscribes again from the
 * revision that read returns ({@link Page#revision()}).
 *
 * <p>Immutable once thrown.
 */
public class RevisionCompactedException extends KvException {
  private static final long serialVersionUID = 1L;

  /** The revision the caller asked to resume from. */
  private final long requested;

  /** The oldest revision the change log still holds. */
  private final long oldestAvailable;

  /**
   * @param requested the revision the caller asked to resume from
   * @param oldestAvailable the oldest revision the change log still holds
   */
  public RevisionCompactedException(long requested, long oldestAvailable) {
    super(
        "revision "
            + requested
            + " has been compacted: the change log starts at revision "
            + oldestAvailable
            + "; re-read the entries and subscribe again from the revision that read returns");
    this.requested = requested;
    this.oldestAvailable = oldestAvailable;
  }

  /**
   * The revision the caller asked to resume from.
   *
   * @return the revision the caller asked to resume from
   */
  public long requested() {
    return requested;
  }

  /**
   * The oldest revision the change log still holds; resuming from one less than it is the oldest
   * resume that works.
   *
   * @return the oldest revision the change log still holds
   */
  public long oldestAvailable() {
    return oldestAvailable;
  }
}
