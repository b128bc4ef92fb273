package io.kv;

import io.kv.spi.Utf8;
import java.util.Objects;

/**
 * The rule for text a store keeps but never interprets (a write's reason, a principal's name, a
 * namespace's description and owner): the rule keys follow, valid Unicode without control
 * characters, and a length limit of its own. Control characters are refused because these texts
 * end up in audit logs and history, where a line break would let one record pose as two, and a
 * NUL cannot be stored by every database. Stateless.
 */
final class FreeText {
  private FreeText() {}

  /**
   * Checks {@code text}.
   *
   * @throws NullPointerException if it is null
   * @throws InvalidInputException naming {@code field} if it is longer than {@code maxChars}
   *     chars, holds an unpaired surrogate or a control character
   */
  static void check(String text, String field, int maxChars) {
    Objects.requireNonNull(text, field);
    if (text.length() > maxChars) {
      throw new InvalidInputException(field, "must be at most " + maxChars + " characters (was " + text.length() + ")");
    }
    Utf8.requireWellFormed(text, field);
    requireNoControl(text, field);
  }

  /** @throws InvalidInputException naming {@code field} if {@code text} holds a control character */
  static void requireNoControl(CharSequence text, String field) {
    for (int i = 0, n = text.length(); i < n; i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw new InvalidInputException(field, "must not contain control characters (found one at index " + i + ")");
      }
    }
  }
}
