package io.kv.audit.jdbc;

import io.kv.core.AuditRecord;
import java.util.Objects;

/**
 * An audit record as the table holds it: the record, with the chain and sequence number that
 * place it. Its timestamp is the record's, truncated to milliseconds. Immutable and thread-safe.
 *
 * @param chain the id of the chain (the sink instance) that wrote it
 * @param seq its sequence number in that chain
 * @param record what happened
 */
public record StoredAuditRecord(String chain, long seq, AuditRecord record) {
  /**
   * Checks the components.
   *
   * @param chain the id of the chain (the sink instance) that wrote it
   * @param seq its sequence number in that chain
   * @param record what happened
   * @throws NullPointerException if a component is null
   */
  public StoredAuditRecord {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(record, "record");
  }

  /**
   * The position of this record, for a query that continues after it.
   *
   * @return the position of this record
   */
  public AuditCursor cursor() {
    return new AuditCursor(record.timestamp().toEpochMilli(), chain, seq);
  }
}
