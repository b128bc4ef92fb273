package io.kv.spi;

import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.WriteOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads fields back from a persistent backend's storage into kv's value types without ever
 * failing on what an earlier build stored under looser rules: a default TTL of 0 (an earlier build
 * stored a TTL under a millisecond that way), a reason, principal, description or owner with a
 * control character, an unpaired surrogate or more characters than the rules now allow. Reading
 * one such row must not make a namespace, its listing or an export unreadable, and must not drop
 * the row either: a namespace read as undeclared would lose its secret flag.
 *
 * <p>The repair rule, the same for every backend:
 *
 * <ul>
 *   <li>text: every control character and every unpaired surrogate becomes U+FFFD, and text over
 *       its limit is cut to the limit (never between the two halves of a surrogate pair); a
 *       principal left blank becomes U+FFFD;
 *   <li>a default TTL under a millisecond becomes one millisecond (the TTL closest to what was
 *       asked for that the rules allow), one over {@link WriteOptions#MAX_TTL} becomes {@code
 *       MAX_TTL};
 *   <li>a history depth out of range becomes the nearest allowed one.
 * </ul>
 *
 * <p>Values within the rules come back unchanged. A repaired namespace keeps reading back repaired
 * until its settings are updated. Stateless and thread-safe.
 */
public final class StoredFields {
  private static final char REPLACEMENT = '\uFFFD';

  private StoredFields() {}

  /**
   * Namespace settings from their stored fields, repaired as the class describes.
   *
   * @param description the stored description; null reads as empty
   * @param owner the stored owner; null reads as empty
   * @param secret the stored secret flag
   * @param defaultTtlMillis the stored default TTL in milliseconds, or empty for none
   * @param maxVersions the stored history depth
   * @return settings that pass {@link NamespaceSettings}' checks
   */
  public static NamespaceSettings namespaceSettings(
      String description, String owner, boolean secret, OptionalLong defaultTtlMillis, int maxVersions) {
    return new NamespaceSettings(
        text(description, NamespaceSettings.MAX_DESCRIPTION_LENGTH),
        text(owner, NamespaceSettings.MAX_OWNER_LENGTH),
        secret,
        defaultTtl(defaultTtlMillis),
        Math.max(0, Math.min(maxVersions, NamespaceSettings.MAX_VERSIONS_LIMIT)));
  }

  /**
   * A stored default TTL in milliseconds, repaired as the class describes.
   *
   * @param millis the stored TTL, or empty for none
   * @return the TTL, within {@link WriteOptions#MAX_TTL}, or empty
   */
  public static Optional<Duration> defaultTtl(OptionalLong millis) {
    if (millis.isEmpty()) {
      return Optional.empty();
    }
    long max = WriteOptions.MAX_TTL.toMillis();
    return Optional.of(Duration.ofMillis(Math.max(1, Math.min(millis.getAsLong(), max))));
  }

  /**
   * A stored reason, repaired as the class describes.
   *
   * @param stored the stored reason, or null for none
   * @return the reason, passing the rule of {@link WriteOptions#reason()}, or empty
   */
  public static Optional<String> reason(String stored) {
    return stored == null ? Optional.empty() : Optional.of(text(stored, WriteOptions.MAX_REASON_LENGTH));
  }

  /**
   * A stored principal's name, repaired as the class describes.
   *
   * @param stored the stored name; null reads as blank
   * @return the principal
   */
  public static Principal principal(String stored) {
    String name = text(stored, Principal.MAX_NAME_LENGTH);
    return Principal.of(name.isBlank() ? String.valueOf(REPLACEMENT) : name);
  }

  /**
   * {@code stored} with each control character and unpaired surrogate replaced by U+FFFD, cut to
   * at most {@code maxLength} chars without splitting a surrogate pair.
   *
   * @param stored the stored text; null reads as empty
   * @param maxLength the most chars the result may hold
   * @return the repaired text; {@code stored} itself when it needed no repair
   * @throws IllegalArgumentException if {@code maxLength} is negative
   */
  public static String text(String stored, int maxLength) {
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must not be negative, was " + maxLength);
    }
    if (stored == null) {
      return "";
    }
    int n = Math.min(stored.length(), maxLength);
    StringBuilder out = null;
    for (int i = 0; i < n; i++) {
      char c = stored.charAt(i);
      boolean pairStart = Character.isHighSurrogate(c) && i + 1 < stored.length()
          && Character.isLowSurrogate(stored.charAt(i + 1));
      if (pairStart && i + 1 == n) {
        // The pair straddles the limit: drop its first half rather than keep half a character.
        n = i;
        break;
      }
      boolean bad = Character.isISOControl(c) || (Character.isSurrogate(c) && !pairStart);
      if (bad && out == null) {
        out = new StringBuilder(n).append(stored, 0, i);
      }
      if (out != null) {
        out.append(bad ? REPLACEMENT : c);
        if (pairStart) {
          out.append(stored.charAt(i + 1));
        }
      }
      if (pairStart) {
        i++;
      }
    }
    if (out != null) {
      return out.toString();
    }
    return n == stored.length() ? stored : stored.substring(0, n);
  }
}
