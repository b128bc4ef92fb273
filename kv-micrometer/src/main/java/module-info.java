/**
 * Micrometer meters for kv: {@link io.kv.micrometer.KvMetrics#timed timers} around any {@link
 * io.kv.KvStore}, and {@link io.kv.micrometer.KvJdbcMetrics} for the JDBC store's near-cache,
 * change feed and sweeper. Micrometer and the JDBC store are the application's: both are required
 * static, and an application that uses only the timers needs no JDBC store.
 */
// micrometer-core is an automatic module (micrometer.core); its types are in this module's API.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.kv.micrometer {
  requires transitive io.kv;
  requires static transitive micrometer.core;
  requires static transitive io.kv.jdbc;

  exports io.kv.micrometer;
}
