/**
 * The JDBC store: {@link io.kv.jdbc.JdbcKvStore} on PostgreSQL, H2 or SQLite through a {@link
 * javax.sql.DataSource} the application supplies. Build one with {@link
 * io.kv.jdbc.JdbcKvStore#builder(javax.sql.DataSource)}; the schema scripts are in the jar under
 * {@code io/kv/jdbc/schema/<dialect>/V1__kv_schema.sql}.
 */
package io.kv.jdbc;
