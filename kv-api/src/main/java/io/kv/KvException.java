package io.kv;

/**
 * The root of every exception kv throws. It is unchecked: catch a subclass when the reason
 * matters ({@link NotFoundException}, {@link VersionConflictException}, ...), or this class to
 * handle every kv failure in one place.
 *
 * <p>Messages name the namespace and key where they apply and never contain a stored value.
 */
public abstract class KvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  protected KvException(String message) {
    super(message);
  }

  /** An exception with a message and the underlying cause. */
  protected KvException(String message, Throwable cause) {
    super(message, cause);
  }

  static String where(String namespace, String key) {
    return "'" + namespace + "/" + key + "'";
  }
}
