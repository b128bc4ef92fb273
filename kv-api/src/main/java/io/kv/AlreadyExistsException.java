package io.kv;

import java.util.Objects;
import java.util.Optional;

/** A create-only operation found its entry (or namespace) already present. */
public class AlreadyExistsException extends KvException {
  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final String key;

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
   */
  public AlreadyExistsException(String namespace, String key, String message) {
    super(message);
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.key = key;
  }

  /** The namespace concerned. */
  public String namespace() {
    return namespace;
  }

  /** The key concerned; empty when a namespace itself already exists. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }
}
