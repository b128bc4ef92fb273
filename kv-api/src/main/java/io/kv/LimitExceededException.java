package io.kv;

import java.util.Objects;

/**
 * An operation would exceed a quota or a rate limit (entries per namespace, operations per
 * second per principal, ...). Nothing was changed. Input that breaks a fixed size or syntax rule
 * is an {@link InvalidInputException} instead.
 */
public class LimitExceededException extends KvException {
  private static final long serialVersionUID = 1L;

  /** The limit that was reached. */
  private final String limit;

  /**
   * @param limit the name of the limit, such as {@code "maxEntriesPerNamespace"}
   * @param message what was exceeded and where; must not contain a value
   */
  public LimitExceededException(String limit, String message) {
    this(null, limit, message);
  }

  /**
   * A limit of one namespace was exceeded.
   *
   * @param namespace the namespace whose limit it is, or null when the limit is not a namespace's
   * @param limit the name of the limit, such as {@code "maxEntriesPerNamespace"}
   * @param message what was exceeded and where; must not contain a value
   */
  public LimitExceededException(String namespace, String limit, String message) {
    super(namespace, null, Objects.requireNonNull(message, "message"), null);
    this.limit = Objects.requireNonNull(limit, "limit");
  }

  /**
   * The name of the limit, such as {@code "maxEntriesPerNamespace"}.
   *
   * @return the name of the limit, such as {@code "maxEntriesPerNamespace"}
   */
  public String limit() {
    return limit;
  }
}
