package io.kv.jdbc;

/** What a {@link JdbcKvStore} does with its tables when it starts. */
public enum SchemaMode {
  /**
   * Creates the tables and indexes that are missing, with the bundled script of the dialect
   * ({@code io/kv/jdbc/schema/<dialect>/V1__kv_schema.sql}); the script is idempotent, so running
   * it on an existing schema changes nothing.
   */
  CREATE,
  /**
   * Checks that every table exists with the columns the store uses, and fails at once naming the
   * missing table and the script to run. The default: in production the schema belongs to the
   * migration tool (Flyway, Liquibase, a DBA).
   */
  VALIDATE,
  /** Assumes the schema is there and checks nothing. */
  NONE
}
