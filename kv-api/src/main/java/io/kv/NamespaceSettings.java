package io.kv;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a namespace behaves. Immutable; start from {@link #defaults()} and change it with the
 * {@code with...} methods.
 *
 * <p>The description and the owner follow the rule of keys (valid Unicode, no control characters,
 * so no NUL and no line break) within their own lengths. The default TTL follows the rule of a
 * write's TTL ({@link WriteOptions}): cut to whole milliseconds, then at least one millisecond and
 * at most {@link WriteOptions#MAX_TTL}. Every store therefore keeps and returns the same settings.
 *
 * @param description what the namespace is for; may be empty; at most {@value
 *     #MAX_DESCRIPTION_LENGTH} characters
 * @param owner the application or team that owns it; may be empty; at most {@value
 *     #MAX_OWNER_LENGTH} characters
 * @param secret whether values are secrets: encrypted at rest by kv-core and kept with history
 * @param defaultTtl the TTL of writes that set none of their own; every store applies it; whole
 *     milliseconds, from 1 ms to {@link WriteOptions#MAX_TTL}
 * @param maxVersions how many earlier versions of each entry history keeps; 0 keeps none
 */
public record NamespaceSettings(
    String description, String owner, boolean secret, Optional<Duration> defaultTtl, int maxVersions) {
  /** The most earlier versions history may keep per entry. */
  public static final int MAX_VERSIONS_LIMIT = 1000;

  /** The longest description, in characters (UTF-16 code units). */
  public static final int MAX_DESCRIPTION_LENGTH = 1024;

  /** The longest owner, in characters (UTF-16 code units). */
  public static final int MAX_OWNER_LENGTH = 256;

  private static final NamespaceSettings DEFAULTS = new NamespaceSettings("", "", false, Optional.empty(), 0);

  /**
   * Checks the components.
   *
   * @param description what the namespace is for; may be empty; at most {@value
   *     #MAX_DESCRIPTION_LENGTH} characters
   * @param owner the application or team that owns it; may be empty; at most {@value
   *     #MAX_OWNER_LENGTH} characters
   * @param secret whether values are secrets: encrypted at rest by kv-core and kept with history
   * @param defaultTtl the TTL of writes that set none of their own; every store applies it; whole
   *     milliseconds, from 1 ms to {@link WriteOptions#MAX_TTL}
   * @param maxVersions how many earlier versions of each entry history keeps; 0 keeps none
   * @throws NullPointerException if a component is null
   * @throws InvalidInputException naming the component: if the TTL is under a millisecond or
   *     over {@link WriteOptions#MAX_TTL}, {@code maxVersions} is out of range, or a text is too
   *     long, not valid Unicode or holds a control character
   */
  public NamespaceSettings {
    FreeText.check(description, "description", MAX_DESCRIPTION_LENGTH);
    FreeText.check(owner, "owner", MAX_OWNER_LENGTH);
    Objects.requireNonNull(defaultTtl, "defaultTtl");
    if (defaultTtl.isPresent()) {
      defaultTtl = Optional.of(Ttls.check(defaultTtl.get(), "defaultTtl"));
    }
    if (maxVersions < 0 || maxVersions > MAX_VERSIONS_LIMIT) {
      throw new InvalidInputException("maxVersions", "must be between 0 and " + MAX_VERSIONS_LIMIT);
    }
  }

  /**
   * Not secret, no default TTL, no history, empty description and owner.
   *
   * @return not secret, no default TTL, no history, empty description and owner
   */
  public static NamespaceSettings defaults() {
    return DEFAULTS;
  }

  /**
   * These settings with another description.
   *
   * @param description what the namespace is for; may be empty; at most {@value
   *     #MAX_DESCRIPTION_LENGTH} characters
   * @return these settings with another description
   * @throws InvalidInputException if it breaks the rule above (field {@code "description"})
   */
  public NamespaceSettings withDescription(String description) {
    return new NamespaceSettings(description, owner, secret, defaultTtl, maxVersions);
  }

  /**
   * These settings with another owner.
   *
   * @param owner the application or team that owns it; may be empty; at most {@value
   *     #MAX_OWNER_LENGTH} characters
   * @return these settings with another owner
   * @throws InvalidInputException if it breaks the rule above (field {@code "owner"})
   */
  public NamespaceSettings withOwner(String owner) {
    return new NamespaceSettings(description, owner, secret, defaultTtl, maxVersions);
  }

  /**
   * These settings with the secret flag set or cleared.
   *
   * @param secret whether values are secrets: encrypted at rest by kv-core and kept with history
   * @return these settings with the secret flag set or cleared
   */
  public NamespaceSettings withSecret(boolean secret) {
    return new NamespaceSettings(description, owner, secret, defaultTtl, maxVersions);
  }

  /**
   * These settings with a default TTL.
   *
   * @param defaultTtl the TTL of writes that set none of their own; every store applies it; whole
   *     milliseconds, from 1 ms to {@link WriteOptions#MAX_TTL}
   * @return these settings with a default TTL
   * @throws InvalidInputException if it breaks the rule above (field {@code "defaultTtl"})
   */
  public NamespaceSettings withDefaultTtl(Duration defaultTtl) {
    return new NamespaceSettings(description, owner, secret, Optional.of(defaultTtl), maxVersions);
  }

  /**
   * These settings without a default TTL.
   *
   * @return these settings without a default TTL
   */
  public NamespaceSettings withoutDefaultTtl() {
    return new NamespaceSettings(description, owner, secret, Optional.empty(), maxVersions);
  }

  /**
   * These settings keeping {@code maxVersions} earlier versions per entry.
   *
   * @param maxVersions how many earlier versions of each entry history keeps; 0 keeps none
   * @return these settings keeping {@code maxVersions} earlier versions per entry
   */
  public NamespaceSettings withMaxVersions(int maxVersions) {
    return new NamespaceSettings(description, owner, secret, defaultTtl, maxVersions);
  }
}
