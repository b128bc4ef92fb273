package io.kv;

/**
 * A strict RFC 8259 syntax check, so a {@link ValueType#JSON} value is always parseable by any
 * JSON library. It builds nothing; nesting is capped so a hostile document cannot exhaust the
 * stack. Messages give the offset, never the text.
 */
final class JsonSyntax {
  static final int MAX_DEPTH = 512;

  private final String s;
  private int pos;

  private JsonSyntax(String s) {
    this.s = s;
  }

  static void check(String json) {
    JsonSyntax p = new JsonSyntax(json);
    p.ws();
    p.value(0);
    p.ws();
    if (p.pos != json.length()) {
      throw p.error("unexpected content after the document");
    }
  }

  private void value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
    if (pos >= s.length()) {
      throw error("unexpected end of input");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        object(depth + 1);
        break;
      case '[':
        array(depth + 1);
        break;
      case '"':
        string();
        break;
      case 't':
        literal("true");
        break;
      case 'f':
        literal("false");
        break;
      case 'n':
        literal("null");
        break;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          number();
        } else {
          throw error("unexpected character");
        }
    }
  }

  private void object(int depth) {
    pos++;
    ws();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      ws();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      string();
      ws();
      expect(':');
      ws();
      value(depth);
      ws();
      char c = next();
      if (c == '}') {
        return;
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private void array(int depth) {
    pos++;
    ws();
    if (peek() == ']') {
      pos++;
      return;
    }
    while (true) {
      ws();
      value(depth);
      ws();
      char c = next();
      if (c == ']') {
        return;
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private void string() {
    pos++;
    while (true) {
      char c = next();
      if (c == '"') {
        return;
      }
      if (c < 0x20) {
        throw error("unescaped control character in a string");
      }
      if (c == '\\') {
        char e = next();
        if (e == 'u') {
          for (int i = 0; i < 4; i++) {
            if (Character.digit(next(), 16) < 0) {
              throw error("bad \\u escape");
            }
          }
        } else if ("\"\\/bfnrt".indexOf(e) < 0) {
          throw error("bad escape");
        }
      }
    }
  }

  private void number() {
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else {
      digits();
    }
    if (peek() == '.') {
      pos++;
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      digits();
    }
  }

  private void digits() {
    int start = pos;
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      throw error("expected a digit");
    }
  }

  private void literal(String word) {
    if (!s.startsWith(word, pos)) {
      throw error("unexpected character");
    }
    pos += word.length();
  }

  private void ws() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private char next() {
    if (pos >= s.length()) {
      throw error("unexpected end of input");
    }
    return s.charAt(pos++);
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private InvalidInputException error(String what) {
    return new InvalidInputException("value", "a JSON value must be well-formed JSON: " + what + " at offset " + pos);
  }
}
