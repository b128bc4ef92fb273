package io.kv.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.core.MasterKey;
import io.kv.core.MasterKeys;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's demo command prints this walk-through; keep it honest. */
class DemoTest {
  private static final MasterKey KEY = MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void walksThroughEveryStepAndNeverPrintsASecret() {
    MutableClock clock = MutableClock.fixed();
    try (MemoryKvStore store = MemoryKvStore.builder().clock(clock).build()) {
      new Demo(out, clock).run(store, KEY);
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
        .contains("stored as JSON, read back as PoolConfig[url=jdbc:postgresql://db.internal/app, maxSize=20, ssl=true]")
        .contains("present now: true")
        .contains("29 s later, present: true")
        .contains("30 s later, present: false")
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

  @Test
  void onH2TheSecondRunFindsTheFirstRunsDataAndTheFilesAreDeletedAfter() throws IOException {
    Path dir = new OnH2(out, MutableClock.fixed()).runTwice(KEY);
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out)
        .contains("first get took 1 connection (a miss, read from H2)")
        .contains("second get took 0 connections (a near-cache hit)")
        .contains("Run 2: a new store on the same file\n  config/database/host = db2.internal")
        .contains("config/pool as a record: PoolConfig[url=jdbc:postgresql://db.internal/app, maxSize=20, ssl=true]")
        .contains("secrets/db/password v3 decrypts with the same master key (STRING, 3 versions in its history)")
        .contains("Deleted " + dir)
        .doesNotContain("first-password")
        .doesNotContain("second-password");
    assertThat(dir).doesNotExist();
  }

  @Test
  void theTestFakeChecksPass() {
    new AsTestFake(out).run();

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("passed: alice is still logged in after 29 minutes")
        .contains("passed: alice is logged out at 30 minutes")
        .contains("passed: an unknown session has no user");
  }
}
