package io.kv.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.core.MasterKeys;
import io.kv.memory.MemoryKvStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's demo command prints this walk-through; keep it honest. */
class DemoTest {

  @Test
  void walksThroughEveryStepAndNeverPrintsASecret() throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryKvStore store = MemoryKvStore.create()) {
      new Demo(new PrintStream(bytes, true, StandardCharsets.UTF_8))
          .run(store, MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
    }
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out)
        .contains("get config/database/port -> 5432")
        .contains("create refused: entry 'app/config/database/host' already exists")
        .contains("CAS from version 1 -> version 2")
        .contains("stale CAS refused: entry 'app/config/database/host': expected version 1 but found version 2")
        .contains("page 1: config/database/host = db2.internal")
        .contains("page 2: config/database/port = 5432")
        .contains("getAll found [config/api/timeout-ms, config/features/dark-mode]")
        .contains("present now: true")
        .contains("after 1.1 s, present: false")
        .contains("event: ROTATED db/password v2 by ops-bot")
        .contains("history v3 ROLLED_BACK by ops-bot: new password broke the app")
        .contains("the backend holds Value[BINARY")
        .contains("intern reads config/database/port -> 5432")
        .contains("denied: intern lacks kv-entry:write")
        .contains("denied: intern lacks kv-entry:read")
        .contains("intern READ secrets/db/password FAILED PermissionDeniedException")
        .doesNotContain("first-password")
        .doesNotContain("second-password")
        .doesNotContain("tok-abc");
  }
}
