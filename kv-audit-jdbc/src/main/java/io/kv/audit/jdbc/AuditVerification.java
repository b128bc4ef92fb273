package io.kv.audit.jdbc;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link JdbcAuditSink#verify()} found. Immutable and thread-safe.
 *
 * @param chains how many chains were checked
 * @param records how many rows were checked, anchors included
 * @param firstProblem the first record that does not verify, in the order of chain id then
 *     sequence; empty when every chain verified
 */
public record AuditVerification(int chains, long records, Optional<AuditTamper> firstProblem) {
  /**
   * Checks the components.
   *
   * @param chains how many chains were checked
   * @param records how many rows were checked
   * @param firstProblem the first record that does not verify; empty when all did
   * @throws NullPointerException if {@code firstProblem} is null
   */
  public AuditVerification {
    Objects.requireNonNull(firstProblem, "firstProblem");
  }

  /**
   * Whether every checked chain verified.
   *
   * @return true when no problem was found
   */
  public boolean ok() {
    return firstProblem.isEmpty();
  }
}
