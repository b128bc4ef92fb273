package io.kv.jdbc;

/** Checks shared by this package's builders, each of which accepts a setting only once. */
final class Settings {
  private Settings() {}

  /**
   * Returns {@code next} if {@code current} is unset.
   *
   * @throws IllegalStateException naming the setting if {@code current} is already set
   */
  static <T> T once(T current, T next, String name) {
    if (current != null) {
      throw new IllegalStateException(name + " was already set");
    }
    return next;
  }

  /**
   * Checks that {@code current} is unset.
   *
   * @throws IllegalStateException naming the setting if it is already set
   */
  static void once(Object current, String name) {
    once(current, Boolean.TRUE, name);
  }

  /**
   * Returns {@code value}, a setting that must be a positive duration.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException naming the setting unless {@code value} is positive
   */
  static java.time.Duration positive(java.time.Duration value, String name) {
    java.util.Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }
}
