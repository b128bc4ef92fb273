package io.kv.audit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.StorageException;
import io.kv.jdbc.Dialect;
import io.kv.jdbc.SchemaMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcAuditSinkBuilderTest {
  @TempDir
  Path dir;

  @Test
  void validateNamesTheMissingTableAndItsScript() {
    try (HikariDataSource ds = (HikariDataSource) AuditDatabases.open(Dialect.H2, dir)) {
      assertThatThrownBy(() -> JdbcAuditSink.builder(ds).tablePrefix("nope_").build())
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("nope_audit")
          .hasMessageContaining("io/kv/audit/jdbc/schema/h2/V1__audit_schema.sql");
      JdbcAuditSink.builder(ds).tablePrefix("yes_").schemaMode(SchemaMode.CREATE).build();
      // The table is there now: validating (the default) and a second CREATE both pass.
      JdbcAuditSink validated = JdbcAuditSink.builder(ds).tablePrefix("yes_").build();
      JdbcAuditSink.builder(ds).tablePrefix("yes_").schemaMode(SchemaMode.CREATE).build();
      assertThat(validated.heads()).hasSize(3);
    }
  }

  @Test
  void settingsAreCheckedAtOnce() {
    JdbcAuditSink.Builder b = JdbcAuditSink.builder(new org.h2.jdbcx.JdbcDataSource());
    assertThatThrownBy(() -> b.tablePrefix("Bad-Prefix")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tablePrefix");
    assertThatThrownBy(() -> b.schema("x; DROP TABLE y")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.retention(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.purgeBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.batchReads(Duration.ZERO, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDelay");
    assertThatThrownBy(() -> b.batchReads(Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBatch");
    b.batchReads(Duration.ofSeconds(1), 10);
    assertThatThrownBy(() -> b.batchReads(Duration.ofSeconds(1), 10)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> b.summarizeReads(Duration.ofSeconds(1), 10)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exclude");
    b.schemaMode(SchemaMode.NONE);
    assertThatThrownBy(() -> b.schemaMode(SchemaMode.CREATE)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void summarizeReadsIsCheckedAtOnceAndExcludesBatchReads() {
    JdbcAuditSink.Builder b = JdbcAuditSink.builder(new org.h2.jdbcx.JdbcDataSource());
    assertThatThrownBy(() -> b.summarizeReads(null, 10)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.summarizeReads(Duration.ZERO, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval");
    assertThatThrownBy(() -> b.summarizeReads(Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxGroups");
    assertThatThrownBy(() -> b.summarizeReads(Duration.ofSeconds(1), 1_000_001))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxGroups");
    b.summarizeReads(Duration.ofSeconds(1), 10);
    assertThatThrownBy(() -> b.summarizeReads(Duration.ofSeconds(1), 10)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> b.batchReads(Duration.ofSeconds(1), 10)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exclude");
  }

  @Test
  void queriesAreCheckedAtOnce() {
    assertThatThrownBy(() -> AuditQuery.all().withLimit(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditQuery.all().withLimit(AuditQuery.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditQuery.all().withTimeRange(Instant.EPOCH.plusSeconds(1), Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
