package io.kv.jdbc;

import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/** The checked settings of a {@link ChangeFeed}. Immutable. */
record FeedConfig(
    DataSource dataSource,
    String instanceId,
    String schema,
    String tablePrefix,
    Duration pollInterval,
    Duration gapTimeout,
    int batchSize,
    Clock clock) {

  /** The change-log table's name, qualified by the schema if one was given. */
  String table() {
    return (schema == null ? "" : schema + ".") + tablePrefix + "changes";
  }

  /** The PostgreSQL channel the writers notify: the table's unqualified name. */
  String channel() {
    return tablePrefix + "changes";
  }
}
