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
 * @param ttl how long the entry lives from the moment of the write; positive
 * @param metadata string attributes stored with the value
 * @param tags labels stored with the value
 * @param reason why the change was made; kept in version history
 */
public record WriteOptions(
    Optional<Duration> ttl, Map<String, String> metadata, Set<String> tags, Optional<String> reason) {
  private static final WriteOptions NONE = new WriteOptions(Optional.empty(), Map.of(), Set.of(), Optional.empty());

  /**
   * Checks and copies the components.
   *
   * @throws NullPointerException if a component or an element is null
   * @throws InvalidInputException if the TTL is zero or negative
   */
  public WriteOptions {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(reason, "reason");
    metadata = Map.copyOf(metadata);
    tags = Set.copyOf(tags);
    if (ttl.isPresent() && (ttl.get().isNegative() || ttl.get().isZero())) {
      throw new InvalidInputException("ttl", "must be positive");
    }
  }

  /** No TTL, no metadata, no tags, no reason. */
  public static WriteOptions none() {
    return NONE;
  }

  /**
   * Options with a TTL and nothing else.
   *
   * @throws InvalidInputException if {@code ttl} is zero or negative
   */
  public static WriteOptions ttl(Duration ttl) {
    return NONE.withTtl(ttl);
  }

  /** These options with a TTL. */
  public WriteOptions withTtl(Duration ttl) {
    return new WriteOptions(Optional.of(ttl), metadata, tags, reason);
  }

  /** These options with {@code metadata} instead of the current metadata. */
  public WriteOptions withMetadata(Map<String, String> metadata) {
    return new WriteOptions(ttl, metadata, tags, reason);
  }

  /** These options with {@code tags} instead of the current tags. */
  public WriteOptions withTags(Set<String> tags) {
    return new WriteOptions(ttl, metadata, tags, reason);
  }

  /** These options with a reason, recorded in version history. */
  public WriteOptions withReason(String reason) {
    return new WriteOptions(ttl, metadata, tags, Optional.of(reason));
  }
}
