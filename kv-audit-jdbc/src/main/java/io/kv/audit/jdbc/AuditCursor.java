package io.kv.audit.jdbc;

import java.util.Objects;

/**
 * A position in the audit table's order (time, chain, sequence): a query resumes after it.
 * Immutable and thread-safe.
 *
 * @param epochMillis the time of the last record a page returned, in epoch milliseconds
 * @param chain the chain of that record
 * @param seq its sequence number in the chain
 */
public record AuditCursor(long epochMillis, String chain, long seq) {
  /**
   * Checks the components.
   *
   * @param epochMillis the time of the last record a page returned, in epoch milliseconds
   * @param chain the chain of that record
   * @param seq its sequence number in the chain
   * @throws NullPointerException if {@code chain} is null
   * @throws IllegalArgumentException if {@code seq} is negative
   */
  public AuditCursor {
    Objects.requireNonNull(chain, "chain");
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative");
    }
  }
}
