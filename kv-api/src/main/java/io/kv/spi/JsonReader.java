package io.kv.spi;

import io.kv.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON reader of kv: a strict RFC 8259 grammar that checks a {@link io.kv.ValueType#JSON}
 * value (so any JSON library can parse what kv stores) and reads the string members of an object
 * and the string items of an array (as a backend may keep an entry's metadata and tags). Members
 * and items of another type, which another program writing the same storage may add, are read
 * past and left out. Nesting is capped at {@link #MAX_DEPTH}, so hostile text cannot exhaust the
 * stack. Errors name the field and give the offset, never the text, which may be an
 * application's data.
 *
 * <p>Stateless and thread-safe: each read uses its own cursor.
 */
public final class JsonReader {
  /** The deepest nesting of objects and arrays read; deeper text is refused. */
  public static final int MAX_DEPTH = 512;

  private final String text;
  private final String field;
  private int at;

  private JsonReader(String text, String field) {
    this.text = text;
    this.field = field;
  }

  /**
   * Checks that {@code json} is one JSON value, with nothing but whitespace around it.
   *
   * @param field the field to name in an error
   * @param json the JSON text
   * @throws NullPointerException if an argument is null
   * @throws InvalidInputException naming {@code field} if it is not
   */
  public static void check(String json, String field) {
    JsonReader r = new JsonReader(json, field);
    r.blank();
    r.value(0, false);
    r.end();
  }

  /**
   * The members of the object {@code json} whose values are strings, in order; a later member of
   * the same name replaces an earlier one.
   *
   * @param field the field to name in an error
   * @param json the JSON text
   * @return the members of the object {@code json} whose values are strings, in order
   * @throws NullPointerException if an argument is null
   * @throws InvalidInputException naming {@code field} if {@code json} is not one JSON object
   */
  public static Map<String, String> stringMembers(String json, String field) {
    JsonReader r = new JsonReader(json, field);
    Map<String, String> out = new LinkedHashMap<>();
    r.open('{', "an object");
    r.items('}', () -> {
      String name = r.name(true);
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
   * @param field the field to name in an error
   * @param json the JSON text
   * @return the items of the array {@code json} that are strings, in order
   * @throws NullPointerException if an argument is null
   * @throws InvalidInputException naming {@code field} if {@code json} is not one JSON array
   */
  public static List<String> stringItems(String json, String field) {
    JsonReader r = new JsonReader(json, field);
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
    } while (next(close));
  }

  /** The value at the cursor if it is a string; a value of another type is read past, and null returned. */
  private String stringOrSkip() {
    if (peek() == '"') {
      return string(true);
    }
    value(1, false);
    return null;
  }

  /** A member's name and the colon after it; the name is built only if {@code keep}. */
  private String name(boolean keep) {
    String name = string(keep);
    blank();
    if (peek() != ':') {
      throw error("expected ':'");
    }
    at++;
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
  private boolean next(char close) {
    char c = peek();
    if (c == ',' || c == close) {
      at++;
      return c == ',';
    }
    throw error("expected ',' or '" + close + "'");
  }

  private void end() {
    blank();
    if (at != text.length()) {
      throw error("unexpected text after the end");
    }
  }

  /** Reads past one value of any type, {@code depth} containers deep. */
  private void value(int depth, boolean keep) {
    char c = peek();
    if (c == '"') {
      string(keep);
    } else if (c == '{' || c == '[') {
      if (depth >= MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH);
      }
      at++;
      items(c == '{' ? '}' : ']', () -> {
        if (c == '{') {
          name(false);
        }
        value(depth + 1, false);
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
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else if (digits() == 0) {
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

  /** Reads a string; returns its text if {@code keep}, else null. */
  private String string(boolean keep) {
    if (peek() != '"') {
      throw error("expected a string");
    }
    at++;
    StringBuilder sb = keep ? new StringBuilder() : null;
    while (true) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at);
      if (c == '"') {
        at++;
        return keep ? sb.toString() : null;
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      at++;
      char out = c == '\\' ? escape() : c;
      if (keep) {
        sb.append(out);
      }
    }
  }

  /** The character an escape stands for; the cursor is just past the backslash. */
  private char escape() {
    char e = peek();
    at++;
    switch (e) {
      case '"', '\\', '/':
        return e;
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        return hex4();
      default:
        at--;
        throw error("invalid escape");
    }
  }

  /** Four hex digits, ASCII only as RFC 8259 has them (not any script's digits). */
  private char hex4() {
    int v = 0;
    for (int i = 0; i < 4; i++) {
      char c = peek();
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) {
        throw error("invalid \\u escape");
      }
      v = v * 16 + d;
      at++;
    }
    return (char) v;
  }

  private void blank() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  /** The character at the cursor, or 0 at the end (0 is never valid where a character is looked at). */
  private char peek() {
    return at < text.length() ? text.charAt(at) : 0;
  }

  private InvalidInputException error(String what) {
    return new InvalidInputException(field, "must be well-formed JSON: " + what + " at offset " + at);
  }
}
