package io.kv.core;

import io.kv.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a principal holds a permission: the rules of the permission layer. Use {@link
 * Grants} for a fixed table of grants, or implement it to ask your own permission service.
 *
 * <p>The permission layer denies whatever the policy does not allow. It asks before it delegates,
 * on the calling thread, once per key for bulk operations and for each entry a listing or an
 * event would show, so {@link #allows} should be fast (cache a remote service's answers).
 * Implementations must be thread-safe. What {@link #allows} throws reaches the caller, and the
 * operation is not carried out.
 */
@FunctionalInterface
public interface PermissionPolicy {
  /**
   * Whether {@code principal} holds {@code permission}.
   *
   * @param principal who asks
   * @param permission what is asked for
   * @param namespace the namespace concerned
   * @param key for a permission that {@linkplain Permission#appliesToKeys() applies to keys}, the
   *     key concerned; empty for a namespace permission, and for a key permission asked for the
   *     namespace as a whole (a bulk call that names no key), which should be allowed only if the
   *     permission holds for every key of the namespace
   * @return true to allow, false to deny
   */
  boolean allows(Principal principal, Permission permission, String namespace, Optional<String> key);

  /**
   * This policy as it answers {@code principal}: the permission layer asks for it once per
   * principal view ({@link io.kv.KvStore#as}) and then asks the result about that principal alone.
   * A policy that looks its grants up by principal can look them up here, once, rather than on
   * every call. The result must answer exactly as this policy does, and stay thread-safe.
   *
   * @param principal the principal the result will be asked about
   * @return a policy that answers as this one does; by default, this policy
   * @throws NullPointerException if {@code principal} is null
   */
  default PermissionPolicy forPrincipal(Principal principal) {
    Objects.requireNonNull(principal, "principal");
    return this;
  }
}
