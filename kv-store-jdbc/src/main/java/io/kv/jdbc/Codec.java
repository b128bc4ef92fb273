package io.kv.jdbc;

import io.kv.spi.JsonReader;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Text forms the store writes: metadata as a JSON object of strings, tags as a JSON array of
 * strings (readable with any database's JSON functions), and the upper bound of a prefix range. Stateless.
 */
final class Codec {
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
   * @throws io.kv.InvalidInputException naming {@code "metadata"} if the text is not a JSON object
   */
  static Map<String, String> parseMetadata(String json) {
    return JsonReader.stringMembers(json, "metadata");
  }

  /**
   * The tags a row holds: the string items of its JSON array.
   *
   * @throws io.kv.InvalidInputException naming {@code "tags"} if the text is not a JSON array
   */
  static List<String> parseTags(String json) {
    return JsonReader.stringItems(json, "tags");
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
