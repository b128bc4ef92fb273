package io.kv;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One stored entry as of one version. Immutable and thread-safe. Its {@link #toString()} shows
 * the value's type and size, never its content.
 *
 * @param namespace the namespace the entry lives in
 * @param key the entry's key, a {@code /}-separated path such as {@code config/database/host}
 * @param value the typed value
 * @param version 1 when the entry is created, one more on every write
 * @param createdAt when the entry was created (the first write since it last did not exist)
 * @param updatedAt when this version was written: the store's time, or the previous version's
 *     {@code updatedAt} if that is later (a clock that stepped back never moves it backwards)
 * @param expiresAt when the entry expires, if it has a TTL; from that instant on it is never
 *     returned
 * @param metadata free-form string attributes written with the value
 * @param tags free-form labels written with the value
 * @param revision the store-wide revision of the entry's last change (see {@link
 *     KvStore#revision()}); 0 when not known, as for an entry built outside a store
 */
public record Entry(
    String namespace,
    String key,
    Value value,
    long version,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> expiresAt,
    Map<String, String> metadata,
    Set<String> tags,
    long revision) {
  /** {@code Map.of()}, the one empty map every entry without metadata shares. */
  private static final Map<String, String> NO_METADATA = Map.of();
  /** {@code Set.of()}, the one empty set every entry without tags shares. */
  private static final Set<String> NO_TAGS = Set.of();

  /**
   * Checks and copies the components.
   *
   * @param namespace the namespace the entry lives in
   * @param key the entry's key, a {@code /}-separated path such as {@code config/database/host}
   * @param value the typed value
   * @param version 1 when the entry is created, one more on every write
   * @param createdAt when the entry was created (the first write since it last did not exist)
   * @param updatedAt when this version was written: the store's time, or the previous version's
   *     {@code updatedAt} if that is later (a clock that stepped back never moves it backwards)
   * @param expiresAt when the entry expires, if it has a TTL; from that instant on it is never
   *     returned
   * @param metadata free-form string attributes written with the value
   * @param tags free-form labels written with the value
   * @param revision the store-wide revision of the entry's last change; 0 when not known
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code version} is not positive, {@code revision} is
   *     negative or {@code updatedAt} is before {@code createdAt}
   */
  public Entry {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    // The shared empty collections and a creation's single Instant by identity first: a layer that
    // copies an entry (to put a decrypted value in it) then reads none of these objects, each a
    // cache miss for an entry not read lately.
    metadata = metadata == NO_METADATA ? NO_METADATA : Map.copyOf(metadata);
    tags = tags == NO_TAGS ? NO_TAGS : Set.copyOf(tags);
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1");
    }
    if (updatedAt != createdAt && updatedAt.isBefore(createdAt)) {
      throw new IllegalArgumentException("updatedAt must not be before createdAt");
    }
    if (revision < 0) {
      throw new IllegalArgumentException("revision must not be negative");
    }
  }

  /**
   * An entry whose revision is not known (revision 0), as a test or a store without revisions
   * builds it.
   *
   * @param namespace the namespace the entry lives in
   * @param key the entry's key
   * @param value the typed value
   * @param version 1 when the entry is created, one more on every write
   * @param createdAt when the entry was created
   * @param updatedAt when this version was written
   * @param expiresAt when the entry expires, if it has a TTL
   * @param metadata free-form string attributes written with the value
   * @param tags free-form labels written with the value
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code version} is not positive or {@code updatedAt} is
   *     before {@code createdAt}
   */
  public Entry(
      String namespace,
      String key,
      Value value,
      long version,
      Instant createdAt,
      Instant updatedAt,
      Optional<Instant> expiresAt,
      Map<String, String> metadata,
      Set<String> tags) {
    this(namespace, key, value, version, createdAt, updatedAt, expiresAt, metadata, tags, 0L);
  }

  /**
   * This entry with another revision; a backend stamps the revision its write was given.
   *
   * @param newRevision the revision of the entry's last change
   * @return this entry with {@code newRevision}
   * @throws IllegalArgumentException if {@code newRevision} is negative
   */
  public Entry withRevision(long newRevision) {
    return new Entry(namespace, key, value, version, createdAt, updatedAt, expiresAt, metadata, tags, newRevision);
  }

  /**
   * Whether this entry has expired at {@code now}: its expiry is at or before {@code now}.
   *
   * @param now the current time
   * @return whether this entry has expired at {@code now}
   */
  public boolean isExpiredAt(Instant now) {
    return expiresAt.isPresent() && !expiresAt.get().isAfter(now);
  }
}
