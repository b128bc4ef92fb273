package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Principal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class Slf4jAuditSinkTest {
  private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void aSuccessIsOneLineOfKeyValuePairs() {
    AuditRecord r = new AuditRecord(T, Principal.of("alice"), AuditAction.WRITE, Optional.of("app"),
        Optional.of("config/db-host.v2"), true, Optional.empty());

    assertThat(Slf4jAuditSink.format(r))
        .isEqualTo("time=2030-01-01T00:00:00Z principal=alice action=WRITE namespace=app key=config/db-host.v2 outcome=success");
  }

  @Test
  void aFailureNamesTheErrorKindAndAbsentFieldsAreLeftOut() {
    AuditRecord r = new AuditRecord(T, Principal.of("svc@corp"), AuditAction.NAMESPACE_LIST, Optional.empty(),
        Optional.empty(), false, Optional.of("PermissionDeniedException"));

    assertThat(Slf4jAuditSink.format(r))
        .isEqualTo("time=2030-01-01T00:00:00Z principal=svc@corp action=NAMESPACE_LIST outcome=failure error=PermissionDeniedException");
  }

  @Test
  void fieldsThatCouldForgeALineAreQuotedAndEscaped() {
    AuditRecord r = new AuditRecord(T, Principal.of("eve \"admin\""), AuditAction.READ, Optional.of("app"),
        Optional.of("a\nb=c\\d\u2028"), false, Optional.of("InvalidInputException"));

    String line = Slf4jAuditSink.format(r);

    assertThat(line).isEqualTo("time=2030-01-01T00:00:00Z principal=\"eve \\\"admin\\\"\" action=READ namespace=app"
        + " key=\"a\\u000ab=c\\\\d\\u2028\" outcome=failure error=InvalidInputException");
    assertThat(line.lines()).hasSize(1);
  }

  @Test
  void recordLogsTheLineAtInfo() {
    AuditRecord r = new AuditRecord(T, Principal.ANONYMOUS, AuditAction.COUNT, Optional.of("app"), Optional.empty(), true,
        Optional.empty());
    String log;
    try (CapturedStdErr err = new CapturedStdErr()) {
      new Slf4jAuditSink(LoggerFactory.getLogger("test.audit")).record(r);
      log = err.text();
    }

    assertThat(log.strip()).endsWith("INFO test.audit - " + Slf4jAuditSink.format(r));
  }
}
