package io.kv;

import java.util.Optional;

/**
 * The root of every exception kv throws while it runs an operation. It is unchecked: catch a
 * subclass when the reason matters ({@link NotFoundException}, {@link VersionConflictException},
 * ...), or this class to handle every kv failure in one place.
 *
 * <p>Every kv exception answers {@link #namespace()} and {@link #key()}: the namespace and the key
 * of the entry it concerns, each empty when the failure concerns no namespace (a storage failure
 * of a background sweep) or no single key (a namespace that is missing, a bulk write).
 *
 * <p>Messages name the namespace and key where they apply and never contain a stored value.
 *
 * <p>Misuse that is a programming error rather than a failure of an operation stays the JDK's:
 * {@code NullPointerException} for a null argument, {@code IllegalArgumentException} and {@code
 * IllegalStateException} from builders given an invalid or repeated setting or from a value type
 * constructed with impossible fields (an {@link Entry} of version 0), and {@code
 * IllegalStateException} from {@link Value} asked for a form its type does not have.
 *
 * <p>Instances are immutable once thrown.
 */
public abstract class KvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The namespace concerned, or null. */
  private final String namespace;

  /** The key concerned, or null. */
  private final String key;

  /**
   * An exception that concerns no particular namespace or key.
   *
   * @param message what failed; must not contain a value
   */
  protected KvException(String message) {
    this(null, null, message, null);
  }

  /**
   * An exception that concerns no particular namespace or key, with the underlying cause.
   *
   * @param message what failed; must not contain a value
   * @param cause the underlying exception, or null
   */
  protected KvException(String message, Throwable cause) {
    this(null, null, message, cause);
  }

  /**
   * An exception about a namespace or an entry.
   *
   * @param namespace the namespace concerned, or null when it concerns none
   * @param key the key concerned, or null when it concerns no single key
   * @param message what failed; must not contain a value
   * @param cause the underlying exception, or null
   */
  protected KvException(String namespace, String key, String message, Throwable cause) {
    super(message, cause);
    this.namespace = namespace;
    this.key = key;
  }

  /**
   * The namespace this failure concerns; empty when it concerns none.
   *
   * @return the namespace this failure concerns
   */
  public Optional<String> namespace() {
    return Optional.ofNullable(namespace);
  }

  /**
   * The key of the entry this failure concerns; empty when it concerns no single key.
   *
   * @return the key of the entry this failure concerns
   */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  static String where(String namespace, String key) {
    return "'" + namespace + "/" + key + "'";
  }
}
