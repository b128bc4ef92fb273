package io.kv.audit.jdbc;

import java.util.Objects;

/**
 * The first record of a chain that does not verify, and how. Immutable and thread-safe.
 *
 * @param chain the chain's id
 * @param seq the sequence number of the record concerned: the altered, inserted or misplaced
 *     record, or for {@link Kind#DELETED} the sequence number of the (last) missing one
 * @param kind what is wrong
 */
public record AuditTamper(String chain, long seq, Kind kind) {
  /** What a verification found wrong with a record. */
  public enum Kind {
    /** The record's fields do not give its hash: one was changed after it was written. */
    ALTERED,
    /** The record is missing (its sequence number is skipped, or its successor links past it). */
    DELETED,
    /** The record does not belong: its successor links to the record before it. */
    INSERTED,
    /** The record links to a record of its chain other than the one before it. */
    REORDERED
  }

  /**
   * Checks the components.
   *
   * @param chain the chain's id
   * @param seq the sequence number of the record concerned
   * @param kind what is wrong
   * @throws NullPointerException if {@code chain} or {@code kind} is null
   */
  public AuditTamper {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(kind, "kind");
  }
}
