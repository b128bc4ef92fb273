package io.kv;

import java.util.Objects;
import java.util.Optional;

/**
 * The entry (or namespace) an operation needs does not exist, or has expired. Thrown by {@link
 * KvStore#update}, by namespace operations on a missing namespace, and by rollback to a version
 * that history does not hold.
 */
public class NotFoundException extends KvException {
  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final String key;

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
   */
  public NotFoundException(String namespace, String key, String message) {
    super(message);
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.key = key;
  }

  /** The namespace concerned. */
  public String namespace() {
    return namespace;
  }

  /** The key concerned; empty when a namespace itself was not found. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }
}
