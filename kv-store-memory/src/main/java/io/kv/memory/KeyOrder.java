package io.kv.memory;

import java.util.Comparator;

/**
 * Key order. Keys sort by Unicode code point, which is also the byte order
 * of their UTF-8, so every backend can agree on one order (a database sorts UTF-8 bytes under a
 * binary collation). {@link String#compareTo} differs from it only where a surrogate pair meets a
 * character from U+E000 to U+FFFF.
 */
final class KeyOrder {
  static final Comparator<String> CODE_POINT = KeyOrder::compare;

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
}
