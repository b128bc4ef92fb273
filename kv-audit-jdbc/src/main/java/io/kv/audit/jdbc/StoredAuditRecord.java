package io.kv.audit.jdbc;

import io.kv.core.AuditRecord;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An audit record as the table holds it: the record, with the chain and sequence number that
 * place it. Its timestamp is the record's, truncated to milliseconds. A summary of reads
 * ({@link JdbcAuditSink.Builder#summarizeReads}) stands for {@code count} reads that the record
 * describes, the first at the record's timestamp and the last at {@code lastAt}; an ordinary
 * record has a count of 1 and no {@code lastAt}. Immutable and thread-safe.
 *
 * @param chain the id of the chain (the sink instance) that wrote it
 * @param seq its sequence number in that chain
 * @param record what happened (on a summary: the first of its reads)
 * @param count how many operations this record stands for: 1, or more on a summary
 * @param lastAt the time of the last read a summary counts; empty on an ordinary record
 */
public record StoredAuditRecord(String chain, long seq, AuditRecord record, long count, Optional<Instant> lastAt) {
  /**
   * Checks the components.
   *
   * @param chain the id of the chain (the sink instance) that wrote it
   * @param seq its sequence number in that chain
   * @param record what happened (on a summary: the first of its reads)
   * @param count how many operations this record stands for: 1, or more on a summary
   * @param lastAt the time of the last read a summary counts; empty on an ordinary record
   * @throws NullPointerException if a component is null
   */
  public StoredAuditRecord {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(record, "record");
    // No range checks: the values come from the table, and a query must show an edited row as
    // it is (verify() names it) rather than fail.
    Objects.requireNonNull(lastAt, "lastAt");
  }

  /**
   * An ordinary record: one operation, no {@code lastAt}.
   *
   * @param chain the id of the chain (the sink instance) that wrote it
   * @param seq its sequence number in that chain
   * @param record what happened
   * @throws NullPointerException if a component is null
   */
  public StoredAuditRecord(String chain, long seq, AuditRecord record) {
    this(chain, seq, record, 1, Optional.empty());
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
