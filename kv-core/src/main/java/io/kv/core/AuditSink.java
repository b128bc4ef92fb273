package io.kv.core;

/**
 * Where audit records go: implement it to send them to your own audit store, or use one of
 * {@link AuditSinks}.
 *
 * <p>The audit layer calls {@link #record} synchronously on the calling thread, once per record
 * and after the operation ran, so a slow sink slows every operation: hand slow work to a queue.
 * Implementations must be thread-safe, since operations run concurrently. What a sink throws is
 * handled by the configured {@link AuditFailurePolicy}.
 */
@FunctionalInterface
public interface AuditSink {
  /**
   * Records one audit record.
   *
   * @param record what happened; never null, and never holding a value
   * @throws RuntimeException if the record could not be kept; the {@link AuditFailurePolicy}
   *     decides what the caller of the operation sees
   */
  void record(AuditRecord record);
}
