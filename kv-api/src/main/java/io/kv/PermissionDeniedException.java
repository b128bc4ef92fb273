package io.kv;

import java.util.Objects;

/**
 * The calling {@link Principal} lacks the permission an operation needs. Nothing was changed.
 */
public class PermissionDeniedException extends KvException {
  private static final long serialVersionUID = 1L;

  private final Principal principal;
  private final String permission;

  /**
   * @param principal who asked
   * @param permission the permission that was missing, such as {@code kv-entry:write}
   * @param target what was asked for, such as {@code "namespace 'app'"} or {@code "'app/db/host'"}
   */
  public PermissionDeniedException(Principal principal, String permission, String target) {
    super(Objects.requireNonNull(principal, "principal").name() + " lacks "
        + Objects.requireNonNull(permission, "permission") + " on " + Objects.requireNonNull(target, "target"));
    this.principal = principal;
    this.permission = permission;
  }

  /** Who asked. */
  public Principal principal() {
    return principal;
  }

  /** The missing permission, such as {@code kv-entry:write}. */
  public String permission() {
    return permission;
  }
}
