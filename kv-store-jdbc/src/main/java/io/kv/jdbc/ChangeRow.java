package io.kv.jdbc;

/** One row of the change-log table, as read. Immutable. */
record ChangeRow(
    long seq,
    String origin,
    String namespace,
    String key,
    long version,
    String change,
    String principal,
    long changedAt) {}
