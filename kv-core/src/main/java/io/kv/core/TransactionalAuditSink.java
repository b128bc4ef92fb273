package io.kv.core;

import java.util.List;

/**
 * An {@link AuditSink} that can commit the records of a change in the change's own transaction,
 * such as an audit table in the store's database: then no change is kept without its record,
 * and no record is kept of a change that rolled back.
 *
 * <p>Under {@link AuditFailurePolicy#FAIL_OPERATION}, before an operation that changes data or
 * namespaces runs, the audit layer calls {@link #enlist} with the records the operation will
 * have if it succeeds, timed when it starts; runs the operation; and closes the enlistment. If
 * {@link Enlistment#committed()} then says the records were committed with the change, they are
 * not recorded again; otherwise (the backend could not take them into its transaction, or the
 * operation failed) the layer calls {@link #record} as for any sink: the success records after a
 * success, a failure record after a failure. Reads are never enlisted. Under {@link
 * AuditFailurePolicy#LOG_AND_CONTINUE} nothing is enlisted, since a record that fails to commit
 * with its change would fail the change.
 */
public interface TransactionalAuditSink extends AuditSink {
  /**
   * Offers {@code records} to the transaction of the change that the calling thread runs next.
   *
   * @param records what the change records if it succeeds, each with success set; never empty
   * @return the enlistment, which the caller closes on this thread once the change returned or
   *     failed
   */
  Enlistment enlist(List<AuditRecord> records);

  /** The records offered to one change. Used on the thread that enlisted them. */
  interface Enlistment extends AutoCloseable {
    /**
     * Whether the records were committed together with the change.
     *
     * @return true if the change's transaction committed them
     */
    boolean committed();

    /** Withdraws the offer; records not committed by now are not committed by this enlistment. */
    @Override
    void close();
  }
}
