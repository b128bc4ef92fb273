package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.KvException;
import io.kv.Principal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditFailedExceptionTest {
  private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");
  private static final IllegalStateException CAUSE = new IllegalStateException("sink down");

  private static AuditRecord record(AuditAction action, boolean success) {
    return new AuditRecord(T, Principal.of("alice"), action, Optional.of("app"), Optional.of("db/host"), success,
        success ? Optional.empty() : Optional.of("NotFoundException"));
  }

  @Test
  void aSuccessfulWriteTookEffect() {
    AuditFailedException e = new AuditFailedException(record(AuditAction.WRITE, true), CAUSE);

    assertThat(e).isInstanceOf(KvException.class).hasCause(CAUSE)
        .hasMessage("audit sink failed to record WRITE of 'app/db/host' by alice; the operation took effect");
    assertThat(e.operationTookEffect()).isTrue();
    assertThat(e.action()).isEqualTo(AuditAction.WRITE);
    assertThat(e.namespace()).contains("app");
    assertThat(e.key()).contains("db/host");
  }

  @Test
  void aReadOrAFailedOperationDidNot() {
    AuditFailedException read = new AuditFailedException(record(AuditAction.READ, true), CAUSE);
    AuditFailedException failedWrite = new AuditFailedException(record(AuditAction.WRITE, false), CAUSE);

    assertThat(read.operationTookEffect()).isFalse();
    assertThat(read).hasMessageEndingWith("; its result was withheld");
    assertThat(failedWrite.operationTookEffect()).isFalse();
    assertThat(failedWrite).hasMessageEndingWith("; the operation failed");
  }

  @Test
  void aRecordWithoutNamespaceOrKey() {
    AuditRecord list = new AuditRecord(T, Principal.ANONYMOUS, AuditAction.NAMESPACE_LIST, Optional.empty(), Optional.empty(),
        true, Optional.empty());

    AuditFailedException e = new AuditFailedException(list, CAUSE);

    assertThat(e).hasMessage("audit sink failed to record NAMESPACE_LIST by anonymous; its result was withheld");
    assertThat(e.namespace()).isEmpty();
    assertThat(e.key()).isEmpty();
  }

  @Test
  void itSerializes() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new AuditFailedException(record(AuditAction.DELETE, true), CAUSE));
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      AuditFailedException e = (AuditFailedException) in.readObject();
      assertThat(e.key()).contains("db/host");
      assertThat(e.operationTookEffect()).isTrue();
    }
  }
}
