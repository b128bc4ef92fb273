package io.kv;

import java.util.Objects;

/**
 * Who is asking: a user, a service account, an application. Stores record it in version history,
 * audit records and change events, and permission checks are made against it. Bind one to a
 * store with {@link KvStore#as(Principal)}.
 *
 * @param name a stable identifier, such as a user id or an application id; not blank, valid
 *     Unicode, no control characters, at most {@value #MAX_NAME_LENGTH} characters
 */
public record Principal(String name) {
  /** The longest name, in characters (UTF-16 code units). */
  public static final int MAX_NAME_LENGTH = 256;

  /** The principal of a store that was not bound to one with {@link KvStore#as(Principal)}. */
  public static final Principal ANONYMOUS = new Principal("anonymous");

  /** Work the library does on its own behalf, such as expiring entries. */
  public static final Principal SYSTEM = new Principal("system");

  /**
   * @param name a stable identifier, such as a user id or an application id; not blank, valid
   *     Unicode, no control characters, at most {@value #MAX_NAME_LENGTH} characters
   * @throws NullPointerException if {@code name} is null
   * @throws InvalidInputException if {@code name} is blank, too long, not valid Unicode or holds
   *     control characters (field {@code "principal"})
   */
  public Principal {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new InvalidInputException("principal", "must not be blank");
    }
    FreeText.check(name, "principal", MAX_NAME_LENGTH);
  }

  /**
   * A principal named {@code name}.
   *
   * @param name a stable identifier, such as a user id or an application id; not blank, valid
   *     Unicode, no control characters, at most {@value #MAX_NAME_LENGTH} characters
   * @return a principal named {@code name}
   * @throws InvalidInputException if {@code name} breaks the rule of the constructor
   */
  public static Principal of(String name) {
    return new Principal(name);
  }

  /**
   * Whether {@code o} is a principal of the same name, as for every record; written out because
   * a principal is compared on every permission check, and the generated form reaches the name
   * through method handles that make the checking code larger.
   *
   * @param o the object to compare with
   * @return whether {@code o} is a principal of the same name
   */
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof Principal p && name.equals(p.name));
  }

  /**
   * The hash of the name, as for every record of one component.
   *
   * @return the hash of the name
   */
  @Override
  public int hashCode() {
    return name.hashCode();
  }
}
