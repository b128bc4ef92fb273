package io.kv.demo;

import io.kv.AlreadyExistsException;
import io.kv.ChangeFilter;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Page;
import io.kv.PermissionDeniedException;
import io.kv.Principal;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.AuditRecord;
import io.kv.core.AuditSinks;
import io.kv.core.Grants;
import io.kv.core.InMemoryAuditSink;
import io.kv.core.KeyRing;
import io.kv.core.KvStores;
import io.kv.core.MasterKey;
import io.kv.core.MasterKeys;
import io.kv.core.Permission;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.SchemaMode;
import io.kv.memory.MemoryKvStore;
import org.h2.jdbcx.JdbcDataSource;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Walks through kv's main job on the embedded default store: configuration and secrets kept in
 * process, with versions, expiry, prefix listing, encryption, history, audit, permissions and
 * change events.
 *
 * <p>Run it with {@code mvn -q -pl kv-demo -am package exec:java -DskipTests} on the memory store,
 * or add {@code -Dexec.args=h2} to run it on a new H2 database file through the JDBC store. The
 * master key comes from {@code KV_MASTER_KEY} (base64 of 32 bytes); without it the demo makes a
 * throwaway one.
 */
public final class Demo {
  private static final Principal APP = Principal.of("app");
  private static final Principal OPS = Principal.of("ops-bot");
  private static final Principal INTERN = Principal.of("intern");

  private final PrintStream out;

  Demo(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the walk-through and prints what happens: on a new memory store, or with the argument
   * {@code h2} on a new H2 database file in a temporary directory.
   */
  public static void main(String[] args) throws Exception {
    boolean h2 = args.length > 0 && args[0].equalsIgnoreCase("h2");
    if (args.length > 0 && !h2 && !args[0].equalsIgnoreCase("memory")) {
      System.err.println("usage: Demo [memory|h2]");
      System.exit(2);
    }
    try (KvStore backend = h2 ? h2Store() : MemoryKvStore.create()) {
      new Demo(System.out).run(backend, masterKey());
    }
  }

  private static KvStore h2Store() throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("kv-demo");
    JdbcDataSource ds = new JdbcDataSource();
    // DB_CLOSE_DELAY keeps the database open between the store's connections.
    ds.setURL("jdbc:h2:file:" + dir.resolve("kv").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
    System.out.println("Running on H2 at " + dir.resolve("kv.mv.db"));
    return JdbcKvStore.builder(ds).schemaMode(SchemaMode.CREATE).build();
  }

  private static MasterKey masterKey() {
    String fromEnv = System.getenv("KV_MASTER_KEY");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return MasterKeys.fromEnvironment("KV_MASTER_KEY");
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return MasterKeys.fromBase64(Base64.getEncoder().encodeToString(key));
  }

  void run(KvStore backend, MasterKey masterKey) throws InterruptedException {
    InMemoryAuditSink audit = AuditSinks.inMemory();
    KvStore stack = KvStores.builder(backend)
        .audit(audit)
        .permissions(Grants.builder()
            .grantAll(APP, "app")
            .grantAll(OPS, "secrets")
            .grant(INTERN, Permission.ENTRY_READ, "app", "config/")
            .build())
        .encryption(KeyRing.of("demo-key", masterKey))
        .build();
    KvStore store = stack.as(APP);

    step("1. put and get: typed values under hierarchical keys");
    Entry host = store.put("app", "config/database/host", Value.string("db.internal"));
    store.put("app", "config/database/port", Value.number(5432));
    store.put("app", "config/database/options", Value.json("{\"ssl\": true, \"poolSize\": 10}"));
    store.put("app", "config/features/dark-mode", Value.bool(true));
    store.put("app", "config/api/timeout-ms", Value.number(30000));
    out.println("  " + host.key() + " v" + host.version() + " " + host.value().type() + " = " + host.value().asString());
    out.println("  get config/database/port -> " + store.get("app", "config/database/port").map(e -> e.value().asNumber()).orElseThrow());

    step("2. create-if-absent and compare-and-set");
    try {
      store.create("app", "config/database/host", Value.string("other"));
    } catch (AlreadyExistsException e) {
      out.println("  create refused: " + e.getMessage());
    }
    Entry v1 = store.get("app", "config/database/host").orElseThrow();
    Entry v2 = store.compareAndSet("app", "config/database/host", v1.version(), Value.string("db2.internal"));
    out.println("  CAS from version " + v1.version() + " -> version " + v2.version());
    try {
      store.compareAndSet("app", "config/database/host", v1.version(), Value.string("stale-writer"));
    } catch (VersionConflictException e) {
      out.println("  stale CAS refused: " + e.getMessage());
    }

    step("3. prefix listing, two entries a page");
    ListOptions options = ListOptions.prefix("config/database/").limit(2);
    int pageNo = 1;
    while (true) {
      Page page = store.list("app", options);
      for (Entry e : page.entries()) {
        out.println("  page " + pageNo + ": " + e.key() + " = " + e.value().asString());
      }
      if (!page.hasMore()) {
        break;
      }
      options = options.after(page.nextCursor().orElseThrow());
      pageNo++;
    }

    step("4. bulk get and delete");
    Map<String, Entry> some = store.getAll("app", List.of("config/api/timeout-ms", "config/features/dark-mode", "missing"));
    out.println("  getAll found " + some.keySet());
    out.println("  deleteAll removed " + store.deleteAll("app", List.of("config/features/dark-mode", "missing")) + " entry");

    step("5. TTL: a session token that lives one second");
    Entry token = store.put("app", "session/42", Value.string("tok-abc"), WriteOptions.ttl(Duration.ofSeconds(1)));
    out.println("  expiresAt " + token.expiresAt().orElseThrow() + ", present now: " + store.get("app", "session/42").isPresent());
    Thread.sleep(1100);
    out.println("  after 1.1 s, present: " + store.get("app", "session/42").isPresent());

    step("6. a secret namespace: encrypted at rest, rotated, rolled back, heard by a listener");
    KvStore ops = stack.as(OPS);
    ops.namespaces().create("secrets", NamespaceSettings.defaults().withDescription("production credentials").withSecret(true));
    Subscription sub = ops.subscribe(ChangeFilter.namespace("secrets"),
        e -> out.println("  event: " + e.type() + " " + e.key() + " v" + e.version() + " by " + e.principal().name()));
    try {
      ops.put("secrets", "db/password", Value.string("first-password"), WriteOptions.none().withReason("initial"));
      ops.rotate("secrets", "db/password", Value.string("second-password"), WriteOptions.none().withReason("quarterly rotation"));
      Entry back = ops.rollback("secrets", "db/password", 1, WriteOptions.none().withReason("new password broke the app"));
      out.println("  after rollback: version " + back.version() + ", the value prints as " + back.value());
      out.println("  the backend holds " + backend.get("secrets", "db/password").orElseThrow().value() + " (AES-256-GCM envelope)");
      for (VersionRecord r : ops.history("secrets", "db/password")) {
        out.println("  history v" + r.version() + " " + r.change() + " by " + r.changedBy().name() + ": " + r.reason().orElse(""));
      }
    } finally {
      sub.close();
    }

    step("7. permissions: the intern may read config/, nothing else");
    KvStore intern = stack.as(INTERN);
    out.println("  intern reads config/database/port -> " + intern.get("app", "config/database/port").map(e -> e.value().asString()).orElseThrow());
    try {
      intern.put("app", "config/database/port", Value.number(1));
    } catch (PermissionDeniedException e) {
      out.println("  denied: " + e.getMessage());
    }
    try {
      intern.get("secrets", "db/password");
    } catch (PermissionDeniedException e) {
      out.println("  denied: " + e.getMessage());
    }

    step("8. the audit trail (never a value)");
    List<AuditRecord> records = audit.records();
    out.println("  " + records.size() + " records; the last five:");
    for (AuditRecord r : records.subList(records.size() - 5, records.size())) {
      out.println("  " + r.principal().name() + " " + r.action() + " " + r.namespace().orElse("-") + "/" + r.key().orElse("-")
          + (r.success() ? " ok" : " FAILED " + r.errorKind().orElse("")));
    }
    out.println();
    out.println("Done. Values never appear in toString or exception messages: " + token);
  }

  private void step(String title) {
    out.println();
    out.println(title);
  }
}
