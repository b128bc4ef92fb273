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
}
