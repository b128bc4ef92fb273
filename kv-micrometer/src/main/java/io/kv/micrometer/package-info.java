/**
 * Micrometer meters for kv stores: {@link io.kv.micrometer.KvMetrics} times operations, {@link
 * io.kv.micrometer.KvJdbcMetrics} binds the JDBC store's figures. The README's "Metrics
 * (Micrometer)" section lists every meter.
 */
package io.kv.micrometer;
