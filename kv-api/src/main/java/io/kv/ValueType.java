package io.kv;

/**
 * The type of a stored {@link Value}. The type travels with the bytes, so a reader gets back
 * exactly what the writer meant: the text {@code "42"} and the number {@code 42} are different
 * values.
 */
public enum ValueType {
  /** UTF-8 text. */
  STRING,
  /** A JSON document (object, array or scalar), kept as its UTF-8 text. */
  JSON,
  /** A decimal number, kept in its canonical plain text form (for example {@code 3306}, {@code 0.5}). */
  NUMBER,
  /** {@code true} or {@code false}. */
  BOOLEAN,
  /** Opaque bytes. */
  BINARY
}
