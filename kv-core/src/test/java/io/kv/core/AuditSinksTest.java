package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.Principal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditSinksTest {
  private static final AuditRecord RECORD = new AuditRecord(Instant.parse("2030-01-01T00:00:00Z"), Principal.of("alice"),
      AuditAction.WRITE, Optional.of("app"), Optional.of("k"), true, Optional.empty());

  @Test
  void inMemoryGivesAFreshSinkEachTime() {
    InMemoryAuditSink a = AuditSinks.inMemory();
    InMemoryAuditSink b = AuditSinks.inMemory();

    a.record(RECORD);

    assertThat(a.records()).containsExactly(RECORD);
    assertThat(b.records()).isEmpty();
  }

  @Test
  void slf4jLogsToTheAuditLoggerOrTheOneNamed() {
    String log;
    try (CapturedStdErr err = new CapturedStdErr()) {
      AuditSinks.slf4j().record(RECORD);
      AuditSinks.slf4j("my.audit").record(RECORD);
      log = err.text();
    }

    assertThat(log.lines()).hasSize(2);
    assertThat(log).contains("INFO io.kv.audit - time=2030-01-01T00:00:00Z principal=alice action=WRITE")
        .contains("INFO my.audit - time=");
    assertThat(AuditSinks.DEFAULT_LOGGER).isEqualTo("io.kv.audit");
  }

  @Test
  void slf4jChecksTheLoggerName() {
    assertThatThrownBy(() -> AuditSinks.slf4j(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AuditSinks.slf4j(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
