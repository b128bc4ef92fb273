package io.kv.core;

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
}
