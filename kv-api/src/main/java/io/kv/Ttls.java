package io.kv;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The one rule for a TTL, whether a write's own ({@link WriteOptions#ttl()}) or a namespace's
 * default ({@link NamespaceSettings#defaultTtl()}). Stateless.
 */
final class Ttls {
  private static final Duration ONE_MILLI = Duration.ofMillis(1);

  private Ttls() {}

  /**
   * {@code ttl} cut to whole milliseconds, the precision of every stored timestamp.
   *
   * @throws InvalidInputException naming {@code field} if it is under a millisecond or over
   *     {@link WriteOptions#MAX_TTL}
   */
  static Duration check(Duration ttl, String field) {
    // Compare before converting: toMillis() overflows on ChronoUnit.FOREVER and its kin.
    if (ttl.compareTo(ONE_MILLI) < 0) {
      throw new InvalidInputException(field, "must be at least 1 millisecond");
    }
    if (ttl.compareTo(WriteOptions.MAX_TTL) > 0) {
      throw new InvalidInputException(field, "must be at most " + WriteOptions.MAX_TTL.toDays() + " days");
    }
    return ttl.truncatedTo(ChronoUnit.MILLIS);
  }
}
