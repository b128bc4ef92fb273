package io.kv.core;

import java.util.Objects;
import org.slf4j.Logger;

/** The sink of {@link AuditSinks#slf4j()}: one INFO line of {@code key=value} pairs per record. */
final class Slf4jAuditSink implements AuditSink {
  private final Logger logger;

  Slf4jAuditSink(Logger logger) {
    this.logger = logger;
  }

  @Override
  public void record(AuditRecord record) {
    Objects.requireNonNull(record, "record");
    if (logger.isInfoEnabled()) {
      logger.info(format(record));
    }
  }

  static String format(AuditRecord r) {
    StringBuilder b = new StringBuilder(128);
    field(b, "time", r.timestamp().toString());
    field(b, "principal", r.principal().name());
    field(b, "action", r.action().name());
    r.namespace().ifPresent(ns -> field(b, "namespace", ns));
    r.key().ifPresent(k -> field(b, "key", k));
    field(b, "outcome", r.success() ? "success" : "failure");
    r.errorKind().ifPresent(e -> field(b, "error", e));
    return b.toString();
  }

  private static void field(StringBuilder b, String name, String text) {
    if (b.length() > 0) {
      b.append(' ');
    }
    b.append(name).append('=');
    if (isPlain(text)) {
      b.append(text);
      return;
    }
    b.append('"');
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }

  private static boolean isPlain(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-' || c == '/' || c == ':' || c == '@' || c == '+';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "Slf4jAuditSink[" + logger.getName() + "]";
  }
}
