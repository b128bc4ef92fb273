package io.kv;

import java.util.Objects;

/**
 * An argument broke a rule: a key that is empty, too long or malformed, a bad namespace name, a
 * value over the size limit, a TTL out of range. The message names the field and the rule or
 * limit, never the offending value when it could be a secret.
 */
public class InvalidInputException extends KvException {
  private static final long serialVersionUID = 1L;

  /** The argument at fault. */
  private final String field;

  /**
   * @param field the argument at fault, such as {@code "key"}, {@code "value"} or {@code "ttl"}
   * @param rule the rule it broke, such as {@code "must be at most 512 bytes of UTF-8"}
   */
  public InvalidInputException(String field, String rule) {
    this(field, rule, null);
  }

  /**
   * @param field the argument at fault, such as {@code "value"}
   * @param rule the rule it broke or why it could not be used; never the value
   * @param cause what the library that read the argument threw (a Jackson exception), or null;
   *     its message must not hold a secret either
   */
  public InvalidInputException(String field, String rule, Throwable cause) {
    super(null, null, Objects.requireNonNull(field, "field") + " " + Objects.requireNonNull(rule, "rule"), cause);
    this.field = field;
  }

  /**
   * The argument at fault, such as {@code "key"}, {@code "value"} or {@code "ttl"}.
   *
   * @return the argument at fault, such as {@code "key"}, {@code "value"} or {@code "ttl"}
   */
  public String field() {
    return field;
  }
}
