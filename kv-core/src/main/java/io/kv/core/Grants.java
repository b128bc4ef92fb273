package io.kv.core;

import io.kv.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link PermissionPolicy} from a fixed table of grants: each grant gives one principal one
 * permission on one namespace, or on the keys of a namespace that start with a prefix.
 *
 * <pre>{@code
 * PermissionPolicy policy = Grants.builder()
 *     .grantAll(Principal.of("admin"), "*")
 *     .grant(Principal.of("web"), Permission.NAMESPACE_READ, "app")
 *     .grant(Principal.of("web"), Permission.ENTRY_READ, "app", "config/")
 *     .build();
 * }</pre>
 *
 * <p>Anything not granted is denied. The namespace {@value #ANY_NAMESPACE} stands for every
 * namespace. A key prefix is literal and case sensitive, without wildcards: {@code "config/"}
 * covers {@code config/db/host} but not {@code configuration}, while {@code "config"} covers both;
 * the empty prefix covers every key, as a grant without a prefix does. A prefix grant does not
 * cover a question about the namespace as a whole ({@link PermissionPolicy#allows} with an empty
 * key).
 */
public final class Grants {
  /** The namespace that stands for every namespace in a grant. */
  public static final String ANY_NAMESPACE = "*";

  private static final PermissionPolicy ALLOW_ALL = new PermissionPolicy() {
    @Override
    public boolean allows(Principal principal, Permission permission, String namespace, Optional<String> key) {
      return true;
    }

    @Override
    public String toString() {
      return "Grants.allowAll()";
    }
  };

  private Grants() {}

  /**
   * A builder of a table of grants, starting empty (a policy that denies everything).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A policy that allows every principal everything: with it the permission layer checks nothing
   * it could refuse. Useful in tests, and to run the permission layer's code paths without rules.
   *
   * @return a policy that allows every principal everything
   */
  public static PermissionPolicy allowAll() {
    return ALLOW_ALL;
  }

  /**
   * Collects grants. Each method checks its arguments at once; granting the same thing twice is
   * harmless. Not thread-safe; the policy it builds is immutable and thread-safe.
   */
  public static final class Builder {
    private final Map<Principal, Map<Permission, Map<String, Set<String>>>> grants = new HashMap<>();

    private Builder() {}

    /**
     * Grants {@code permission} on {@code namespace} (for a key permission: on every key of it).
     *
     * @param namespace a namespace name, or {@value #ANY_NAMESPACE} for every namespace
     * @param principal who is granted it
     * @param permission what is granted
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code namespace} is empty, or holds {@code *} without
     *     being {@value #ANY_NAMESPACE}
     */
    public Builder grant(Principal principal, Permission permission, String namespace) {
      return add(principal, permission, namespace, "");
    }

    /**
     * Grants {@code permission} on the keys of {@code namespace} that start with {@code
     * keyPrefix}.
     *
     * @param namespace a namespace name, or {@value #ANY_NAMESPACE} for every namespace
     * @param keyPrefix the literal start of the keys covered; empty for every key
     * @param principal who is granted it
     * @param permission what is granted
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code permission} is a namespace permission (it does
     *     not {@linkplain Permission#appliesToKeys() apply to keys}) and {@code keyPrefix} is not
     *     empty, or {@code namespace} is not valid as for {@link #grant(Principal, Permission,
     *     String)}
     */
    public Builder grant(Principal principal, Permission permission, String namespace, String keyPrefix) {
      Objects.requireNonNull(permission, "permission");
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (!keyPrefix.isEmpty() && !permission.appliesToKeys()) {
        throw new IllegalArgumentException(permission.id() + " applies to a namespace as a whole and takes no key prefix");
      }
      return add(principal, permission, namespace, keyPrefix);
    }

    /**
     * Grants every {@link Permission} on {@code namespace}.
     *
     * @param namespace a namespace name, or {@value #ANY_NAMESPACE} for every namespace
     * @param principal who is granted it
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code namespace} is not valid as for {@link
     *     #grant(Principal, Permission, String)}
     */
    public Builder grantAll(Principal principal, String namespace) {
      Objects.requireNonNull(principal, "principal");
      checkNamespace(namespace);
      for (Permission p : Permission.values()) {
        add(principal, p, namespace, "");
      }
      return this;
    }

    private Builder add(Principal principal, Permission permission, String namespace, String keyPrefix) {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(permission, "permission");
      checkNamespace(namespace);
      grants.computeIfAbsent(principal, p -> new EnumMap<>(Permission.class))
          .computeIfAbsent(permission, p -> new HashMap<>())
          .computeIfAbsent(namespace, n -> new LinkedHashSet<>())
          .add(keyPrefix);
      return this;
    }

    private static void checkNamespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace");
      if (namespace.isEmpty() || (namespace.contains("*") && !namespace.equals(ANY_NAMESPACE))) {
        throw new IllegalArgumentException("namespace must be a namespace name or \"" + ANY_NAMESPACE + "\"");
      }
    }

    /**
     * The policy of the grants given so far. The builder may go on; the policy does not change.
     *
     * @return the policy of the grants given so far
     */
    public PermissionPolicy build() {
      Map<String, Namespaces[]> table = new HashMap<>();
      grants.forEach((principal, byPermission) -> {
        Namespaces[] byOrdinal = new Namespaces[Permission.values().length];
        byPermission.forEach((permission, byNamespace) -> {
          Map<String, Scope> scopes = new HashMap<>();
          byNamespace.forEach((namespace, prefixes) -> scopes.put(namespace, Scope.of(prefixes)));
          byOrdinal[permission.ordinal()] = Namespaces.of(scopes);
        });
        table.put(principal.name(), byOrdinal);
      });
      return new Table(table);
    }
  }

  /** Where one principal holds one permission: namespace (or {@value #ANY_NAMESPACE}) to scope. */
  private record Namespaces(Map<String, Scope> scopes, String firstName, Scope firstScope) {
    static Namespaces of(Map<String, Scope> scopes) {
      Map.Entry<String, Scope> first = scopes.entrySet().iterator().next();
      return new Namespaces(Map.copyOf(scopes), first.getKey(), first.getValue());
    }

    /**
     * The scope granted on {@code namespace} itself, or null. One namespace by identity first, in
     * this method's own bytecode: a caller that passes the String it granted (a constant) then
     * never runs String.equals here, and the JIT leaves it out of the compiled check, which keeps
     * a stack's read small enough to inline into its caller.
     */
    Scope exact(String namespace) {
      return namespace == firstName ? firstScope : scopes.get(namespace);
    }
  }

  /** Where in one namespace a permission holds: everywhere, or under some key prefixes. */
  private record Scope(boolean whole, List<String> prefixes) {
    static Scope of(Set<String> prefixes) {
      return prefixes.contains("") ? new Scope(true, List.of()) : new Scope(false, List.copyOf(prefixes));
    }

    boolean covers(Optional<String> key) {
      if (whole) {
        return true;
      }
      if (key.isEmpty()) {
        return false;
      }
      String k = key.get();
      for (String prefix : prefixes) {
        if (k.startsWith(prefix)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * The built policy. Immutable: nothing changes a map or an array after the build. Looked up by
   * the principal's name and the permission's position, which a check of the permission layer
   * does on every call.
   */
  private static final class Table implements PermissionPolicy {
    /** Principal name to, per permission ordinal, where it is granted; a null slot grants nothing. */
    private final Map<String, Namespaces[]> table;
    Table(Map<String, Namespaces[]> table) {
      this.table = table;
    }

    @Override
    public boolean allows(Principal principal, Permission permission, String namespace, Optional<String> key) {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(permission, "permission");
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(key, "key");
      return allows(table.get(principal.name()), permission, namespace, key);
    }

    static boolean allows(Namespaces[] perms, Permission permission, String namespace, Optional<String> key) {
      Namespaces granted = perms == null ? null : perms[permission.ordinal()];
      if (granted == null) {
        return false;
      }
      Scope exact = granted.exact(namespace);
      if (exact != null && exact.covers(key)) {
        return true;
      }
      Scope any = granted.scopes().get(ANY_NAMESPACE);
      return any != null && any.covers(key);
    }

    /** The grants of {@code principal} found once; any other principal is looked up as here. */
    @Override
    public PermissionPolicy forPrincipal(Principal principal) {
      Objects.requireNonNull(principal, "principal");
      Namespaces[] own = table.get(principal.name());
      Table all = this;
      return new PermissionPolicy() {
        @Override
        public boolean allows(Principal asking, Permission permission, String namespace, Optional<String> key) {
          if (asking != principal && !principal.equals(Objects.requireNonNull(asking, "principal"))) {
            return all.allows(asking, permission, namespace, key);
          }
          Objects.requireNonNull(permission, "permission");
          Objects.requireNonNull(namespace, "namespace");
          Objects.requireNonNull(key, "key");
          return Table.allows(own, permission, namespace, key);
        }

        @Override
        public String toString() {
          return all + " for " + principal.name();
        }
      };
    }

    @Override
    public String toString() {
      List<String> lines = new ArrayList<>();
      Permission[] permissions = Permission.values();
      table.forEach((principal, perms) -> {
        for (int i = 0; i < perms.length; i++) {
          if (perms[i] == null) {
            continue;
          }
          String permission = permissions[i].id();
          perms[i].scopes().forEach((namespace, scope) -> {
            String where = scope.whole() ? namespace : namespace + " under " + scope.prefixes();
            lines.add(principal + " " + permission + " on " + where);
          });
        }
      });
      Collections.sort(lines);
      return "Grants" + lines;
    }
  }
}
