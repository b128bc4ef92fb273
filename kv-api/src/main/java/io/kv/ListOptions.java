package io.kv;

import java.util.Objects;
import java.util.Optional;

/**
 * Which page of a prefix listing to return. Immutable; start with {@link #all()} or {@link
 * #prefix(String)} and narrow with {@link #limit(int)} and {@link #after(String)}.
 *
 * @param prefix only keys that start with this text (an empty prefix lists everything); matched
 *     exactly, case included: {@code "A/"} never matches {@code "a/x"}
 * @param cursor continue after the page that returned this {@link Page#nextCursor() cursor}
 * @param limit the most entries to return, 1 to {@value #MAX_LIMIT}
 */
public record ListOptions(String prefix, Optional<String> cursor, int limit) {
  /** The page size when none is given. */
  public static final int DEFAULT_LIMIT = 100;

  /** The largest page size a store accepts. */
  public static final int MAX_LIMIT = 1000;

  /**
   * Checks the components.
   *
   * @param prefix only keys that start with this text (an empty prefix lists everything); matched
   *     exactly, case included: {@code "A/"} never matches {@code "a/x"}
   * @param cursor continue after the page that returned this {@link Page#nextCursor() cursor}
   * @param limit the most entries to return, 1 to {@value #MAX_LIMIT}
   * @throws NullPointerException if a component is null
   * @throws InvalidInputException if {@code limit} is out of range
   */
  public ListOptions {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
    }
  }

  /**
   * The first page of all keys, {@value #DEFAULT_LIMIT} at a time.
   *
   * @return the first page of all keys, {@value #DEFAULT_LIMIT} at a time
   */
  public static ListOptions all() {
    return prefix("");
  }

  /**
   * The first page of keys starting with {@code prefix}, {@value #DEFAULT_LIMIT} at a time.
   *
   * @param prefix only keys that start with this text (an empty prefix lists everything); matched
   *     exactly, case included: {@code "A/"} never matches {@code "a/x"}
   * @return the first page of keys starting with {@code prefix}, {@value #DEFAULT_LIMIT} at a time
   */
  public static ListOptions prefix(String prefix) {
    return new ListOptions(prefix, Optional.empty(), DEFAULT_LIMIT);
  }

  /**
   * These options with another page size.
   *
   * @param limit the most entries to return, 1 to {@value #MAX_LIMIT}
   * @return these options with another page size
   */
  public ListOptions limit(int limit) {
    return new ListOptions(prefix, cursor, limit);
  }

  /**
   * These options continuing after the page that returned {@code cursor}.
   *
   * @param cursor continue after the page that returned this {@link Page#nextCursor() cursor}
   * @return these options continuing after the page that returned {@code cursor}
   */
  public ListOptions after(String cursor) {
    return new ListOptions(prefix, Optional.of(cursor), limit);
  }
}
