package io.kv;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a write sets besides the value: a TTL, metadata, tags, and a reason recorded in version
 * history. Immutable; build one with {@link #none()} or {@link #ttl(Duration)} and the {@code
 * with...} methods.
 *
 * <p>A write replaces the whole entry: a write without a TTL leaves the entry without an expiry
 * (unless a namespace default applies), and its metadata and tags replace the old ones.
 *
 * <p>A TTL follows the rule a namespace's {@link NamespaceSettings#defaultTtl() default TTL}
 * follows: it is cut to whole milliseconds (the precision of every stored timestamp), and what
 * remains must be at least one millisecond and at most {@link #MAX_TTL}. A reason follows the
 * rule of keys (valid Unicode, no control characters, so no NUL and no line break) and is at most
 * {@value #MAX_REASON_LENGTH} characters.
 *
 * @param ttl how long the entry lives from the moment of the write; whole milliseconds, from 1 ms
 *     to {@link #MAX_TTL}
 * @param metadata string attributes stored with the value; a store checks them against its
 *     {@link InputRules}
 * @param tags labels stored with the value; a store checks them against its {@link InputRules}
 * @param reason why the change was made; kept in version history
 */
public record WriteOptions(
    Optional<Duration> ttl, Map<String, String> metadata, Set<String> tags, Optional<String> reason) {
  /** The longest TTL, of a write or a namespace default: 36,500 days (about a century). */
  public static final Duration MAX_TTL = Duration.ofDays(36_500);

  /** The longest reason, in characters (UTF-16 code units). */
  public static final int MAX_REASON_LENGTH = 1024;

  private static final WriteOptions NONE = new WriteOptions(Optional.empty(), Map.of(), Set.of(), Optional.empty());

  /**
   * Checks and copies the components.
   *
   * @param ttl how long the entry lives from the moment of the write; whole milliseconds, from 1 ms
   *     to {@link #MAX_TTL}
   * @param metadata string attributes stored with the value; a store checks them against its {@link
   *     InputRules}
   * @param tags labels stored with the value; a store checks them against its {@link InputRules}
   * @param reason why the change was made; kept in version history
   * @throws NullPointerException if a component or an element is null
   * @throws InvalidInputException if the TTL is under a millisecond or over {@link #MAX_TTL}
   *     (field {@code "ttl"}), or the reason breaks its rule (field {@code "reason"})
   */
  public WriteOptions {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(reason, "reason");
    metadata = Map.copyOf(metadata);
    tags = Set.copyOf(tags);
    if (ttl.isPresent()) {
      ttl = Optional.of(Ttls.check(ttl.get(), "ttl"));
    }
    if (reason.isPresent()) {
      FreeText.check(reason.get(), "reason", MAX_REASON_LENGTH);
    }
  }

  /**
   * No TTL, no metadata, no tags, no reason.
   *
   * @return no TTL, no metadata, no tags, no reason
   */
  public static WriteOptions none() {
    return NONE;
  }

  /**
   * Options with a TTL and nothing else.
   *
   * @param ttl how long the entry lives from the moment of the write; whole milliseconds, from 1 ms
   *     to {@link #MAX_TTL}
   * @return options with a TTL and nothing else
   * @throws InvalidInputException if {@code ttl} is under a millisecond or over {@link #MAX_TTL}
   */
  public static WriteOptions ttl(Duration ttl) {
    return NONE.withTtl(ttl);
  }

  /**
   * These options with a TTL.
   *
   * @param ttl how long the entry lives from the moment of the write; whole milliseconds, from 1 ms
   *     to {@link #MAX_TTL}
   * @return these options with a TTL
   * @throws InvalidInputException if {@code ttl} is under a millisecond or over {@link #MAX_TTL}
   */
  public WriteOptions withTtl(Duration ttl) {
    return new WriteOptions(Optional.of(ttl), metadata, tags, reason);
  }

  /**
   * These options with {@code metadata} instead of the current metadata.
   *
   * @param metadata string attributes stored with the value; a store checks them against its {@link
   *     InputRules}
   * @return these options with {@code metadata} instead of the current metadata
   */
  public WriteOptions withMetadata(Map<String, String> metadata) {
    return new WriteOptions(ttl, metadata, tags, reason);
  }

  /**
   * These options with {@code tags} instead of the current tags.
   *
   * @param tags labels stored with the value; a store checks them against its {@link InputRules}
   * @return these options with {@code tags} instead of the current tags
   */
  public WriteOptions withTags(Set<String> tags) {
    return new WriteOptions(ttl, metadata, tags, reason);
  }

  /**
   * These options with a reason, recorded in version history.
   *
   * @param reason why the change was made; kept in version history
   * @return these options with a reason, recorded in version history
   * @throws InvalidInputException if {@code reason} is too long, not valid Unicode or holds a
   *     control character (field {@code "reason"})
   */
  public WriteOptions withReason(String reason) {
    return new WriteOptions(ttl, metadata, tags, Optional.of(reason));
  }
}
