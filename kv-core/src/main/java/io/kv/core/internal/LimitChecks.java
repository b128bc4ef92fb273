package io.kv.core.internal;

import io.kv.InvalidInputException;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.core.LimitPolicy;
import io.kv.spi.Utf8;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * The checks of the limits layer that look at one call's arguments alone: key and value size
 * and TTL range, against a namespace's {@link LimitPolicy}. Each refusal is an {@link
 * InvalidInputException} naming the field and the limit, never the value. Stateless and
 * thread-safe.
 */
final class LimitChecks {
  private LimitChecks() {}

  static void checkWrite(LimitPolicy l, String key, Value value, WriteOptions options) {
    checkKey(l, key, "key");
    checkValue(l, value);
    Objects.requireNonNull(options, "options");
    checkTtl(l, options.ttl(), "ttl");
  }

  static void checkKeys(LimitPolicy l, Collection<String> keys) {
    Objects.requireNonNull(keys, "keys");
    for (String key : keys) {
      checkKey(l, key, "key");
    }
  }

  static void checkKey(LimitPolicy l, String key, String field) {
    Objects.requireNonNull(key, field);
    int max = l.maxKeyBytes();
    // No char takes more than three bytes of UTF-8 (a surrogate pair takes four for two chars).
    if (key.length() <= max / 3) {
      return;
    }
    int bytes = Utf8.encodedLength(key);
    if (bytes < 0) {
      // Unencodable, so it has no length to compare: refused as every store refuses it.
      Utf8.requireWellFormed(key, field);
    }
    if (bytes > max) {
      throw new InvalidInputException(field, "must be at most " + max + " bytes of UTF-8 (maxKeyBytes; was " + bytes + ")");
    }
  }

  static void checkValue(LimitPolicy l, Value value) {
    Objects.requireNonNull(value, "value");
    if (value.size() > l.maxValueBytes()) {
      throw new InvalidInputException("value",
          "must be at most " + l.maxValueBytes() + " bytes (maxValueBytes; was " + value.size() + ")");
    }
  }

  /** Compares durations and never converts them, so even {@code Duration.ofSeconds(Long.MAX_VALUE)} is safe. */
  static void checkTtl(LimitPolicy l, Optional<Duration> ttl, String field) {
    if (ttl.isEmpty()) {
      return;
    }
    Duration d = ttl.get();
    if (d.compareTo(l.minTtl()) < 0) {
      throw new InvalidInputException(field, "must be at least " + l.minTtl() + " (minTtl)");
    }
    if (l.maxTtl().isPresent() && d.compareTo(l.maxTtl().get()) > 0) {
      throw new InvalidInputException(field, "must be at most " + l.maxTtl().get() + " (maxTtl)");
    }
  }

}
