package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeFilter;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Writes and reads secrets through the whole stack, in success and in every kind of failure, and
 * checks that no plaintext value appears in anything an operator could see: log output (every
 * logger, captured from the SLF4J binding's stream), audit records, events, exceptions with their
 * causes and suppressed exceptions, and the {@code toString} of everything returned.
 */
class NoPlaintextTest {
  private static final String[] SECRETS = {
    "s3cr3t-first-password", "s3cr3t-rotated-password", "s3cr3t-bulk-one", "s3cr3t-bulk-two", "s3cr3t-conflict-value",
    "s3cr3t-denied-value", "s3cr3t-json-token", "s3cr3t-binary-blob"
  };

  private final List<String> seen = new ArrayList<>();

  @Test
  void noPlaintextInLogsAuditRecordsEventsExceptionsOrToString() throws Exception {
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setErr(capture);
    System.setOut(capture);
    try {
      exercise();
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);

    // The capture did see the stack at work: audit lines, a listener failure, a decryption failure.
    assertThat(logs).contains("action=WRITE").contains("listener").contains("DecryptionException");
    for (String secret : SECRETS) {
      assertThat(logs).as("log output").doesNotContain(secret);
      assertThat(seen).as("audit records, events, exceptions, toString").noneMatch(s -> s.contains(secret));
    }
    assertThat(seen).hasSizeGreaterThan(40);
  }

  private void exercise() {
    MutableClock clock = MutableClock.fixed();
    MemoryKvStore backend = MemoryKvStore.builder().clock(clock).build();
    InMemoryAuditSink memory = AuditSinks.inMemory();
    AuditSink logged = AuditSinks.slf4j();
    List<Object> events = new CopyOnWriteArrayList<>();
    Principal alice = Principal.of("alice");
    Principal mallory = Principal.of("mallory");
    KvStore stack = KvStores.builder(backend)
        .clock(clock)
        .audit(r -> {
          memory.record(r);
          logged.record(r);
        })
        .permissions(Grants.builder().grantAll(alice, "vault").grantAll(alice, "app")
            .grant(mallory, Permission.ENTRY_READ, "app").build())
        .encryption(KeyRing.of("k1", MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")))
        .build();
    KvStore store = stack.as(alice);
    KvStore intruder = stack.as(mallory);

    store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true).withMaxVersions(5));
    store.subscribe(ChangeFilter.all(), events::add);
    store.subscribe(ChangeFilter.all(), e -> {
      throw new IllegalStateException("listener failed on purpose for " + e);
    });

    see(store.put("vault", "db/password", Value.string(SECRETS[0]), WriteOptions.none().withReason("initial")));
    see(store.get("vault", "db/password"));
    see(store.rotate("vault", "db/password", Value.string(SECRETS[1]), WriteOptions.none().withReason("rotation")));
    see(store.rollback("vault", "db/password", 1, WriteOptions.none().withReason("rollback")));
    see(store.history("vault", "db/password"));
    see(store.putAll("vault", Map.of("bulk/1", Value.string(SECRETS[2]), "bulk/2", Value.string(SECRETS[3]))));
    see(store.getAll("vault", List.of("bulk/1", "bulk/2")));
    see(store.list("vault", ListOptions.all()));
    see(store.put("vault", "json", Value.json("{\"token\":\"" + SECRETS[6] + "\"}")));
    see(store.put("vault", "blob", Value.binary(SECRETS[7].getBytes(StandardCharsets.UTF_8))));
    see(store.namespaces().get("vault"));

    Entry current = store.get("vault", "db/password").orElseThrow();
    fail(() -> store.compareAndSet("vault", "db/password", current.version() - 1, Value.string(SECRETS[4])));
    fail(() -> store.create("vault", "db/password", Value.string(SECRETS[4])));
    fail(() -> store.update("vault", "missing", Value.string(SECRETS[4])));
    fail(() -> store.put("vault", "", Value.string(SECRETS[4])));
    fail(() -> store.put("vault", "big", Value.string(SECRETS[4].repeat(60_000))));
    fail(() -> intruder.put("vault", "db/password", Value.string(SECRETS[5])));
    fail(() -> intruder.get("vault", "db/password"));
    fail(() -> store.rollback("vault", "db/password", 99, WriteOptions.none()));
    fail(() -> JsonKv.of(store).get("vault", "json", Integer.class));

    // Tamper with the stored envelope: the read must fail with a decryption error, and say nothing.
    byte[] envelope = backend.get("vault", "db/password").orElseThrow().value().bytes();
    envelope[envelope.length - 1] ^= 1;
    backend.put("vault", "db/password", Value.binary(envelope));
    fail(() -> store.get("vault", "db/password"));
    fail(() -> store.list("vault", ListOptions.prefix("db/")));

    memory.records().forEach(this::see);
    events.forEach(this::see);
    see(stack);
    see(store);
  }

  private void see(Object o) {
    seen.add(String.valueOf(o));
  }

  private void fail(Runnable call) {
    try {
      call.run();
      throw new AssertionError("expected the call to fail");
    } catch (RuntimeException e) {
      collect(e);
    }
  }

  private void collect(Throwable t) {
    while (t != null) {
      seen.add(t.toString());
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      seen.add(trace.toString());
      for (Throwable s : t.getSuppressed()) {
        collect(s);
      }
      t = t.getCause();
    }
  }
}
