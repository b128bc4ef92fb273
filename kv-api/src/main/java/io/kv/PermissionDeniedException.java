package io.kv;

import java.util.Objects;

/**
 * The calling {@link Principal} lacks the permission an operation needs. Nothing was changed.
 * {@link #namespace()} names the namespace asked for; {@link #key()} the key, for a permission
 * that applies to keys.
 */
public class PermissionDeniedException extends KvException {
  private static final long serialVersionUID = 1L;

  /** Who was refused. */
  private final Principal principal;
  /** The permission that was missing. */
  private final String permission;

  /**
   * @param principal who asked
   * @param permission the permission that was missing, such as {@code kv-entry:write}
   * @param namespace the namespace asked for
   * @param key the key asked for, or null when the permission applies to the namespace as a whole
   * @throws NullPointerException if {@code principal}, {@code permission} or {@code namespace} is null
   */
  public PermissionDeniedException(Principal principal, String permission, String namespace, String key) {
    super(Objects.requireNonNull(namespace, "namespace"), key,
        Objects.requireNonNull(principal, "principal").name() + " lacks " + Objects.requireNonNull(permission, "permission")
            + " on " + (key == null ? "namespace '" + namespace + "'" : where(namespace, key)),
        null);
    this.principal = principal;
    this.permission = permission;
  }

  /**
   * Who asked.
   *
   * @return who asked
   */
  public Principal principal() {
    return principal;
  }

  /**
   * The missing permission, such as {@code kv-entry:write}.
   *
   * @return the missing permission, such as {@code kv-entry:write}
   */
  public String permission() {
    return permission;
  }
}
