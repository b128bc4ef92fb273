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
import io.kv.core.JsonKv;
import io.kv.core.KeyRing;
import io.kv.core.KvStores;
import io.kv.core.MasterKey;
import io.kv.core.MasterKeys;
import io.kv.core.Permission;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Walks through kv's main job on the embedded default store: configuration and secrets kept in
 * process, with versions, typed config, expiry, prefix listing, encryption, history, audit,
 * permissions and change events; then the memory store as the fake of a unit test.
 *
 * <p>Run it with {@code mvn -q -pl kv-demo -am package exec:java -DskipTests} on the memory store,
 * or add {@code -Dexec.args=h2} to run it through the JDBC store with a near-cache on an H2 file
 * in a new temporary directory: twice, the second run finding the first one's data, and the
 * directory deleted at the end. The master key comes from {@code KV_MASTER_KEY} (base64 of 32
 * bytes); without it the demo makes a throwaway one.
 *
 * <p>Time comes from a {@link MutableClock}: the demo moves it forward to show expiry instead of
 * waiting for it.
 */
public final class Demo {
  static final Principal APP = Principal.of("app");
  static final Principal OPS = Principal.of("ops-bot");
  static final Principal INTERN = Principal.of("intern");

  /** Typed configuration, stored as JSON through {@link JsonKv}. */
  record PoolConfig(String url, int maxSize, boolean ssl) {}

  private final PrintStream out;
  private final MutableClock clock;

  /** A walk-through that prints to {@code out} and whose stores all run on {@code clock}. */
  Demo(PrintStream out, MutableClock clock) {
    this.out = out;
    this.clock = clock;
  }

  /**
   * Runs the walk-through and prints what happens: on a new memory store, or with the argument
   * {@code h2} through the JDBC store on an H2 file in a temporary directory.
   *
   * @throws IOException if the H2 run cannot create or delete its temporary directory
   */
  public static void main(String[] args) throws IOException {
    boolean h2 = args.length > 0 && args[0].equalsIgnoreCase("h2");
    if (args.length > 0 && !h2 && !args[0].equalsIgnoreCase("memory")) {
      System.err.println("usage: Demo [memory|h2]");
      System.exit(2);
    }
    // The demo's own clock starts at the real time, so the timestamps it prints look familiar.
    MutableClock clock = MutableClock.at(Instant.now());
    if (h2) {
      new OnH2(System.out, clock).runTwice(masterKey());
    } else {
      try (MemoryKvStore backend = MemoryKvStore.builder().clock(clock).build()) {
        new Demo(System.out, clock).run(backend, masterKey());
      }
    }
    new AsTestFake(System.out).run();
  }

  static MasterKey masterKey() {
    String fromEnv = System.getenv(MasterKeys.DEFAULT_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return MasterKeys.fromEnvironment();
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return MasterKeys.fromBase64(Base64.getEncoder().encodeToString(key));
  }

  /**
   * The layer stack of the walk-through over {@code backend}: audit into {@code audit},
   * permissions for the three principals, encryption under {@code masterKey}.
   */
  static KvStore stack(KvStore backend, MasterKey masterKey, MutableClock clock, InMemoryAuditSink audit) {
    return KvStores.builder(backend)
        .clock(clock)
        .audit(audit)
        .permissions(Grants.builder()
            .grantAll(APP, "app")
            .grantAll(OPS, "secrets")
            .grant(INTERN, Permission.ENTRY_READ, "app", "config/")
            .build())
        .encryption(KeyRing.of("demo-key", masterKey))
        .build();
  }

  /**
   * Runs the walk-through over {@code backend}, under a layer stack it builds, and returns that
   * stack.
   */
  KvStore run(KvStore backend, MasterKey masterKey) {
    InMemoryAuditSink audit = AuditSinks.inMemory();
    KvStore stack = stack(backend, masterKey, clock, audit);
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

    step("5. typed config: a record in, the same record out (JSON through Jackson)");
    JsonKv json = JsonKv.of(store);
    json.put("app", "config/pool", new PoolConfig("jdbc:postgresql://db.internal/app", 20, true));
    PoolConfig pool = json.get("app", "config/pool", PoolConfig.class).orElseThrow();
    out.println("  stored as " + store.get("app", "config/pool").orElseThrow().value().type() + ", read back as " + pool);

    step("6. TTL: a session token that lives 30 seconds, on a clock the demo moves");
    Entry token = store.put("app", "session/42", Value.string("tok-abc"), WriteOptions.ttl(Duration.ofSeconds(30)));
    out.println("  expiresAt " + token.expiresAt().orElseThrow() + ", present now: " + store.get("app", "session/42").isPresent());
    clock.advance(Duration.ofSeconds(29));
    out.println("  29 s later, present: " + store.get("app", "session/42").isPresent());
    clock.advance(Duration.ofSeconds(1));
    out.println("  30 s later, present: " + store.get("app", "session/42").isPresent());

    step("7. a secret namespace: encrypted at rest, rotated, rolled back, heard by a listener");
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

    step("8. permissions: the intern may read config/, nothing else");
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

    step("9. the audit trail (never a value)");
    List<AuditRecord> records = audit.records();
    out.println("  " + records.size() + " records; the last five:");
    for (AuditRecord r : records.subList(records.size() - 5, records.size())) {
      out.println("  " + r.principal().name() + " " + r.action() + " " + r.namespace().orElse("-") + "/" + r.key().orElse("-")
          + (r.success() ? " ok" : " FAILED " + r.errorKind().orElse("")));
    }
    out.println();
    out.println("Values never appear in toString or exception messages: " + token);
    return stack;
  }

  private void step(String title) {
    step(out, title);
  }

  static void step(PrintStream out, String title) {
    out.println();
    out.println(title);
  }
}
