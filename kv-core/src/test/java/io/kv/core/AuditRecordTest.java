package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.Principal;
import io.kv.VersionConflictException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AuditRecordTest {
  private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");
  private static final Principal P = Principal.of("alice");

  @Test
  void aSuccessHasNoErrorKindAndAFailureHasOne() {
    AuditRecord ok = new AuditRecord(T, P, AuditAction.READ, Optional.of("app"), Optional.of("k"), true, Optional.empty());
    AuditRecord failed = new AuditRecord(T, P, AuditAction.READ, Optional.of("app"), Optional.of("k"), false,
        Optional.of("NotFoundException"));

    assertThat(ok.success()).isTrue();
    assertThat(failed.errorKind()).contains("NotFoundException");
    assertThatThrownBy(() -> new AuditRecord(T, P, AuditAction.READ, Optional.empty(), Optional.empty(), true, Optional.of("X")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AuditRecord(T, P, AuditAction.READ, Optional.empty(), Optional.empty(), false, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AuditRecord(T, P, AuditAction.READ, Optional.empty(), Optional.empty(), false, Optional.of(" ")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyComponentIsRequired() {
    assertThatThrownBy(() -> new AuditRecord(null, P, AuditAction.READ, Optional.empty(), Optional.empty(), true, Optional.empty()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AuditRecord(T, null, AuditAction.READ, Optional.empty(), Optional.empty(), true, Optional.empty()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AuditRecord(T, P, null, Optional.empty(), Optional.empty(), true, Optional.empty()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AuditRecord(T, P, AuditAction.READ, null, Optional.empty(), true, Optional.empty()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AuditRecord(T, P, AuditAction.READ, Optional.empty(), null, true, Optional.empty()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AuditRecord(T, P, AuditAction.READ, Optional.empty(), Optional.empty(), true, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void theErrorKindIsTheSimpleClassNameAndNeverTheMessage() {
    assertThat(AuditRecord.errorKindOf(new VersionConflictException("app", "k", 1, OptionalLong.of(2))))
        .isEqualTo("VersionConflictException");
    assertThat(AuditRecord.errorKindOf(new IllegalStateException("secret"))).isEqualTo("IllegalStateException");
    assertThat(AuditRecord.errorKindOf(new RuntimeException() { })).isEqualTo("io.kv.core.AuditRecordTest$1");
  }
}
