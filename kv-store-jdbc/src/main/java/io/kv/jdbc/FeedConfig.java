package io.kv.jdbc;

import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/** The checked settings of a {@link ChangeFeed}. Immutable. */
record FeedConfig(
    DataSource dataSource,
    String instanceId,
    String tablePrefix,
    Duration pollInterval,
    Duration gapTimeout,
    int batchSize,
    Clock clock) {

  /** The change-log table's name. */
  String table() {
    return tablePrefix + "changes";
  }
}
