/**
 * The JDBC kv store and what keeps several instances on one database coherent: {@link
 * io.kv.jdbc.ChangeFeed} follows the change-log table every instance writes, and {@link
 * io.kv.jdbc.NearCache} puts a Caffeine cache in front of a store's reads, invalidated by local
 * writes and by the feed, and merges local and remote change events for listeners.
 */
package io.kv.jdbc;
