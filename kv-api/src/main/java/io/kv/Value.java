package io.kv;

import io.kv.internal.ValueBytes;
import io.kv.spi.JsonReader;
import io.kv.spi.Utf8;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A typed, immutable value: a {@link ValueType} and the bytes that encode it.
 *
 * <p>Backends store the type and the bytes and never interpret them. The factory methods check
 * that the bytes fit the type ({@link #json(String)} checks the JSON syntax, {@link
 * #number(String)} the number syntax), so a reader can rely on the type.
 *
 * <p>{@link #toString()} never shows the content, only the type and size: values are often
 * secrets. Instances are immutable and thread-safe; {@link #equals(Object)} compares type and
 * bytes.
 */
public final class Value {
  private static final Value TRUE = new Value(ValueType.BOOLEAN, "true".getBytes(StandardCharsets.US_ASCII));
  private static final Value FALSE = new Value(ValueType.BOOLEAN, "false".getBytes(StandardCharsets.US_ASCII));

  static {
    ValueBytes.install(new ValueBytes.Access() {
      @Override
      public byte[] raw(Value value) {
        return value.bytes;
      }

      @Override
      public Value adopt(ValueType type, byte[] bytes) {
        if (type == ValueType.BOOLEAN) {
          return bool(bytes.length == 4);
        }
        return new Value(type, bytes);
      }
    });
  }

  private final ValueType type;
  private final byte[] bytes;

  private Value(ValueType type, byte[] bytes) {
    this.type = type;
    this.bytes = bytes;
  }

  /**
   * A text value.
   *
   * @param text the text
   * @return a text value
   * @throws NullPointerException if {@code text} is null
   * @throws InvalidInputException if {@code text} holds an unpaired surrogate (it is not valid
   *     Unicode and could not be stored as UTF-8)
   */
  public static Value string(String text) {
    Objects.requireNonNull(text, "text");
    Utf8.requireWellFormed(text, "value");
    return new Value(ValueType.STRING, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A JSON value from its text.
   *
   * @param json the JSON text
   * @return a JSON value from its text
   * @throws NullPointerException if {@code json} is null
   * @throws InvalidInputException if {@code json} is not one well-formed JSON document (RFC 8259)
   */
  public static Value json(String json) {
    Objects.requireNonNull(json, "json");
    Utf8.requireWellFormed(json, "value");
    JsonReader.check(json, "value");
    return new Value(ValueType.JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A number value; stored in plain (non-exponent) form.
   *
   * @param number the number
   * @return a number value
   */
  public static Value number(long number) {
    return new Value(ValueType.NUMBER, Long.toString(number).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A number value; stored in plain (non-exponent) form, keeping its scale ({@code 1.50} stays
   * {@code 1.50}).
   *
   * @param number the number
   * @return a number value
   * @throws NullPointerException if {@code number} is null
   */
  public static Value number(BigDecimal number) {
    Objects.requireNonNull(number, "number");
    return new Value(ValueType.NUMBER, number.toPlainString().getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A number value parsed from text such as {@code "3306"}, {@code "-0.25"} or {@code "1e3"}.
   *
   * @param number the number
   * @return a number value parsed from text such as {@code "3306"}, {@code "-0.25"} or {@code
   *     "1e3"}
   * @throws NullPointerException if {@code number} is null
   * @throws InvalidInputException if {@code number} is not a decimal number
   */
  public static Value number(String number) {
    Objects.requireNonNull(number, "number");
    try {
      return number(new BigDecimal(number.strip()));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("value", "a NUMBER value must be a decimal number");
    }
  }

  /**
   * A boolean value.
   *
   * @param value the boolean
   * @return a boolean value
   */
  public static Value bool(boolean value) {
    return value ? TRUE : FALSE;
  }

  /**
   * A binary value holding a copy of {@code bytes}.
   *
   * @param bytes the bytes, copied
   * @return a binary value holding a copy of {@code bytes}
   * @throws NullPointerException if {@code bytes} is null
   */
  public static Value binary(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return new Value(ValueType.BINARY, bytes.clone());
  }

  /**
   * Rebuilds a value from a type and its encoded bytes, as a backend reads them back. The bytes
   * are copied and checked against the type.
   *
   * @param type the value's type
   * @param bytes its encoded bytes
   * @return the value of {@code type} with those bytes
   * @throws NullPointerException if an argument is null
   * @throws InvalidInputException if the bytes do not encode a value of {@code type}
   */
  public static Value of(ValueType type, byte[] bytes) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(bytes, "bytes");
    switch (type) {
      case BINARY:
        return binary(bytes);
      case STRING:
        return string(Utf8.decodeStrict(bytes, "value"));
      case JSON:
        return json(Utf8.decodeStrict(bytes, "value"));
      case NUMBER:
        return number(Utf8.decodeStrict(bytes, "value"));
      case BOOLEAN:
        String text = Utf8.decodeStrict(bytes, "value");
        if (text.equals("true") || text.equals("false")) {
          return bool(text.equals("true"));
        }
        throw new InvalidInputException("value", "a BOOLEAN value must be true or false");
      default:
        throw new AssertionError(type);
    }
  }

  /**
   * The type of this value.
   *
   * @return the type of this value
   */
  public ValueType type() {
    return type;
  }

  /**
   * The size of the encoded value in bytes; this is what value size limits count.
   *
   * @return the size of the encoded value in bytes
   */
  public int size() {
    return bytes.length;
  }

  /**
   * A copy of the encoded bytes: UTF-8 text for every type but {@link ValueType#BINARY}.
   *
   * @return a copy of the encoded bytes
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The value as text: the string itself, the JSON text, the number's plain text, {@code
   * "true"}/{@code "false"}.
   *
   * @return the value as text
   * @throws IllegalStateException if this is a {@link ValueType#BINARY} value
   */
  public String asString() {
    if (type == ValueType.BINARY) {
      throw new IllegalStateException("a BINARY value has no text form; use bytes()");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * The number this value holds.
   *
   * @return the number this value holds
   * @throws IllegalStateException if this is not a {@link ValueType#NUMBER} value
   */
  public BigDecimal asNumber() {
    requireType(ValueType.NUMBER);
    return new BigDecimal(new String(bytes, StandardCharsets.US_ASCII));
  }

  /**
   * The boolean this value holds.
   *
   * @return the boolean this value holds
   * @throws IllegalStateException if this is not a {@link ValueType#BOOLEAN} value
   */
  public boolean asBoolean() {
    requireType(ValueType.BOOLEAN);
    return bytes.length == 4;
  }

  private void requireType(ValueType expected) {
    if (type != expected) {
      throw new IllegalStateException("value is " + type + ", not " + expected);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Value && ((Value) o).type == type && Arrays.equals(((Value) o).bytes, bytes);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(bytes);
  }

  /** Type and size only, never the content: for example {@code Value[STRING, 12 bytes]}. */
  @Override
  public String toString() {
    return "Value[" + type + ", " + bytes.length + " bytes]";
  }
}
