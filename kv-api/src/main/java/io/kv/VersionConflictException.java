package io.kv;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A compare-and-set or conditional delete expected a version that the entry does not have: it
 * was written (or deleted, or never existed) since the caller read it. Re-read and retry. {@link
 * #namespace()} and {@link #key()} are always present.
 */
public class VersionConflictException extends KvException {
  private static final long serialVersionUID = 1L;

  /** The version the caller expected. */
  private final long expected;
  /** The entry's version when the write was refused; 0 when the entry was absent. */
  private final long actual;

  /**
   * @param namespace the namespace written to
   * @param key the key written to
   * @param expected the version the caller expected
   * @param actual the entry's current version, or empty when the entry is absent
   * @throws NullPointerException if an argument is null
   */
  public VersionConflictException(String namespace, String key, long expected, OptionalLong actual) {
    super(Objects.requireNonNull(namespace, "namespace"), Objects.requireNonNull(key, "key"),
        "entry " + where(namespace, key) + ": expected version " + expected + " but "
            + (actual.isPresent() ? "found version " + actual.getAsLong() : "the entry does not exist"),
        null);
    this.expected = expected;
    this.actual = actual.isPresent() ? actual.getAsLong() : 0;
  }

  /**
   * The version the caller expected.
   *
   * @return the version the caller expected
   */
  public long expectedVersion() {
    return expected;
  }

  /**
   * The version the entry had when the write was refused; empty if the entry was absent.
   *
   * @return the version the entry had when the write was refused
   */
  public OptionalLong actualVersion() {
    return actual == 0 ? OptionalLong.empty() : OptionalLong.of(actual);
  }
}
