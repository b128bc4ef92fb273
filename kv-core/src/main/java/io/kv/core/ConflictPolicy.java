package io.kv.core;

/**
 * What {@link KvImport} does with an entry or a namespace declaration that the target already
 * holds with other content. What the target holds with the same content is left alone and
 * reported as unchanged, under every policy, so an import can be run again.
 */
public enum ConflictPolicy {
  /** Keep what the target holds; the file's entry or declaration is reported as skipped. */
  SKIP,
  /** Replace what the target holds with the file's entry or declaration. */
  OVERWRITE,
  /**
   * Refuse the whole import before changing anything, with an {@link
   * io.kv.AlreadyExistsException} naming the first conflict. The default.
   */
  FAIL
}
