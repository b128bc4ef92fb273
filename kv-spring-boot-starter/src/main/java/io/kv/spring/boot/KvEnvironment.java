package io.kv.spring.boot;

import java.util.Optional;

/**
 * Where the auto-configuration reads the master key's environment variable. The default reads
 * the process environment; an application (or a test) defines a bean of this type to read it
 * from elsewhere. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface KvEnvironment {
  /**
   * The value of environment variable {@code name}.
   *
   * @param name the variable's name
   * @return its value, or empty if it is not set
   */
  Optional<String> variable(String name);

  /**
   * The process environment ({@link System#getenv(String)}).
   *
   * @return a lookup of the process environment
   */
  static KvEnvironment system() {
    return name -> Optional.ofNullable(System.getenv(name));
  }
}
