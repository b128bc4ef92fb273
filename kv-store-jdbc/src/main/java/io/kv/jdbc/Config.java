package io.kv.jdbc;

import io.kv.InputRules;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/** The checked settings of a store; {@code dialect} and {@code schema} may be null. */
record Config(
    DataSource dataSource,
    Dialect dialect,
    Clock clock,
    InputRules limits,
    String tablePrefix,
    String schema,
    SchemaMode schemaMode,
    Duration sweepInterval,
    int sweepBatchSize,
    Duration changeRetention,
    String instanceId,
    TimeSource timeSource,
    Duration maxClockSkew) {}
