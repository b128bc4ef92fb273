/**
 * The JDBC kv store: PostgreSQL, H2 and SQLite behind the {@link io.kv.KvStore} contract, with a
 * change feed that follows other instances' writes and a Caffeine near-cache kept coherent by it.
 */
// pgjdbc is an automatic module (org.postgresql.jdbc); it is required static, never transitively.
@SuppressWarnings("requires-automatic")
module io.kv.jdbc {
  requires transitive io.kv;
  requires transitive java.sql;
  requires org.slf4j;
  requires com.github.benmanes.caffeine;
  // LISTEN/NOTIFY on PostgreSQL only; the driver is the application's choice.
  requires static org.postgresql.jdbc;

  exports io.kv.jdbc;
}
