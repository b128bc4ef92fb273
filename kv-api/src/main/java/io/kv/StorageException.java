package io.kv;

/**
 * The backend failed: a database error, a lost connection, a storage file that cannot be
 * written. The backend's own exception (for example the {@code SQLException}) is the cause. The
 * operation did not take effect.
 */
public class StorageException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming namespace and key where they apply; never a value
   * @param cause the backend's exception
   */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
