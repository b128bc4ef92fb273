package io.kv.internal;

import io.kv.Value;
import io.kv.ValueType;
import java.util.Objects;

/**
 * Reads a {@link Value}'s bytes without the copy {@link Value#bytes()} makes, and builds a value
 * over an array without copying it: for kv's encryption, which would otherwise copy every sealed
 * envelope and every plaintext once more than the cipher does, and for the memory store, which
 * keeps an earlier version's array without its {@code Value}. Not API (see the package).
 *
 * <p>Whoever calls these takes over {@link Value}'s immutability: an array passed to or received
 * from this class must never be written afterwards. Thread-safe.
 */
public final class ValueBytes {
  /** What {@link Value} lends this class; implemented by {@link Value} alone. */
  public interface Access {
    /**
     * The value's own array.
     *
     * @param value a value
     * @return its array, not a copy
     */
    byte[] raw(Value value);

    /**
     * A value that owns {@code bytes}, which already encode a value of {@code type}.
     *
     * @param type the value's type
     * @param bytes its encoded bytes, kept
     * @return the value
     */
    Value adopt(ValueType type, byte[] bytes);
  }

  private static volatile Access access;

  private ValueBytes() {}

  /**
   * Called once, by {@link Value}'s static initialiser.
   *
   * @param valueAccess what {@link Value} lends
   * @throws IllegalStateException if the caller is not {@link Value}, or access was installed
   */
  public static void install(Access valueAccess) {
    Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
    if (caller != Value.class || access != null) {
      throw new IllegalStateException("only io.kv.Value installs its access, once");
    }
    access = Objects.requireNonNull(valueAccess, "valueAccess");
  }

  /**
   * {@code value}'s own bytes, not a copy: never write to them.
   *
   * @param value a value
   * @return its array
   * @throws NullPointerException if {@code value} is null
   */
  public static byte[] raw(Value value) {
    Objects.requireNonNull(value, "value");
    return access.raw(value);
  }

  /**
   * A value that owns {@code bytes} (never write to them afterwards). Unlike {@link
   * Value#of(ValueType, byte[])} nothing is checked: the caller must know the bytes encode a value
   * of {@code type}, for example because it authenticated them as the bytes of such a value.
   *
   * @param type the value's type
   * @param bytes its encoded bytes, kept without a copy
   * @return a value over {@code bytes}
   * @throws NullPointerException if an argument is null
   */
  public static Value adopt(ValueType type, byte[] bytes) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(bytes, "bytes");
    Access a = access;
    if (a == null) {
      // No Value exists yet, so its class is not initialised: doing so installs the access.
      Value.bool(true);
      a = access;
    }
    return a.adopt(type, bytes);
  }
}
