package io.kv;

/**
 * kv cannot start with the configuration it was given: the environment variable holding the
 * master key is missing or malformed, the database refuses the credentials, the JDBC driver or
 * the connection pool cannot be loaded, a key provider holds no key by the id asked for. The
 * message names the setting at fault (the variable, the key id, the data source) and the form it
 * must take; it never contains a secret, a password or a key. Where a library or the database
 * reported the failure, its exception is the cause.
 *
 * <p>A setting that is wrong in the code itself (a null, a blank name, a setting repeated on a
 * builder) stays the JDK's {@code NullPointerException}, {@code IllegalArgumentException} or
 * {@code IllegalStateException}, as {@link KvException} describes; this exception is for what
 * depends on the environment the application runs in, and is thrown while it starts.
 */
public class ConfigurationException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message the setting at fault and what it must be; never a secret
   */
  public ConfigurationException(String message) {
    super(message);
  }

  /**
   * @param message the setting at fault and what it must be; never a secret
   * @param cause what the database, driver or pool reported, or null
   */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
