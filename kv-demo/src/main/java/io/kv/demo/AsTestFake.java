package io.kv.demo;

import io.kv.KvStore;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The memory store as the fake of a unit test: an application class that keeps its sessions in
 * kv, tested on a {@link MutableClock} that the test moves, with no database and no waiting.
 */
final class AsTestFake {
  /** Application code under test: login sessions that last 30 minutes. */
  static final class Sessions {
    private final KvStore store;

    Sessions(KvStore store) {
      this.store = store;
    }

    void open(String sessionId, String user) {
      store.put("sessions", sessionId, Value.string(user), WriteOptions.ttl(Duration.ofMinutes(30)));
    }

    Optional<String> user(String sessionId) {
      return store.get("sessions", sessionId).map(e -> e.value().asString());
    }
  }

  private final PrintStream out;

  AsTestFake(PrintStream out) {
    this.out = out;
  }

  void run() {
    Demo.step(out, "A unit test of Sessions, with the memory store as its fake");
    MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T09:00:00Z"));
    try (MemoryKvStore fake = MemoryKvStore.builder().clock(clock).build()) {
      Sessions sessions = new Sessions(fake);
      sessions.open("s-1", "alice");
      clock.advance(Duration.ofMinutes(29));
      check("alice is still logged in after 29 minutes", sessions.user("s-1").equals(Optional.of("alice")));
      clock.advance(Duration.ofMinutes(1));
      check("alice is logged out at 30 minutes", sessions.user("s-1").isEmpty());
      check("an unknown session has no user", sessions.user("s-2").isEmpty());
    }
  }

  private void check(String what, boolean holds) {
    if (!holds) {
      throw new AssertionError(what);
    }
    out.println("  passed: " + what);
  }
}
