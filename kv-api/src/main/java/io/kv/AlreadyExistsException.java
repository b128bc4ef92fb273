package io.kv;

import java.util.Objects;

/**
 * A create-only operation found its entry (or namespace) already present. {@link #namespace()} is
 * always present; {@link #key()} is empty when a namespace itself already exists.
 */
public class AlreadyExistsException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * An entry is already present.
   *
   * @param namespace the namespace written to
   * @param key the key that exists
   */
  public AlreadyExistsException(String namespace, String key) {
    this(namespace, key, "entry " + where(namespace, key) + " already exists");
  }

  /**
   * Something already exists, described by {@code message}.
   *
   * @param namespace the namespace concerned
   * @param key the key concerned, or null when the namespace itself exists
   * @param message what exists; must not contain a value
   * @throws NullPointerException if {@code namespace} or {@code message} is null
   */
  public AlreadyExistsException(String namespace, String key, String message) {
    super(Objects.requireNonNull(namespace, "namespace"), key, Objects.requireNonNull(message, "message"), null);
  }
}
