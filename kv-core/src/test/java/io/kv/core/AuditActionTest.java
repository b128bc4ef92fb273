package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AuditActionTest {
  @Test
  void exactlyTheActionsThatChangeDataSaySo() {
    assertThat(Arrays.stream(AuditAction.values()).filter(AuditAction::changesData)).containsExactly(
        AuditAction.WRITE, AuditAction.DELETE, AuditAction.ROTATE, AuditAction.ROLLBACK,
        AuditAction.NAMESPACE_CREATE, AuditAction.NAMESPACE_UPDATE, AuditAction.NAMESPACE_DELETE);
  }
}
