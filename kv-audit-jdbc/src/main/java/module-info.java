/**
 * A tamper-evident audit table on PostgreSQL, H2 and SQLite: {@link io.kv.audit.jdbc.JdbcAuditSink}
 * keeps the records of kv's audit layer in hash chains, verifies them, purges old ones and
 * answers queries.
 */
module io.kv.audit.jdbc {
  requires transitive io.kv.core;
  requires transitive io.kv.jdbc;

  exports io.kv.audit.jdbc;
}
