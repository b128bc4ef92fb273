package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.ImportReport;
import io.kv.core.KvExport;
import io.kv.core.KvImport;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("KvImport of a memory store's export into JdbcKvStore on H2 (file): versions and history restored")
class H2KvImportTest {
  private final MutableClock clock = MutableClock.fixed();

  @TempDir
  Path dir;

  private HikariDataSource pool;
  private MemoryKvStore memory;
  private JdbcKvStore jdbc;

  @BeforeEach
  void open() {
    memory = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();
    pool = TestDatabases.h2(dir.resolve("h2"));
    jdbc = JdbcKvStore.builder(pool).clock(clock).schemaMode(SchemaMode.CREATE).sweepInterval(Duration.ZERO)
        .instanceId("importer").build();
  }

  @AfterEach
  void close() {
    jdbc.close();
    pool.close();
    memory.close();
  }

  @Test
  void anExportOfAMemoryStoreRestoresVersionsAndHistoryExactly() {
    KvStore alice = memory.as(Principal.of("alice"));
    KvStore bob = memory.as(Principal.of("bob"));
    memory.namespaces().create("app", NamespaceSettings.defaults().withMaxVersions(3).withDescription("the app"));
    memory.namespaces().create("short", NamespaceSettings.defaults().withMaxVersions(1));
    alice.put("app", "db/password", Value.string("p1"), WriteOptions.none().withReason("initial"));
    clock.advance(Duration.ofMillis(1_234));
    bob.put("app", "db/password", Value.string("p2"));
    clock.advance(Duration.ofSeconds(3));
    alice.rotate("app", "db/password", Value.string("p3"),
        WriteOptions.none().withReason("quarterly").withMetadata(Map.of("owner", "ops")).withTags(Set.of("db")));
    clock.advance(Duration.ofSeconds(5));
    bob.rollback("app", "db/password", 2, WriteOptions.none());
    clock.advance(Duration.ofSeconds(7));
    bob.put("app", "db/password", Value.string("p5"), WriteOptions.ttl(Duration.ofHours(2)).withMetadata(Map.of("k", "v")));
    alice.put("app", "flag", Value.bool(true));
    alice.put("app", "n", Value.number(42));
    alice.put("app", "bytes", Value.binary(new byte[] {0, 1, 2, (byte) 0xff}));
    for (int i = 1; i <= 4; i++) {
      clock.advance(Duration.ofSeconds(1));
      bob.put("short", "k", Value.string("v" + i));
    }
    // Deleted and written again: the new entry starts at version 1 with a history of its own.
    alice.put("app", "again", Value.string("old"));
    alice.delete("app", "again");
    alice.put("app", "again", Value.string("new"));

    Path file = dir.resolve("export.jsonl");
    KvExport.builder(memory).build().writeTo(file);
    clock.advance(Duration.ofMinutes(1));
    ImportReport report = KvImport.builder(jdbc).clock(clock).build().readFrom(file);

    assertThat(report.versionsRestored()).isTrue();
    assertThat(report.created()).isEqualTo(6);
    for (String ns : List.of("app", "short")) {
      assertThat(jdbc.namespaces().get(ns).orElseThrow().settings()).isEqualTo(memory.namespaces().get(ns).orElseThrow().settings());
      // Revisions are each store's own numbering of its changes, so everything else is compared.
      List<Entry> expected = withoutRevisions(memory.list(ns, ListOptions.all()).entries());
      assertThat(withoutRevisions(jdbc.list(ns, ListOptions.all()).entries())).isEqualTo(expected);
      for (Entry e : expected) {
        assertThat(jdbc.get(ns, e.key()).map(found -> found.withRevision(0))).contains(e);
        assertThat(jdbc.history(ns, e.key())).as("history of %s/%s", ns, e.key()).isEqualTo(memory.history(ns, e.key()));
      }
    }
    assertThat(jdbc.get("app", "db/password").orElseThrow().version()).isEqualTo(5);
    assertThat(jdbc.history("app", "db/password")).hasSize(4);
    assertThat(jdbc.history("short", "k")).hasSize(2);

    // A second import finds nothing to do, and imported entries carry on as if written here.
    ImportReport again = KvImport.builder(jdbc).clock(clock).build().dryRun().readFrom(file);
    assertThat(again.unchanged()).isEqualTo(6);
    assertThat(jdbc.compareAndSet("app", "db/password", 5, Value.string("p6")).version()).isEqualTo(6);
    assertThat(jdbc.history("app", "db/password")).extracting(VersionRecord::version).containsExactly(6L, 5L, 4L, 3L);
  }

  private static List<Entry> withoutRevisions(List<Entry> entries) {
    return entries.stream().map(e -> e.withRevision(0)).collect(java.util.stream.Collectors.toList());
  }
}
