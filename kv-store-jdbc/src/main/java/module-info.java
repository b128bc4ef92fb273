/**
 * The JDBC kv store: PostgreSQL, H2 and SQLite behind the {@link io.kv.KvStore} contract.
 */
module io.kv.jdbc {
  requires transitive io.kv;
  requires transitive java.sql;
  requires org.slf4j;
  requires com.github.benmanes.caffeine;

  exports io.kv.jdbc;
}
