package io.kv.core;

import java.util.Objects;

/**
 * A permission the permission layer checks, with the name the shared permission library uses,
 * such as {@code kv-entry:read}.
 *
 * <p>Namespace permissions ({@code kv-namespace:*}) apply to a namespace as a whole. Entry and
 * secret permissions ({@code kv-entry:*}, {@code kv-secret:rotate}) apply to keys, and can be
 * granted for a key prefix only ({@link #appliesToKeys()}).
 *
 * <p>Which operation needs which permission:
 *
 * <table>
 *   <caption>Operations and the permission each needs</caption>
 *   <tr><th>Permission</th><th>Operations</th></tr>
 *   <tr><td>{@code kv-namespace:read}</td><td>{@code list} (which then shows only the entries
 *       the principal may read), {@code count} (which counts only those entries), {@code
 *       namespaces().get}, {@code
 *       namespaces().list} (which shows only the namespaces the principal may read)</td></tr>
 *   <tr><td>{@code kv-namespace:write}</td><td>{@code namespaces().create}, {@code
 *       namespaces().update}</td></tr>
 *   <tr><td>{@code kv-namespace:delete}</td><td>{@code namespaces().delete}</td></tr>
 *   <tr><td>{@code kv-entry:read}</td><td>{@code get}, {@code getAll} (on every key), {@code
 *       history}; events are delivered only for keys the subscriber may read</td></tr>
 *   <tr><td>{@code kv-entry:write}</td><td>{@code put}, {@code create}, {@code update}, {@code
 *       compareAndSet}, {@code putAll} (on every key)</td></tr>
 *   <tr><td>{@code kv-entry:delete}</td><td>{@code delete}, {@code deleteIfVersion}, {@code
 *       deleteAll} (on every key)</td></tr>
 *   <tr><td>{@code kv-secret:rotate}</td><td>{@code rotate}, {@code rollback}</td></tr>
 * </table>
 */
public enum Permission {
  /** {@code kv-namespace:read}: see a namespace, list and count its entries. */
  NAMESPACE_READ("kv-namespace:read"),
  /** {@code kv-namespace:write}: declare a namespace and change its settings. */
  NAMESPACE_WRITE("kv-namespace:write"),
  /** {@code kv-namespace:delete}: delete a namespace (with {@code CASCADE}, its entries too). */
  NAMESPACE_DELETE("kv-namespace:delete"),
  /** {@code kv-entry:read}: read an entry's value and history. */
  ENTRY_READ("kv-entry:read"),
  /** {@code kv-entry:write}: create and update entries. */
  ENTRY_WRITE("kv-entry:write"),
  /** {@code kv-entry:delete}: delete entries. */
  ENTRY_DELETE("kv-entry:delete"),
  /** {@code kv-secret:rotate}: rotate a secret, and roll an entry back to an earlier version. */
  SECRET_ROTATE("kv-secret:rotate");

  private final String id;

  Permission(String id) {
    this.id = id;
  }

  /**
   * The permission's name, such as {@code kv-entry:read}.
   *
   * @return the permission's name, such as {@code kv-entry:read}
   */
  public String id() {
    return id;
  }

  /**
   * Whether the permission applies to keys (entry and secret permissions), and so may be granted for a key prefix.
   *
   * @return whether the permission applies to keys (entry and secret permissions), and so may be
   *     granted for a key prefix
   */
  public boolean appliesToKeys() {
    return this != NAMESPACE_READ && this != NAMESPACE_WRITE && this != NAMESPACE_DELETE;
  }

  /**
   * The permission named {@code id}, such as {@code kv-entry:read}.
   *
   * @param id the permission's name, such as {@code kv-entry:read}
   * @return the permission named {@code id}, such as {@code kv-entry:read}
   * @throws NullPointerException if {@code id} is null
   * @throws IllegalArgumentException if no permission has that name
   */
  public static Permission fromId(String id) {
    Objects.requireNonNull(id, "id");
    for (Permission p : values()) {
      if (p.id.equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no kv permission is named '" + id + "'");
  }

  /** The permission's name, as {@link #id()}. */
  @Override
  public String toString() {
    return id;
  }
}
