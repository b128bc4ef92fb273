package io.kv.jdbc;

import io.kv.KvStore;
import io.kv.Value;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The JDBC store keeps its change log for a time ({@code changeRetention}, one hour by default),
 * not a number of changes: for the contract's check of a compacted revision, the clock moves past
 * the retention and the purge of another instance on the same tables runs, as its sweeper would;
 * one change is written after it, so the log is not empty and its oldest revision is known.
 */
final class ChangeLogCompaction {
  private ChangeLogCompaction() {}

  static void compact(DataSource dataSource, String prefix, KvStore store, MutableClock clock, String namespace) {
    clock.advance(Duration.ofHours(2));
    try (JdbcKvStore sweeper = JdbcKvStore.builder(dataSource).clock(clock).tablePrefix(prefix)
        .schemaMode(SchemaMode.VALIDATE).sweepInterval(Duration.ZERO).build()) {
      sweeper.purgeExpired();
    }
    store.put(namespace, "after-compaction", Value.number(1));
  }
}
