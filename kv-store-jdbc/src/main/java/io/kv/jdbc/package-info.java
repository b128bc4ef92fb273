/**
 * The JDBC store: {@link io.kv.jdbc.JdbcKvStore} on PostgreSQL, H2 or SQLite through a {@link
 * javax.sql.DataSource} the application supplies. Build one with {@link
 * io.kv.jdbc.JdbcKvStore#builder(javax.sql.DataSource)}; the schema scripts are in the jar under
 * {@code io/kv/jdbc/schema/<dialect>/V1__kv_schema.sql}.
 *
 * <p>Several instances on one database stay coherent through the change-log table every instance
 * writes: {@link io.kv.jdbc.ChangeFeed} follows it, and {@link io.kv.jdbc.NearCache} puts a
 * Caffeine cache in front of a store's reads, invalidated by local writes and by the feed, and
 * merges local and remote change events for listeners.
 */
package io.kv.jdbc;
