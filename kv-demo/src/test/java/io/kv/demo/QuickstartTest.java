package io.kv.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeFilter;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Page;
import io.kv.Principal;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.KeyRing;
import io.kv.core.KvStores;
import io.kv.core.MasterKeys;
import io.kv.memory.MemoryKvStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Holds the README's Quickstart, so that it compiles against the current API and does what its
 * comments say; the second test fails when the README and this copy drift apart. The surefire
 * configuration of this module sets {@code KV_MASTER_KEY} to a throwaway test key.
 */
class QuickstartTest {
  private static final Path THIS_FILE = Path.of("src/test/java/io/kv/demo/QuickstartTest.java");
  private static final Path README = Path.of("../README.md");

  @Test
  void runsAsTheReadmeSays() {
    PrintStream systemOut = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      quickstart();
    } finally {
      System.setOut(systemOut);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out.lines()).startsWith(
        "CREATED config/database/host v1",
        "CREATED config/database/port v1",
        "UPDATED config/database/port v2",
        "UPDATED config/database/port v3");
    assertThat(out)
        .contains("config/database/host = db.internal\nconfig/database/port = 7432\n")
        .contains("v3 ROLLED_BACK by ops-bot: k2 was revoked\nv2 ROTATED by ops-bot: quarterly\nv1 CREATED by ops-bot: initial")
        .contains("ops-bot reads k1; the backend holds Value[BINARY")
        .doesNotContain("session/42 =");
  }

  @Test
  void readmeHoldsThisCode() throws IOException {
    String source = Files.readString(THIS_FILE);
    String body = between(source, "// quickstart:begin\n", "    // quickstart:end");
    String readme = Files.readString(README);
    Matcher block = Pattern.compile("## Quickstart\n.*?```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(block.find()).as("a java block under ## Quickstart").isTrue();
    String shown = block.group(1);

    // The README imports io.kv.* where this file names each class.
    List<String> imports = shown.lines().filter(l -> l.startsWith("import ")).collect(Collectors.toList());
    for (String line : imports) {
      String imported = line.endsWith(".*;") ? line.substring(0, line.length() - 2) : line;
      assertThat(source.lines().anyMatch(l -> l.startsWith(imported))).as(line).isTrue();
    }
    String code = shown.lines().filter(l -> !l.startsWith("import ")).collect(Collectors.joining("\n")).strip();
    String expected = body.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l).collect(Collectors.joining("\n")).strip();
    assertThat(code).isEqualTo(expected);
  }

  private static String between(String text, String begin, String end) {
    int from = text.indexOf(begin);
    int to = text.indexOf(end, from);
    assertThat(from).as(begin.strip()).isNotNegative();
    assertThat(to).as(end.strip()).isGreaterThan(from);
    return text.substring(from + begin.length(), to);
  }

  private static void quickstart() {
    // quickstart:begin
    // The layer stack over the embedded memory store. Encryption is what keeps a secret namespace
    // secret: without it the backend would hold its values as written, in the clear.
    KvStore backend = MemoryKvStore.create();
    try (KvStore store = KvStores.builder(backend)
        .encryption(KeyRing.of("k1", MasterKeys.fromEnvironment()))   // KV_MASTER_KEY, see below
        .build()) {
      // Change events come after each write took effect and carry no value. Subscribe first:
      // a listener hears only the writes made after it subscribed.
      Subscription events = store.subscribe(ChangeFilter.namespace("app").withKeyPrefix("config/"),
          event -> System.out.println(event.type() + " " + event.key() + " v" + event.version()));

      // Upsert, read back. Every write returns the entry with its version and timestamps.
      Entry e = store.put("app", "config/database/host", Value.string("db.internal"));
      String host = store.get("app", "config/database/host").orElseThrow().value().asString();

      // Create-if-absent and update-if-present.
      store.create("app", "config/database/port", Value.number(5432));   // AlreadyExistsException if present
      store.update("app", "config/database/port", Value.number(6432));   // NotFoundException if absent

      // Optimistic locking: exactly one of two racing writers wins.
      Entry cur = store.get("app", "config/database/port").orElseThrow();
      store.compareAndSet("app", "config/database/port", cur.version(), Value.number(7432));

      // A TTL: the entry is absent from every read from its expiry on.
      store.put("app", "session/42", Value.string("token"), WriteOptions.ttl(Duration.ofMinutes(30)));

      // Prefix listing, page by page, in key order.
      ListOptions options = ListOptions.prefix("config/").limit(100);
      Page page = store.list("app", options);
      while (true) {
        for (Entry listed : page.entries()) {
          System.out.println(listed.key() + " = " + listed.value().asString());
        }
        if (!page.hasMore()) {
          break;
        }
        page = store.list("app", options.after(page.nextCursor().orElseThrow()));
      }

      // A secret namespace: encrypted by the stack, with history of who and why.
      store.namespaces().create("secrets", NamespaceSettings.defaults().withSecret(true).withMaxVersions(10));
      KvStore ops = store.as(Principal.of("ops-bot"));
      ops.put("secrets", "api/key", Value.string("k1"), WriteOptions.none().withReason("initial"));
      ops.rotate("secrets", "api/key", Value.string("k2"), WriteOptions.none().withReason("quarterly"));
      ops.rollback("secrets", "api/key", 1, WriteOptions.none().withReason("k2 was revoked"));
      for (VersionRecord r : store.history("secrets", "api/key")) {   // newest first
        System.out.println("v" + r.version() + " " + r.change() + " by " + r.changedBy().name() + ": "
            + r.reason().orElse(""));
      }
      System.out.println("ops-bot reads " + ops.get("secrets", "api/key").orElseThrow().value().asString()
          + "; the backend holds " + backend.get("secrets", "api/key").orElseThrow().value());   // an AES-GCM envelope

      events.close();
    }
    // quickstart:end
  }
}
