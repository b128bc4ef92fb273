package io.kv.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the string members of a JSON object and the string items of a JSON array, as the store
 * keeps an entry's metadata and tags. The whole text is checked against RFC 8259; members and
 * items of any other type (numbers, literals, nested objects and arrays), which another program
 * writing the same rows may add, are read past and left out. Errors give the offset, never the
 * text, which may be an application's data. Not thread-safe; each read uses its own instance.
 */
final class JsonText {
  /** Nesting a skipped value may have; deeper text is refused rather than risking the stack. */
  static final int MAX_DEPTH = 64;

  private final String text;
  private int at;

  private JsonText(String text) {
    this.text = text;
  }

  /**
   * The members of the object {@code json} whose values are strings, in order; a later member
   * of the same name replaces an earlier one.
   *
   * @throws IllegalArgumentException if {@code json} is not one JSON object
   */
  static Map<String, String> stringMembers(String json) {
    JsonText r = new JsonText(json);
    Map<String, String> out = new LinkedHashMap<>();
    r.open('{', "an object");
    r.items('}', () -> {
      String name = r.name();
      String value = r.stringOrSkip();
      if (value != null) {
        out.put(name, value);
      }
    });
    r.end();
    return out;
  }

  /**
   * The items of the array {@code json} that are strings, in order.
   *
   * @throws IllegalArgumentException if {@code json} is not one JSON array
   */
  static List<String> stringItems(String json) {
    JsonText r = new JsonText(json);
    List<String> out = new ArrayList<>();
    r.open('[', "an array");
    r.items(']', () -> {
      String value = r.stringOrSkip();
      if (value != null) {
        out.add(value);
      }
    });
    r.end();
    return out;
  }

  /** Reads the members or items of the container just opened, each by {@code element}, and its closing bracket. */
  private void items(char close, Runnable element) {
    if (closes(close)) {
      return;
    }
    do {
      blank();
      element.run();
      blank();
    } while (next(',', close));
  }

  /** The value at the cursor if it is a string; a value of another type is read past, and null returned. */
  private String stringOrSkip() {
    if (peek() == '"') {
      return string();
    }
    skip(1);
    return null;
  }

  /** A member's name and the colon after it. */
  private String name() {
    String name = string();
    blank();
    expect(':');
    blank();
    return name;
  }

  private void open(char bracket, String what) {
    blank();
    if (peek() != bracket) {
      throw error("expected " + what);
    }
    at++;
  }

  /** Whether the container closes at once (it is empty); consumes the bracket if so. */
  private boolean closes(char bracket) {
    blank();
    if (peek() == bracket) {
      at++;
      return true;
    }
    return false;
  }

  /** After a member or item: true on a comma (another follows), false on the closing bracket. */
  private boolean next(char comma, char close) {
    char c = peek();
    at++;
    if (c == comma) {
      return true;
    }
    if (c == close) {
      return false;
    }
    at--;
    throw error("expected '" + comma + "' or '" + close + "'");
  }

  private void end() {
    blank();
    if (at != text.length()) {
      throw error("unexpected text after the end");
    }
  }

  /** Reads past one value of any type. */
  private void skip(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    char c = peek();
    if (c == '"') {
      string();
    } else if (c == '{' || c == '[') {
      at++;
      items(c == '{' ? '}' : ']', () -> {
        if (c == '{') {
          name();
        }
        skip(depth + 1);
      });
    } else if (c == 't') {
      word("true");
    } else if (c == 'f') {
      word("false");
    } else if (c == 'n') {
      word("null");
    } else {
      number();
    }
  }

  private void word(String w) {
    if (!text.startsWith(w, at)) {
      throw error("expected a value");
    }
    at += w.length();
  }

  /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private void number() {
    int start = at;
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else if (digits() == 0) {
      at = start;
      throw error("expected a value");
    }
    if (peek() == '.') {
      at++;
      if (digits() == 0) {
        throw error("expected a digit after the decimal point");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      if (digits() == 0) {
        throw error("expected a digit in the exponent");
      }
    }
  }

  private int digits() {
    int n = 0;
    while (peek() >= '0' && peek() <= '9') {
      at++;
      n++;
    }
    return n;
  }

  private String string() {
    if (peek() != '"') {
      throw error("expected a string");
    }
    at++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        at--;
        throw error("control character in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = at < text.length() ? text.charAt(at++) : 0;
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(hex4());
        default -> {
          at--;
          throw error("invalid escape");
        }
      }
    }
  }

  private char hex4() {
    if (at + 4 > text.length()) {
      throw error("invalid \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(at + i), 16);
      if (d < 0) {
        throw error("invalid \\u escape");
      }
      v = v * 16 + d;
    }
    at += 4;
    return (char) v;
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private void blank() {
    while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t' || text.charAt(at) == '\n'
        || text.charAt(at) == '\r')) {
      at++;
    }
  }

  /** The character at the cursor, or 0 at the end (0 is never valid where a character is looked at). */
  private char peek() {
    return at < text.length() ? text.charAt(at) : 0;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("not valid JSON at offset " + at + ": " + what);
  }
}
