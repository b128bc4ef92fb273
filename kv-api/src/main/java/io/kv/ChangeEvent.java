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
 */
public record ChangeEvent(ChangeType type, String namespace, String key, long version, Instant at, Principal principal) {
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
   */
  public ChangeEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(principal, "principal");
  }
}
