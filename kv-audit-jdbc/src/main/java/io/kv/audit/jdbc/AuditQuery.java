package io.kv.audit.jdbc;

import io.kv.core.AuditAction;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which audit records {@link JdbcAuditSink#query} returns: every filter given must match. Start
 * from {@link #all()} and narrow it with the {@code with...} methods; each returns a new query.
 * Anchor rows are never returned. Immutable and thread-safe.
 *
 * @param namespace only records of this namespace
 * @param keyPrefix only records whose key starts with this
 * @param principal only records of this principal's name
 * @param action only records of this action
 * @param from only records at or after this time
 * @param to only records before this time
 * @param after only records after this position (the previous page's {@link AuditPage#next})
 * @param limit the most records one page holds, 1 to {@value #MAX_LIMIT}
 */
public record AuditQuery(
    Optional<String> namespace,
    Optional<String> keyPrefix,
    Optional<String> principal,
    Optional<AuditAction> action,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<AuditCursor> after,
    int limit) {

  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  /**
   * Checks the components.
   *
   * @param namespace only records of this namespace
   * @param keyPrefix only records whose key starts with this
   * @param principal only records of this principal's name
   * @param action only records of this action
   * @param from only records at or after this time
   * @param to only records before this time
   * @param after only records after this position
   * @param limit the most records one page holds
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code limit} is out of range
   */
  public AuditQuery {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(after, "after");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + " (was " + limit + ")");
    }
  }

  /**
   * A query of every record, 100 to a page.
   *
   * @return a query of every record
   */
  public static AuditQuery all() {
    Optional<String> none = Optional.empty();
    return new AuditQuery(none, none, none, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 100);
  }

  /**
   * This query, only for {@code namespace}.
   *
   * @param namespace the namespace
   * @return the narrower query
   * @throws NullPointerException if {@code namespace} is null
   */
  public AuditQuery withNamespace(String namespace) {
    return new AuditQuery(Optional.of(namespace), keyPrefix, principal, action, from, to, after, limit);
  }

  /**
   * This query, only for keys that start with {@code keyPrefix}.
   *
   * @param keyPrefix the start of the keys
   * @return the narrower query
   * @throws NullPointerException if {@code keyPrefix} is null
   */
  public AuditQuery withKeyPrefix(String keyPrefix) {
    return new AuditQuery(namespace, Optional.of(keyPrefix), principal, action, from, to, after, limit);
  }

  /**
   * This query, only for the principal named {@code principal}.
   *
   * @param principal the principal's name
   * @return the narrower query
   * @throws NullPointerException if {@code principal} is null
   */
  public AuditQuery withPrincipal(String principal) {
    return new AuditQuery(namespace, keyPrefix, Optional.of(principal), action, from, to, after, limit);
  }

  /**
   * This query, only for {@code action}.
   *
   * @param action the action
   * @return the narrower query
   * @throws NullPointerException if {@code action} is null
   */
  public AuditQuery withAction(AuditAction action) {
    return new AuditQuery(namespace, keyPrefix, principal, Optional.of(action), from, to, after, limit);
  }

  /**
   * This query, only for records at or after {@code from} and before {@code to}.
   *
   * @param from the first time included
   * @param to the first time excluded
   * @return the narrower query
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code to} is before {@code from}
   */
  public AuditQuery withTimeRange(Instant from, Instant to) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to must not be before from");
    }
    return new AuditQuery(namespace, keyPrefix, principal, action, Optional.of(from), Optional.of(to), after, limit);
  }

  /**
   * This query, resuming after {@code cursor}.
   *
   * @param cursor where the previous page ended
   * @return the query of the next page
   * @throws NullPointerException if {@code cursor} is null
   */
  public AuditQuery withAfter(AuditCursor cursor) {
    return new AuditQuery(namespace, keyPrefix, principal, action, from, to, Optional.of(cursor), limit);
  }

  /**
   * This query, with pages of at most {@code limit} records.
   *
   * @param limit the most records a page holds
   * @return the query with that page size
   * @throws IllegalArgumentException if {@code limit} is out of range
   */
  public AuditQuery withLimit(int limit) {
    return new AuditQuery(namespace, keyPrefix, principal, action, from, to, after, limit);
  }
}
