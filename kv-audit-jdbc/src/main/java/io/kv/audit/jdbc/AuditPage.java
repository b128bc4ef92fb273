package io.kv.audit.jdbc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a query's answer, in the table's order (time, chain, sequence). Immutable and
 * thread-safe.
 *
 * @param records the records of this page
 * @param next where the next page starts ({@link AuditQuery#after}); empty on the last page
 */
public record AuditPage(List<StoredAuditRecord> records, Optional<AuditCursor> next) {
  /**
   * Checks and copies the components.
   *
   * @param records the records of this page
   * @param next where the next page starts; empty on the last page
   * @throws NullPointerException if a component is null
   */
  public AuditPage {
    records = List.copyOf(records);
    Objects.requireNonNull(next, "next");
  }
}
