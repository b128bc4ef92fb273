package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.AlreadyExistsException;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Page;
import io.kv.Principal;
import io.kv.StateConflictException;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.ImportReport.NamespaceReport;
import io.kv.core.ImportReport.Outcome;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.ForwardingAppStore;
import io.kv.testkit.MutableClock;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export and import together, between real memory stores and layer stacks. */
class KvImportTest {
  private static final KeyRing RING =
      KeyRing.of("k1", MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
  private static final String[] SECRETS = {"s3cr3t-first-password", "s3cr3t-rotated-password", "s3cr3t-api-token"};

  private final MutableClock clock = MutableClock.fixed();
  private final List<MemoryKvStore> stores = new ArrayList<>();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    stores.forEach(MemoryKvStore::close);
  }

  private MemoryKvStore memory() {
    MemoryKvStore s = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();
    stores.add(s);
    return s;
  }

  private KvStore encrypting(KvStore backend) {
    return KvStores.builder(backend).clock(clock).encryption(RING).build();
  }

  private String export(KvStore source) {
    StringWriter out = new StringWriter();
    KvExport.builder(source).clock(clock).build().writeTo(out);
    return out.toString();
  }

  private KvImport.Builder importer(KvStore target) {
    return KvImport.builder(target).clock(clock);
  }

  private static ImportReport read(KvImport importer, String file) {
    return importer.readFrom(new StringReader(file));
  }

  /** Every entry of {@code namespace}, listed page by page. */
  private static List<Entry> all(KvStore store, String namespace) {
    List<Entry> out = new ArrayList<>();
    ListOptions page = ListOptions.all().limit(ListOptions.MAX_LIMIT);
    while (true) {
      Page p = store.list(namespace, page);
      out.addAll(p.entries());
      if (!p.hasMore()) {
        return out;
      }
      page = page.after(p.nextCursor().orElseThrow());
    }
  }

  /** {@code entry} without its revision, which numbers a change of one store and is not exported. */
  private static Optional<Entry> unrevised(Optional<Entry> entry) {
    return entry.map(e -> e.withRevision(0));
  }

  /**
   * Everything a store holds in {@code namespaces}: declarations (without timestamps), entries
   * (without revisions, which number each store's own changes), history.
   */
  private static Map<String, Object> contents(KvStore store, String... namespaces) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String ns : namespaces) {
      out.put(ns + " settings", store.namespaces().get(ns).map(Namespace::settings));
      for (Entry e : all(store, ns)) {
        out.put(ns + "/" + e.key(), e.withRevision(0));
        out.put(ns + "/" + e.key() + " history", store.history(ns, e.key()));
      }
    }
    return out;
  }

  /** A new memory store, {@link #fill filled}. */
  private MemoryKvStore filled() {
    MemoryKvStore store = memory();
    fill(store);
    return store;
  }

  /** Namespaces with settings of every kind, entries of every type, TTLs, metadata, tags and history. */
  private void fill(MemoryKvStore store) {
    store.namespaces().create("app", NamespaceSettings.defaults().withDescription("the app").withOwner("team-a")
        .withDefaultTtl(Duration.ofDays(30)).withMaxVersions(3));
    store.namespaces().create("plain", NamespaceSettings.defaults());
    KvStore alice = store.as(Principal.of("alice"));
    KvStore bot = store.as(Principal.of("deploy-bot"));
    alice.put("app", "config/db/host", Value.string("db.internal \u00e9\u4e2d\ud83d\ude00 \"quoted\"\nnewline"),
        WriteOptions.none().withMetadata(Map.of("source", "terraform", "empty", "")).withTags(Set.of("db", "prod"))
            .withReason("initial"));
    clock.advance(Duration.ofSeconds(61));
    bot.put("app", "config/db/host", Value.string("db2.internal"), WriteOptions.none().withReason("failover"));
    clock.advance(Duration.ofMillis(1234));
    alice.rotate("app", "config/db/host", Value.string("db3.internal"), WriteOptions.none());
    clock.advance(Duration.ofMinutes(5));
    bot.rollback("app", "config/db/host", 2, WriteOptions.ttl(Duration.ofHours(2)).withReason("back"));
    alice.put("app", "config/json", Value.json("{\"a\": [1, 2.50, true, null], \"b\": \"x\"}"));
    alice.put("app", "config/number", Value.number("-12.500"));
    alice.put("app", "config/flag", Value.bool(false));
    alice.put("app", "blob", Value.binary(new byte[] {0, 1, 2, (byte) 0xff, '\n'}), WriteOptions.ttl(Duration.ofMinutes(10)));
    clock.advance(Duration.ofSeconds(1));
    store.put("plain", "a", Value.string(""));
    store.put("plain", "a/b", Value.number(1));
    store.put("plain", "a/b", Value.number(2));
  }

  @Test
  void memoryToFileToMemoryRestoresEverythingExactly() throws Exception {
    MemoryKvStore source = memory();
    fill(source);
    Path file = dir.resolve("kv-export.jsonl");

    ExportReport exported = KvExport.builder(source).clock(clock).build().writeTo(file);
    clock.advance(Duration.ofMinutes(1));
    MemoryKvStore target = memory();
    ImportReport report = importer(target).reportKeys(true).build().readFrom(file);

    assertThat(exported).isEqualTo(new ExportReport(2, 7, 10, 0, 0));
    assertThat(contents(target, "app", "plain")).isEqualTo(contents(source, "app", "plain"));
    assertThat(target.history("app", "config/db/host")).extracting(VersionRecord::version, VersionRecord::changedBy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(4L, Principal.of("deploy-bot")),
            org.assertj.core.groups.Tuple.tuple(3L, Principal.of("alice")),
            org.assertj.core.groups.Tuple.tuple(2L, Principal.of("deploy-bot")),
            org.assertj.core.groups.Tuple.tuple(1L, Principal.of("alice")));
    assertThat(report.dryRun()).isFalse();
    assertThat(report.versionsRestored()).isTrue();
    assertThat(report.namespace("app").orElseThrow()).isEqualTo(new NamespaceReport("app", Optional.of(Outcome.CREATED),
        5, 0, 0, 0, 0, Map.of(Outcome.CREATED, List.of("blob", "config/db/host", "config/flag", "config/json", "config/number"))));
    assertThat(report.created()).isEqualTo(7);
    // Every line is one JSON object; the header comes first, the end line last.
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(1 + 2 + 7 + 1);
    assertThat(lines.get(0)).isEqualTo("{\"format\":\"kv-export\",\"version\":1,\"exportedAt\":\"2030-01-01T00:06:03.234Z\"}");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("{\"kind\":\"end\",\"namespaces\":2,\"entries\":7}");
  }

  /** An application's decorator around a backend passes the backend's restorer on: versions and history survive. */
  @Test
  void anImportThroughAnApplicationsDecoratorAroundABackendRestoresVersionsAndHistory() {
    MemoryKvStore source = memory();
    fill(source);
    MemoryKvStore target = memory();

    ImportReport report = read(importer(new ForwardingAppStore(target)).build(), export(source));

    assertThat(report.versionsRestored()).isTrue();
    assertThat(contents(target, "app", "plain")).isEqualTo(contents(source, "app", "plain"));
    assertThat(target.history("app", "config/db/host")).extracting(VersionRecord::version).containsExactly(4L, 3L, 2L, 1L);
  }

  /** A layer stack offers no restorer, since a restore would write past its layers: values go through them. */
  @Test
  void anImportThroughALayerStackWritesNewVersions() {
    MemoryKvStore target = memory();
    KvStore stack = KvStores.builder(target).clock(clock).build();

    ImportReport report = read(importer(stack).build(), export(filled()));

    assertThat(report.versionsRestored()).isFalse();
    assertThat(target.get("app", "config/db/host").orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void importingTheSameFileAgainChangesNothing() {
    MemoryKvStore source = memory();
    fill(source);
    String file = export(source);
    MemoryKvStore target = memory();
    read(importer(target).build(), file);

    ImportReport again = read(importer(target).build(), file);

    assertThat(again.unchanged()).isEqualTo(7);
    assertThat(again.created() + again.updated() + again.skipped()).isZero();
    assertThat(again.namespaces()).allSatisfy(n -> assertThat(n.declaration()).contains(Outcome.UNCHANGED));
    assertThat(target.get("app", "config/db/host").orElseThrow().version()).isEqualTo(4);
  }

  @Test
  void secretsStayEncryptedInTheFileAndOpenAfterImportUnderTheSameKeyRing() {
    MemoryKvStore backend = memory();
    KvStore stack = encrypting(backend);
    stack.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    stack.put("vault", "db/password", Value.string(SECRETS[0]), WriteOptions.none().withReason("initial"));
    clock.advance(Duration.ofSeconds(5));
    stack.rotate("vault", "db/password", Value.string(SECRETS[1]), WriteOptions.none());
    stack.put("vault", "api/token", Value.json("{\"token\":\"" + SECRETS[2] + "\"}"));
    stack.put("open", "greeting", Value.string("hello"));

    StringWriter out = new StringWriter();
    ExportReport exported = KvExport.builder(backend).clock(clock).namespaces("vault", "open").build().writeTo(out);
    String file = out.toString();

    assertThat(exported).isEqualTo(new ExportReport(1, 3, 4, 2, 0));
    for (String secret : SECRETS) {
      assertThat(file).doesNotContain(secret)
          .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(file).contains("\"encrypted\":true").contains("\"type\":\"BINARY\"").contains("hello");

    MemoryKvStore fresh = memory();
    ImportReport report = read(importer(fresh).build(), file);
    KvStore reopened = encrypting(fresh);

    assertThat(report.created()).isEqualTo(3);
    assertThat(reopened.get("vault", "db/password").orElseThrow().value()).isEqualTo(Value.string(SECRETS[1]));
    assertThat(reopened.history("vault", "db/password")).extracting(VersionRecord::value)
        .containsExactly(Value.string(SECRETS[1]), Value.string(SECRETS[0]));
    assertThat(reopened.get("vault", "api/token").orElseThrow().value().asString()).contains(SECRETS[2]);
    assertThat(fresh.get("vault", "db/password").orElseThrow().withRevision(0))
        .isEqualTo(backend.get("vault", "db/password").orElseThrow().withRevision(0));
    assertThat(reopened.rollback("vault", "db/password", 1, WriteOptions.none()).value()).isEqualTo(Value.string(SECRETS[0]));
  }

  @Test
  void anExportThroughADecryptingStackIsRefusedUnlessPlaintextIsAllowed() {
    MemoryKvStore backend = memory();
    KvStore stack = encrypting(backend);
    stack.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    stack.put("vault", "db/password", Value.string(SECRETS[0]));

    assertThatThrownBy(() -> export(stack))
        .isInstanceOfSatisfying(StateConflictException.class, e -> {
          assertThat(e.namespace()).contains("vault");
          assertThat(e.key()).contains("db/password");
        })
        .hasMessageContaining("'vault/db/password'").hasMessageContaining("backend")
        .hasMessageNotContaining(SECRETS[0]);

    StringWriter out = new StringWriter();
    ExportReport report = KvExport.builder(stack).clock(clock).allowPlaintextSecrets(true).build().writeTo(out);
    String plain = out.toString();
    assertThat(report.plaintextSecretEntries()).isEqualTo(1);
    assertThat(plain).contains(SECRETS[0]).contains("\"encrypted\":false");

    // A plaintext export goes only through a stack that encrypts.
    MemoryKvStore fresh = memory();
    assertThatThrownBy(() -> read(importer(fresh).build(), plain))
        .isInstanceOf(StateConflictException.class).hasMessageContaining("plaintext").hasMessageNotContaining(SECRETS[0]);
    assertThat(fresh.namespaces().list()).isEmpty();

    ImportReport imported = read(importer(encrypting(fresh)).build(), plain);
    assertThat(imported.versionsRestored()).isFalse();
    assertThat(encrypting(fresh).get("vault", "db/password").orElseThrow().value()).isEqualTo(Value.string(SECRETS[0]));
    assertThat(new String(fresh.get("vault", "db/password").orElseThrow().value().bytes(), StandardCharsets.ISO_8859_1))
        .doesNotContain(SECRETS[0]);
  }

  /** An encrypting stack over {@code backend} with secret namespace "vault" holding key "k". */
  private KvStore sealedVault(MemoryKvStore backend) {
    KvStore stack = encrypting(backend);
    stack.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    stack.put("vault", "k", Value.string(SECRETS[0]));
    return stack;
  }

  @Test
  void anEncryptedExportIsRefusedByAStackThatWouldEncryptItTwice() {
    MemoryKvStore backend = memory();
    sealedVault(backend);
    String file = export(backend);

    MemoryKvStore fresh = memory();
    assertThatThrownBy(() -> read(importer(encrypting(fresh)).build(), file))
        .isInstanceOf(StateConflictException.class).hasMessageContaining("encrypted twice")
        .isInstanceOfSatisfying(StateConflictException.class, e -> {
          assertThat(e.namespace()).contains("vault");
          assertThat(e.key()).contains("k");
        });
    assertThatThrownBy(() -> read(importer(KvStores.builder(fresh).clock(clock).build()).build(), file))
        .isInstanceOf(StateConflictException.class).hasMessageContaining("without encryption");
    assertEmpty(fresh);
  }

  private static void assertEmpty(MemoryKvStore store) {
    assertThat(store.namespaces().list()).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void anApplicationsDecoratorAroundAnEncryptingStackIsTreatedAsTheStack() {
    MemoryKvStore backend = memory();
    KvStore stack = sealedVault(backend);
    String sealed = export(backend);
    String plain = exportPlaintext(stack);

    MemoryKvStore fresh = memory();
    KvStore decorated = new ForwardingAppStore(encrypting(fresh));
    assertThatThrownBy(() -> read(importer(decorated).build(), sealed))
        .isInstanceOf(StateConflictException.class).hasMessageContaining("encrypted twice");
    assertEmpty(fresh);

    read(importer(decorated).build(), plain);
    assertThat(decorated.get("vault", "k").orElseThrow().value()).isEqualTo(Value.string(SECRETS[0]));
    assertThat(new String(fresh.get("vault", "k").orElseThrow().value().bytes(), StandardCharsets.ISO_8859_1))
        .doesNotContain(SECRETS[0]);
  }

  @Test
  void anApplicationsDecoratorAroundAStackWithoutEncryptionRefusesSecretsBeforeAnyChange() {
    MemoryKvStore backend = memory();
    KvStore stack = sealedVault(backend);
    stack.namespaces().create("open", NamespaceSettings.defaults());
    stack.put("open", "greeting", Value.string("hello"));
    String file = export(backend);

    MemoryKvStore fresh = memory();
    KvStore decorated = new ForwardingAppStore(KvStores.builder(fresh).clock(clock).build());
    assertThatThrownBy(() -> read(importer(decorated).build(), file))
        .isInstanceOf(StateConflictException.class).hasMessageContaining("without encryption");
    assertEmpty(fresh);
  }

  @Test
  void anExportThroughAnApplicationsDecoratorAroundAnEncryptingStackKnowsItReadsPlaintext() {
    MemoryKvStore backend = memory();
    KvStore stack = sealedVault(backend);
    // A secret that is itself an envelope of this stack: only the store's word tells it from one at rest.
    stack.put("vault", "b", backend.get("vault", "k").orElseThrow().value());

    StringWriter out = new StringWriter();
    ExportReport report = KvExport.builder(new ForwardingAppStore(stack)).clock(clock).allowPlaintextSecrets(true).build()
        .writeTo(out);

    assertThat(report.encryptedEntries()).isZero();
    assertThat(report.plaintextSecretEntries()).isEqualTo(2);
    assertThat(out.toString()).doesNotContain("\"encrypted\":true");
  }

  private String exportPlaintext(KvStore source) {
    StringWriter out = new StringWriter();
    KvExport.builder(source).clock(clock).allowPlaintextSecrets(true).build().writeTo(out);
    return out.toString();
  }

  @Test
  void aSecretNamespaceMustBeSecretOnBothSides() {
    MemoryKvStore backend = memory();
    encrypting(backend).namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    encrypting(backend).put("vault", "k", Value.string(SECRETS[0]));
    String file = export(backend);
    MemoryKvStore target = memory();
    target.namespaces().create("vault", NamespaceSettings.defaults());

    assertThatThrownBy(() -> read(importer(target).conflictPolicy(ConflictPolicy.SKIP).build(), file))
        .isInstanceOf(StateConflictException.class).hasMessageContaining("'vault' is secret in the export but not secret");
    assertThat(target.size()).isZero();

    ImportReport overwritten = read(importer(target).conflictPolicy(ConflictPolicy.OVERWRITE).build(), file);
    assertThat(overwritten.namespace("vault").orElseThrow().declaration()).contains(Outcome.UPDATED);
    assertThat(encrypting(target).get("vault", "k").orElseThrow().value()).isEqualTo(Value.string(SECRETS[0]));
  }

  @Test
  void changingTheSecretFlagOfANamespaceThatHoldsEntriesIsRefusedBeforeAnyChange() {
    MemoryKvStore source = memory();
    KvStore sourceStack = sealedVault(source);
    sourceStack.put("aaa", "first", Value.string("written before the refusal, if any"));
    sourceStack.namespaces().create("aaa", NamespaceSettings.defaults());
    String plain = exportPlaintext(sourceStack);

    MemoryKvStore target = memory();
    KvStore targetStack = encrypting(target);
    targetStack.namespaces().create("vault", NamespaceSettings.defaults());
    targetStack.put("vault", "left-over", Value.string("plain"));
    Map<String, Object> before = contents(target, "aaa", "vault");

    assertThatThrownBy(() -> read(importer(targetStack).conflictPolicy(ConflictPolicy.OVERWRITE).build(), plain))
        .isInstanceOf(StateConflictException.class)
        .hasMessageContaining("'vault'").hasMessageContaining("1 entry").hasMessageNotContaining(SECRETS[0]);
    assertThat(contents(target, "aaa", "vault")).isEqualTo(before);
    assertThat(target.namespaces().get("aaa")).isEmpty();
  }

  /** The source, and a target that holds some of its entries as they are, one changed and one gone. */
  private String prepareConflicts(MemoryKvStore source, MemoryKvStore target) {
    source.namespaces().create("app", NamespaceSettings.defaults().withMaxVersions(2));
    source.put("app", "same", Value.string("s"));
    source.put("app", "changed", Value.string("source"));
    source.put("app", "gone", Value.string("g"));
    source.put("app", "expiring", Value.string("e"), WriteOptions.ttl(Duration.ofSeconds(30)));
    String file = export(source);
    read(importer(target).build(), file);
    target.put("app", "changed", Value.string("target"));
    target.delete("app", "gone");
    target.put("app", "only-in-target", Value.string("t"));
    clock.advance(Duration.ofSeconds(30));
    return file;
  }

  @Test
  void aDryRunReportsExactlyWhatTheRealRunThenDoesAndChangesNothing() {
    MemoryKvStore source = memory();
    MemoryKvStore target = memory();
    String file = prepareConflicts(source, target);
    target.purgeExpired();
    Map<String, Object> before = contents(target, "app");
    KvImport importer = importer(target).conflictPolicy(ConflictPolicy.OVERWRITE).reportKeys(true).build();

    ImportReport dry = read(importer.dryRun(), file);

    assertThat(contents(target, "app")).isEqualTo(before);
    assertThat(dry.dryRun()).isTrue();
    NamespaceReport app = dry.namespace("app").orElseThrow();
    assertThat(app).isEqualTo(new NamespaceReport("app", Optional.of(Outcome.UNCHANGED), 1, 1, 1, 0, 1, Map.of(
        Outcome.CREATED, List.of("gone"), Outcome.UPDATED, List.of("changed"), Outcome.UNCHANGED, List.of("same"),
        Outcome.EXPIRED, List.of("expiring"))));

    ImportReport real = read(importer, file);

    assertThat(real.dryRun()).isFalse();
    assertThat(real.namespaces()).isEqualTo(dry.namespaces());
    assertThat(target.get("app", "changed").orElseThrow().value()).isEqualTo(Value.string("source"));
    assertThat(unrevised(target.get("app", "changed"))).isEqualTo(unrevised(source.get("app", "changed")));
    assertThat(unrevised(target.get("app", "gone"))).isEqualTo(unrevised(source.get("app", "gone")));
    assertThat(unrevised(target.get("app", "same"))).isEqualTo(unrevised(source.get("app", "same")));
    assertThat(target.get("app", "expiring")).isEmpty();
    assertThat(target.get("app", "only-in-target")).isPresent();
  }

  @Test
  void skipKeepsWhatTheTargetHolds() {
    MemoryKvStore source = memory();
    MemoryKvStore target = memory();
    String file = prepareConflicts(source, target);

    ImportReport report = read(importer(target).conflictPolicy(ConflictPolicy.SKIP).reportKeys(true).build(), file);

    assertThat(report.namespace("app").orElseThrow().keys(Outcome.SKIPPED)).containsExactly("changed");
    assertThat(report.namespace("app").orElseThrow().keys(Outcome.CREATED)).containsExactly("gone");
    assertThat(target.get("app", "changed").orElseThrow().value()).isEqualTo(Value.string("target"));
    assertThat(target.get("app", "gone")).isPresent();
  }

  @Test
  void failRefusesTheWholeImportBeforeAnyChange() {
    MemoryKvStore source = memory();
    MemoryKvStore target = memory();
    String file = prepareConflicts(source, target);
    target.purgeExpired();
    Map<String, Object> before = contents(target, "app");

    for (KvImport importer : List.of(importer(target).build(), importer(target).dryRun(true).build())) {
      assertThatThrownBy(() -> read(importer, file))
          .isInstanceOfSatisfying(AlreadyExistsException.class, e -> {
            assertThat(e.namespace()).contains("app");
            assertThat(e.key()).contains("changed");
          })
          .hasMessageContaining("'app/changed'").hasMessageContaining("line 3")
          .hasMessageNotContaining("source").hasMessageNotContaining("target");
    }
    assertThat(contents(target, "app")).isEqualTo(before);
    assertThat(target.get("app", "gone")).isEmpty();
  }

  @Test
  void aNamespaceDeclaredOtherwiseIsAConflictToo() {
    MemoryKvStore source = memory();
    source.namespaces().create("app", NamespaceSettings.defaults().withDescription("from source"));
    source.put("app", "k", Value.string("v"));
    String file = export(source);
    MemoryKvStore target = memory();
    target.namespaces().create("app", NamespaceSettings.defaults().withDescription("from target"));

    assertThatThrownBy(() -> read(importer(target).build(), file))
        .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("namespace 'app'").hasMessageContaining("line 2");
    assertThat(target.size()).isZero();

    ImportReport skipped = read(importer(target).conflictPolicy(ConflictPolicy.SKIP).build(), file);
    assertThat(skipped.namespace("app").orElseThrow().declaration()).contains(Outcome.SKIPPED);
    assertThat(target.namespaces().get("app").orElseThrow().settings().description()).isEqualTo("from target");
    assertThat(skipped.created()).isEqualTo(1);

    ImportReport overwritten = read(importer(target).conflictPolicy(ConflictPolicy.OVERWRITE).build(), file);
    assertThat(overwritten.namespace("app").orElseThrow().declaration()).contains(Outcome.UPDATED);
    assertThat(overwritten.unchanged()).isEqualTo(1);
    assertThat(target.namespaces().get("app").orElseThrow().settings().description()).isEqualTo("from source");
  }

  @Test
  void aTargetWithoutEntryRestorerGetsValuesMetadataTagsAndExpiryButNewVersions() {
    MemoryKvStore source = memory();
    fill(source);
    String file = export(source);
    MemoryKvStore backend = memory();
    KvStore stack = KvStores.builder(backend).clock(clock).build();

    ImportReport dry = read(importer(stack).dryRun(true).build(), file);
    assertThat(backend.size()).isZero();
    assertThat(stack.namespaces().list()).isEmpty();
    ImportReport report = read(importer(stack).build(), file);

    assertThat(report.namespaces()).isEqualTo(dry.namespaces());
    assertThat(report.versionsRestored()).isFalse();
    assertThat(report.created()).isEqualTo(7);
    for (String ns : List.of("app", "plain")) {
      assertThat(stack.namespaces().get(ns).orElseThrow().settings()).isEqualTo(source.namespaces().get(ns).orElseThrow().settings());
      for (Entry e : all(source, ns)) {
        Entry copy = stack.get(ns, e.key()).orElseThrow();
        assertThat(copy.value()).isEqualTo(e.value());
        assertThat(copy.metadata()).isEqualTo(e.metadata());
        assertThat(copy.tags()).isEqualTo(e.tags());
        assertThat(copy.expiresAt()).isEqualTo(e.expiresAt());
        assertThat(copy.version()).isEqualTo(1);
      }
    }
    assertThat(stack.history("app", "config/db/host").get(0).reason()).contains("back");
    // Run again: what a put can write is already there.
    assertThat(read(importer(stack).build(), file).unchanged()).isEqualTo(7);
  }

  @Test
  void entriesRestoredFromAHostWhoseClockWasAheadTakeEveryWriteThroughTheStack() {
    MutableClock ahead = MutableClock.at(clock.instant().plus(Duration.ofHours(3)));
    MemoryKvStore source = MemoryKvStore.builder().clock(ahead).sweepInterval(Duration.ZERO).build();
    stores.add(source);
    source.namespaces().create("app", NamespaceSettings.defaults().withMaxVersions(4));
    source.put("app", "k", Value.string("one"));
    Instant written = ahead.advance(Duration.ofSeconds(5));
    source.put("app", "k", Value.string("two"));
    // Restored as exported, into the backend; then written through the application's stack.
    MemoryKvStore target = memory();
    read(importer(target).build(), export(source));
    KvStore stack = KvStores.builder(target).clock(clock).build();

    List<Entry> after = List.of(
        stack.put("app", "k", Value.string("three")),
        stack.update("app", "k", Value.string("four"), WriteOptions.none()),
        stack.compareAndSet("app", "k", 4, Value.string("five"), WriteOptions.none()),
        stack.rotate("app", "k", Value.string("six"), WriteOptions.none()),
        stack.rollback("app", "k", 2, WriteOptions.none()));

    assertThat(after).extracting(Entry::version).containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(after).extracting(Entry::updatedAt).containsOnly(written);
    assertThat(stack.history("app", "k")).extracting(VersionRecord::changedAt).containsOnly(written);
  }

  @Test
  void withoutHistoryTheCurrentVersionIsRestoredAlone() {
    MemoryKvStore source = memory();
    fill(source);
    StringWriter out = new StringWriter();
    ExportReport exported = KvExport.builder(source).clock(clock).includeHistory(false).build().writeTo(out);
    MemoryKvStore target = memory();

    read(importer(target).build(), out.toString());

    assertThat(exported.historyRecords()).isZero();
    assertThat(out.toString()).contains("\"history\":[]");
    Entry host = target.get("app", "config/db/host").orElseThrow();
    assertThat(host.withRevision(0)).isEqualTo(source.get("app", "config/db/host").orElseThrow().withRevision(0));
    assertThat(target.history("app", "config/db/host")).extracting(VersionRecord::version).containsExactly(4L);
  }

  @Test
  void onlyTheNamespacesAskedForAreImported() {
    MemoryKvStore source = memory();
    fill(source);
    String file = export(source);
    MemoryKvStore target = memory();

    ImportReport report = read(importer(target).namespaces("plain").build(), file);

    assertThat(report.namespaces()).extracting(NamespaceReport::namespace).containsExactly("plain");
    assertThat(target.namespaces().list()).extracting(Namespace::name).containsExactly("plain");
    assertThat(target.count("app")).isZero();
  }

  @Test
  void aMalformedFileChangesNothing() {
    MemoryKvStore source = memory();
    fill(source);
    String file = export(source);
    String broken = file.replace("\"kind\":\"end\",\"namespaces\":2", "\"kind\":\"end\",\"namespaces\":3");
    MemoryKvStore target = memory();

    assertThatThrownBy(() -> read(importer(target).build(), broken))
        .isInstanceOfSatisfying(ExportFormatException.class, e -> assertThat(e.line()).isEqualTo(11));
    assertThatThrownBy(() -> read(importer(target).build(), file.substring(0, file.length() / 2)))
        .isInstanceOf(ExportFormatException.class);
    assertThat(target.namespaces().list()).isEmpty();
    assertThat(target.size()).isZero();
  }

  @Test
  void buildersCheckEachSettingAtOnce() {
    MemoryKvStore store = memory();
    assertThatThrownBy(() -> KvImport.builder(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> KvImport.builder(store).dryRun(true).dryRun(false)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> KvImport.builder(store).conflictPolicy(ConflictPolicy.SKIP).conflictPolicy(ConflictPolicy.FAIL))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> KvImport.builder(store).namespaces()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KvImport.builder(store).clock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> KvExport.builder(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> KvExport.builder(store).includeHistory(true).includeHistory(false))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> KvExport.builder(store).namespaces("bad name")).isInstanceOf(io.kv.InvalidInputException.class);
    assertThat(KvImport.builder(store).build().isDryRun()).isFalse();
    assertThat(KvImport.builder(store).build().dryRun().isDryRun()).isTrue();
  }
}
