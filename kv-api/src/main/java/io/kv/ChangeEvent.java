package io.kv;

import java.time.Instant;
import java.util.Objects;

/**
 * A change to one entry, delivered to {@link ChangeListener}s after the change took effect. It
 * carries no value, so a listener can never leak a secret; read the entry if you need it.
 *
 * @param type what happened
 * @param namespace the entry's namespace
 * @param key the entry's key
 * @param version the entry's version after the change (for a delete or expiry: the version that
 *     was removed)
 * @param at when the change happened
 * @param principal who made it ({@link Principal#SYSTEM} for expiry)
 * @param revision the store-wide revision of the change (see {@link KvStore#revision()}); 0 when
 *     not known, as for an event built outside a store
 */
public record ChangeEvent(
    ChangeType type, String namespace, String key, long version, Instant at, Principal principal, long revision) {
  /**
   * Checks the components are present.
   *
   * @param type what happened
   * @param namespace the entry's namespace
   * @param key the entry's key
   * @param version the entry's version after the change (for a delete or expiry: the version that
   *     was removed)
   * @param at when the change happened
   * @param principal who made it ({@link Principal#SYSTEM} for expiry)
   * @param revision the store-wide revision of the change; 0 when not known
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code revision} is negative
   */
  public ChangeEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(principal, "principal");
    if (revision < 0) {
      throw new IllegalArgumentException("revision must not be negative");
    }
  }

  /**
   * An event whose revision is not known (revision 0).
   *
   * @param type what happened
   * @param namespace the entry's namespace
   * @param key the entry's key
   * @param version the entry's version after the change
   * @param at when the change happened
   * @param principal who made it
   * @throws NullPointerException if a component is null
   */
  public ChangeEvent(ChangeType type, String namespace, String key, long version, Instant at, Principal principal) {
    this(type, namespace, key, version, at, principal, 0L);
  }
}
