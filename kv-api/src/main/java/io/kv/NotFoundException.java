package io.kv;

import java.util.Objects;

/**
 * The entry (or namespace) an operation needs does not exist, or has expired. Thrown by {@link
 * KvStore#update}, by namespace operations on a missing namespace, and by rollback to a version
 * that history does not hold. {@link #namespace()} is always present; {@link #key()} is empty when
 * the namespace itself is missing.
 */
public class NotFoundException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * An entry is missing.
   *
   * @param namespace the namespace looked in
   * @param key the key that is absent
   */
  public NotFoundException(String namespace, String key) {
    this(namespace, key, "entry " + where(namespace, key) + " does not exist");
  }

  /**
   * Something is missing, described by {@code message}.
   *
   * @param namespace the namespace concerned
   * @param key the key concerned, or null when the namespace itself is missing
   * @param message what is missing; must not contain a value
   * @throws NullPointerException if {@code namespace} or {@code message} is null
   */
  public NotFoundException(String namespace, String key, String message) {
    super(Objects.requireNonNull(namespace, "namespace"), key, Objects.requireNonNull(message, "message"), null);
  }
}
