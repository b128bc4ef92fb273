package io.kv.core;

import io.kv.Principal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One audited operation: who did what, where, when, and whether it succeeded. A record never
 * holds a value, nor an exception message (which could echo input): a failure is described by
 * the kind of exception alone. Immutable and thread-safe.
 *
 * <p>The audit layer writes one record per operation ({@link AuditAction} lists which action each
 * operation records). A bulk operation ({@code getAll}, {@code putAll}, {@code deleteAll}) writes
 * one record per distinct key it names, in the order given, all with the same outcome and
 * timestamp, so that every key is audited; a bulk call that names no key, or that fails while
 * naming more than {@link io.kv.ListOptions#MAX_LIMIT} keys, writes a single record without a
 * key. Subscribing to change events is not audited: it reads no entry, and events carry no value.
 *
 * @param timestamp when the operation completed, from the clock the audit layer was given (a
 *     successful read's, in a stack built without a clock, from a clock that ticks every
 *     millisecond: never later than the read, normally a millisecond or two earlier; see {@link
 *     KvStores.Builder#audit(AuditSink)})
 * @param principal who asked (the principal the store was bound to with {@link
 *     io.kv.KvStore#as(Principal)})
 * @param action what was asked for
 * @param namespace the namespace concerned; empty only for {@link AuditAction#NAMESPACE_LIST},
 *     or when the caller passed no namespace (a null, refused with a {@code NullPointerException})
 * @param key the key concerned; empty for listings, counts and namespace operations, or when the
 *     caller passed none
 * @param success whether the operation succeeded
 * @param errorKind when it failed, the simple class name of the exception, such as {@code
 *     "VersionConflictException"} or {@code "PermissionDeniedException"}; empty on success
 */
public record AuditRecord(
    Instant timestamp,
    Principal principal,
    AuditAction action,
    Optional<String> namespace,
    Optional<String> key,
    boolean success,
    Optional<String> errorKind) {

  /**
   * Checks the components.
   *
   * @param timestamp when the operation completed, from the clock the audit layer was given (see
   *     the record's description for a successful read's)
   * @param principal who asked (the principal the store was bound to with {@link
   *     io.kv.KvStore#as(Principal)})
   * @param action what was asked for
   * @param namespace the namespace concerned; empty only for {@link AuditAction#NAMESPACE_LIST}, or
   *     when the caller passed no namespace (a null, refused with a {@code NullPointerException})
   * @param key the key concerned; empty for listings, counts and namespace operations, or when the
   *     caller passed none
   * @param success whether the operation succeeded
   * @param errorKind when it failed, the simple class name of the exception, such as {@code
   *     "VersionConflictException"} or {@code "PermissionDeniedException"}; empty on success
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code errorKind} is present on success, absent on
   *     failure, or blank
   */
  public AuditRecord {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(errorKind, "errorKind");
    if (success == errorKind.isPresent()) {
      throw new IllegalArgumentException(success
          ? "a successful record has no errorKind" : "a failed record needs an errorKind");
    }
    if (errorKind.isPresent() && errorKind.get().isBlank()) {
      throw new IllegalArgumentException("errorKind must not be blank");
    }
  }

  /**
   * The kind of a failure as a record names it: the simple class name of {@code failure}, or its
   * full name for a class that has no simple name (an anonymous class).
   *
   * @param failure what the operation threw
   * @return the kind of a failure as a record names it
   * @throws NullPointerException if {@code failure} is null
   */
  public static String errorKindOf(Throwable failure) {
    Class<?> type = Objects.requireNonNull(failure, "failure").getClass();
    String simple = type.getSimpleName();
    return simple.isEmpty() ? type.getName() : simple;
  }
}
