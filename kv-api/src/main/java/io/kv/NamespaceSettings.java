package io.kv;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a namespace behaves. Immutable; start from {@link #defaults()} and change it with the
 * {@code with...} methods.
 *
 * @param description what the namespace is for; may be empty
 * @param owner the application or team that owns it; may be empty
 * @param secret whether values are secrets: encrypted at rest by kv-core and kept with history
 * @param defaultTtl the TTL of writes that set none of their own; every store applies it
 * @param maxVersions how many earlier versions of each entry history keeps; 0 keeps none
 */
public record NamespaceSettings(
    String description, String owner, boolean secret, Optional<Duration> defaultTtl, int maxVersions) {
  /** The most earlier versions history may keep per entry. */
  public static final int MAX_VERSIONS_LIMIT = 1000;

  private static final NamespaceSettings DEFAULTS = new NamespaceSettings("", "", false, Optional.empty(), 0);

  /**
   * Checks the components.
   *
   * @throws NullPointerException if a component is null
   * @throws InvalidInputException if the TTL is not positive, or {@code maxVersions} is out of
   *     range, or a text is too long
   */
  public NamespaceSettings {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(defaultTtl, "defaultTtl");
    if (description.length() > 1024) {
      throw new InvalidInputException("description", "must be at most 1024 characters");
    }
    if (owner.length() > 256) {
      throw new InvalidInputException("owner", "must be at most 256 characters");
    }
    if (defaultTtl.isPresent() && (defaultTtl.get().isNegative() || defaultTtl.get().isZero())) {
      throw new InvalidInputException("defaultTtl", "must be positive");
    }
    if (maxVersions < 0 || maxVersions > MAX_VERSIONS_LIMIT) {
      throw new InvalidInputException("maxVersions", "must be between 0 and " + MAX_VERSIONS_LIMIT);
    }
  }

  /** Not secret, no default TTL, no history, empty description and owner. */
  public static NamespaceSettings defaults() {
    return DEFAULTS;
  }

  /** These settings with another description. */
  public NamespaceSettings withDescription(String description) {
    return new NamespaceSettings(description, owner, secret, defaultTtl, maxVersions);
  }

  /** These settings with another owner. */
  public NamespaceSettings withOwner(String owner) {
    return new NamespaceSettings(description, owner, secret, defaultTtl, maxVersions);
  }

  /** These settings with the secret flag set or cleared. */
  public NamespaceSettings withSecret(boolean secret) {
    return new NamespaceSettings(description, owner, secret, defaultTtl, maxVersions);
  }

  /** These settings with a default TTL. */
  public NamespaceSettings withDefaultTtl(Duration defaultTtl) {
    return new NamespaceSettings(description, owner, secret, Optional.of(defaultTtl), maxVersions);
  }

  /** These settings without a default TTL. */
  public NamespaceSettings withoutDefaultTtl() {
    return new NamespaceSettings(description, owner, secret, Optional.empty(), maxVersions);
  }

  /** These settings keeping {@code maxVersions} earlier versions per entry. */
  public NamespaceSettings withMaxVersions(int maxVersions) {
    return new NamespaceSettings(description, owner, secret, defaultTtl, maxVersions);
  }
}
