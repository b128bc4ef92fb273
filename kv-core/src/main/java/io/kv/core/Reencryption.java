package io.kv.core;

/**
 * What a {@link Reencryptor} pass did. A second pass over the same namespaces right after a
 * complete one reports {@code reencrypted() == 0}: nothing was left to move.
 *
 * @param namespaces how many secret namespaces the pass covered
 * @param entries how many live entries it looked at
 * @param reencrypted how many of them had at least one value (the current one or one in history)
 *     moved to the primary key; the others were already there
 * @param versions how many stored values (versions, current or in history) it moved
 * @param failed how many entries it could not move (a value that does not decrypt, or would
 *     exceed the value size limit once re-encrypted); each is logged with its namespace and key,
 *     and left as it was
 */
public record Reencryption(int namespaces, long entries, long reencrypted, long versions, long failed) {
  /**
   * Checks the counts.
   *
   * @param namespaces how many secret namespaces the pass covered
   * @param entries how many live entries it looked at
   * @param reencrypted how many of them had at least one value (the current one or one in history)
   *     moved to the primary key; the others were already there
   * @param versions how many stored values (versions, current or in history) it moved
   * @param failed how many entries it could not move (a value that does not decrypt, or would
   *     exceed the value size limit once re-encrypted); each is logged with its namespace and key,
   *     and left as it was
   * @throws IllegalArgumentException if a count is negative, or more entries were re-encrypted
   *     or failed than were looked at
   */
  public Reencryption {
    if (namespaces < 0 || entries < 0 || reencrypted < 0 || versions < 0 || failed < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    if (reencrypted + failed > entries) {
      throw new IllegalArgumentException("reencrypted + failed must not exceed entries");
    }
  }

  /**
   * Whether every entry looked at is now on the primary key: nothing failed.
   *
   * @return whether every entry looked at is now on the primary key
   */
  public boolean complete() {
    return failed == 0;
  }

  /**
   * This report and {@code other} added up.
   *
   * @param other the report to add
   * @return this report and {@code other} added up
   */
  public Reencryption plus(Reencryption other) {
    return new Reencryption(namespaces + other.namespaces, entries + other.entries, reencrypted + other.reencrypted,
        versions + other.versions, failed + other.failed);
  }
}
