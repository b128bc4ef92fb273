package io.kv.jdbc;

import io.kv.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Text forms the store writes: metadata as a JSON object of strings, tags as a JSON array of
 * strings (readable with any database's JSON functions), listing cursors, and the upper bound of
 * a prefix range. Stateless.
 */
final class Codec {
  private static final String CURSOR_PREFIX = "j1.";

  private Codec() {}

  static String metadataJson(Map<String, String> metadata) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      quote(sb, e.getKey());
      sb.append(':');
      quote(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  static String tagsJson(Collection<String> tags) {
    StringBuilder sb = new StringBuilder("[");
    for (String t : new TreeSet<>(tags)) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      quote(sb, t);
    }
    return sb.append(']').toString();
  }

  /**
   * The metadata a row holds: the string members of its JSON object.
   *
   * @throws IllegalArgumentException if the text is not a JSON object
   */
  static Map<String, String> parseMetadata(String json) {
    return JsonText.stringMembers(json);
  }

  /**
   * The tags a row holds: the string items of its JSON array.
   *
   * @throws IllegalArgumentException if the text is not a JSON array
   */
  static List<String> parseTags(String json) {
    return JsonText.stringItems(json);
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  /** An opaque cursor that resumes a listing after {@code lastKey}. */
  static String cursorAfter(String lastKey) {
    return CURSOR_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key a cursor resumes after.
   *
   * @throws InvalidInputException if the cursor was not made by {@link #cursorAfter} for a listing of {@code prefix}
   */
  static String keyOf(String cursor, String prefix) {
    if (cursor.startsWith(CURSOR_PREFIX)) {
      try {
        byte[] bytes = Base64.getUrlDecoder().decode(cursor.substring(CURSOR_PREFIX.length()));
        String key = new String(bytes, StandardCharsets.UTF_8);
        if (!key.isEmpty() && key.startsWith(prefix) && java.util.Arrays.equals(key.getBytes(StandardCharsets.UTF_8), bytes)) {
          return key;
        }
      } catch (IllegalArgumentException e) {
        // fall through to the error below
      }
    }
    throw new InvalidInputException("cursor", "must be a cursor returned by a listing of the same prefix");
  }

  /**
   * The least string above every string that starts with {@code prefix}, in code point order:
   * the prefix with its last code point incremented (skipping the surrogate range), dropping
   * trailing U+10FFFF; empty when there is no bound (the empty prefix, or only U+10FFFF).
   */
  static Optional<String> upperBound(String prefix) {
    int[] cps = prefix.codePoints().toArray();
    for (int i = cps.length - 1; i >= 0; i--) {
      int cp = cps[i];
      if (cp < Character.MAX_CODE_POINT) {
        int next = cp + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : cp + 1;
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < i; j++) {
          sb.appendCodePoint(cps[j]);
        }
        return Optional.of(sb.appendCodePoint(next).toString());
      }
    }
    return Optional.empty();
  }
}
