package io.kv;

import java.util.Objects;

/**
 * Who is asking: a user, a service account, an application. Stores record it in version history,
 * audit records and change events, and permission checks are made against it. Bind one to a
 * store with {@link KvStore#as(Principal)}.
 *
 * @param name a stable identifier, such as a user id or an application id; not blank, no control
 *     characters, at most 256 characters
 */
public record Principal(String name) {
  /** The principal of a store that was not bound to one with {@link KvStore#as(Principal)}. */
  public static final Principal ANONYMOUS = new Principal("anonymous");

  /** Work the library does on its own behalf, such as expiring entries. */
  public static final Principal SYSTEM = new Principal("system");

  /**
   * @throws NullPointerException if {@code name} is null
   * @throws InvalidInputException if {@code name} is blank, too long or holds control characters
   */
  public Principal {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > 256 || name.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidInputException("principal", "must be 1 to 256 characters without control characters");
    }
  }

  /** A principal named {@code name}. */
  public static Principal of(String name) {
    return new Principal(name);
  }
}
