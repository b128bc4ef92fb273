/**
 * The tamper-evident audit table: {@link io.kv.audit.jdbc.JdbcAuditSink} and the types of its
 * queries and verifications.
 */
package io.kv.audit.jdbc;
