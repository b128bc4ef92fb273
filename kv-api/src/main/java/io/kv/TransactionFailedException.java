package io.kv;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * A {@link Transaction} was not applied because at least one of its compares did not hold,
 * counting the implicit ones of a create (the key must be absent) and an update (the key must be
 * live). Nothing was written, no event was published and no history was added. {@link
 * #failures()} names every compare that failed; re-read and retry.
 */
public class TransactionFailedException extends StateConflictException {
  private static final long serialVersionUID = 1L;

  /** Every compare that failed, in the order they were evaluated. */
  private final List<Failure> failures;

  /**
   * @param namespace the namespace of the transaction
   * @param failures every compare that failed; at least one
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code failures} is empty
   */
  public TransactionFailedException(String namespace, List<Failure> failures) {
    super(namespace, null, describe(namespace, failures));
    this.failures = List.copyOf(failures);
  }

  private static String describe(String namespace, List<Failure> failures) {
    Objects.requireNonNull(namespace, "namespace");
    if (failures.isEmpty()) {
      throw new IllegalArgumentException("a failed transaction has at least one failed compare");
    }
    return "transaction on namespace '" + namespace + "' not applied, compares failed: "
        + failures.stream().map(Failure::toString).collect(Collectors.joining("; "));
  }

  /**
   * Every compare that failed, in the order they were evaluated (explicit compares first, then
   * those implied by creates and updates).
   *
   * @return the failed compares, immutable and never empty
   */
  public List<Failure> failures() {
    return failures;
  }

  /**
   * One compare that did not hold.
   *
   * @param expected the compare as the transaction stated or implied it
   * @param foundVersion the live entry's version when the compare was evaluated, or 0 when the
   *     key had no live entry
   */
  public record Failure(Transaction.Compare expected, long foundVersion) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Checks the fields.
     *
     * @param expected the compare as the transaction stated or implied it
     * @param foundVersion the live version, or 0 when the key was absent
     * @throws NullPointerException if {@code expected} is null
     * @throws IllegalArgumentException if {@code foundVersion} is negative
     */
    public Failure {
      Objects.requireNonNull(expected, "expected");
      if (foundVersion < 0) {
        throw new IllegalArgumentException("foundVersion must not be negative");
      }
    }

    /**
     * The live entry's version when the compare was evaluated.
     *
     * @return the version, or empty when the key had no live entry
     */
    public OptionalLong found() {
      return foundVersion == 0 ? OptionalLong.empty() : OptionalLong.of(foundVersion);
    }

    /**
     * The key of the failed compare.
     *
     * @return the key
     */
    public String key() {
      return expected.key();
    }

    @Override
    public String toString() {
      return "key " + expected.key() + " expected "
          + (expected.kind() == Transaction.Compare.Kind.VERSION_EQUALS ? "version " + expected.version()
              : expected.kind().name())
          + " but found " + (foundVersion != 0 ? "version " + foundVersion : "no live entry");
    }
  }
}
