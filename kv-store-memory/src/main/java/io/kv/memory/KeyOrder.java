package io.kv.memory;

import io.kv.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;

/**
 * Key order and listing cursors. Keys sort by Unicode code point, which is also the byte order
 * of their UTF-8, so every backend can agree on one order (a database sorts UTF-8 bytes under a
 * binary collation). {@link String#compareTo} differs from it only where a surrogate pair meets a
 * character from U+E000 to U+FFFF.
 */
final class KeyOrder {
  static final Comparator<String> CODE_POINT = KeyOrder::compare;

  private static final String CURSOR_PREFIX = "m1.";

  private KeyOrder() {}

  static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        boolean sx = Character.isSurrogate(x);
        if (sx != Character.isSurrogate(y)) {
          // A surrogate encodes a code point above U+FFFF, so it sorts after any BMP character.
          return sx ? 1 : -1;
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  /** An opaque cursor that resumes a listing after {@code lastKey}. */
  static String cursorAfter(String lastKey) {
    return CURSOR_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key a cursor resumes after.
   *
   * @throws InvalidInputException if the cursor was not made by {@link #cursorAfter}, or does not
   *     belong to a listing of {@code prefix}
   */
  static String keyOf(String cursor, String prefix) {
    if (cursor.startsWith(CURSOR_PREFIX)) {
      try {
        byte[] bytes = Base64.getUrlDecoder().decode(cursor.substring(CURSOR_PREFIX.length()));
        String key = new String(bytes, StandardCharsets.UTF_8);
        if (key.startsWith(prefix) && !key.isEmpty()) {
          return key;
        }
      } catch (IllegalArgumentException e) {
        // fall through to the error below
      }
    }
    throw new InvalidInputException("cursor", "must be a cursor returned by a listing of the same prefix");
  }
}
