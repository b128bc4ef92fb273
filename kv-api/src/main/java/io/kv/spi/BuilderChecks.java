package io.kv.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks of kv's builders, for backend builders to apply alike: each setting is
 * accepted once (a second call is a mistake, not an override), and each is checked when it is
 * given, with the JDK's exceptions, since misusing a builder is a programming error rather than a
 * failure of a store operation. Stateless and thread-safe.
 */
public final class BuilderChecks {
  private BuilderChecks() {}

  /**
   * Returns {@code next} if {@code current} is unset.
   *
   * @param current the setting's value so far, null while unset
   * @param next the value given
   * @param name the setting, for the message
   * @param <T> the type of the result
   * @return {@code next} if {@code current} is unset
   * @throws IllegalStateException naming the setting if {@code current} is already set
   */
  public static <T> T once(T current, T next, String name) {
    if (current != null) {
      throw new IllegalStateException(name + " was already set");
    }
    return next;
  }

  /**
   * Checks that {@code current} is unset.
   *
   * @param current the setting's value so far, null while unset
   * @param name the setting, for the message
   * @throws IllegalStateException naming the setting if it is already set
   */
  public static void once(Object current, String name) {
    once(current, Boolean.TRUE, name);
  }

  /**
   * Returns {@code value}, a setting that must be a positive duration.
   *
   * @param value the setting's value
   * @param name the setting, for the message
   * @return {@code value}, a setting that must be a positive duration
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException naming the setting unless {@code value} is positive
   */
  public static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }
}
