package io.kv;

/**
 * The backend failed: a database error, a lost connection, a storage file that cannot be
 * written. The backend's own exception (for example the {@code SQLException}) is the cause. The
 * operation did not take effect. {@link #namespace()} and {@link #key()} name what the failed
 * operation concerned, where it concerned one namespace or one entry.
 */
public class StorageException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure that concerns no particular namespace, such as a schema check or a sweep.
   *
   * @param message what failed; never a value
   * @param cause the backend's exception
   */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A failure of an operation on a namespace or an entry.
   *
   * @param namespace the namespace concerned, or null
   * @param key the key concerned, or null when the operation concerned no single key
   * @param message what failed, naming namespace and key; never a value
   * @param cause the backend's exception
   */
  public StorageException(String namespace, String key, String message, Throwable cause) {
    super(namespace, key, message, cause);
  }
}
