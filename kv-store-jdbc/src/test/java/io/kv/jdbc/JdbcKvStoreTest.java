package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kv.ChangeType;
import io.kv.ConfigurationException;
import io.kv.Entry;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Namespaces.DeleteMode;
import io.kv.Principal;
import io.kv.StorageException;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.testkit.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC store does beyond the contract, on each database: the change log, the sweeper,
 * schema modes, failures, value rewriting. Subclasses give the database.
 */
abstract class JdbcKvStoreTest {
  protected final MutableClock clock = MutableClock.fixed();
  protected String prefix;
  protected JdbcKvStore store;

  /** A data source on a fresh database (or a shared one: every test uses its own table prefix). */
  protected abstract DataSource dataSource();

  protected JdbcKvStore.Builder builder() {
    return JdbcKvStore.builder(dataSource()).clock(clock).tablePrefix(prefix).sweepInterval(Duration.ZERO);
  }

  @BeforeEach
  void open() {
    prefix = TestDatabases.freshPrefix();
    store = builder().schemaMode(SchemaMode.CREATE).sweepBatchSize(3).instanceId("me").build();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected void execute(String sql) throws SQLException {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  protected long queryLong(String sql) throws SQLException {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The change log as "origin:CHANGE:key:version:principal", oldest first. */
  protected List<String> changes() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource().getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT origin, change, entry_key, version, principal, changed_at FROM "
             + prefix + "changes ORDER BY seq");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getString(3) + ":" + rs.getLong(4) + ":" + rs.getString(5));
      }
    }
    return out;
  }

  private List<String> listKeys(String p) {
    return store.list("app", ListOptions.prefix(p).limit(1000)).entries().stream().map(Entry::key).collect(Collectors.toList());
  }

  @Test
  void writesKeepVersionsFromTheFirstWriteAfterAnotherInstanceTurnsHistoryOn() {
    // One namespace per kind of write, so that each meets the change with what it learned itself:
    // that its namespace keeps no versions, so its next write takes the statement for that case
    // first (on PostgreSQL).
    Map<String, java.util.function.BiConsumer<String, Value>> writes = new LinkedHashMap<>();
    writes.put("put", (ns, v) -> store.put(ns, "k", v));
    writes.put("transaction", (ns, v) -> store.transaction(ns).put("k", v).commit());
    writes.put("put-all", (ns, v) -> store.putAll(ns, Map.of("k", v)));
    for (String ns : writes.keySet()) {
      store.namespaces().create(ns, NamespaceSettings.defaults());
      for (int i = 1; i <= 2; i++) {
        writes.get(ns).accept(ns, Value.string("v" + i));
      }
    }
    try (JdbcKvStore other = builder().instanceId("other").build()) {
      for (String ns : writes.keySet()) {
        other.namespaces().update(ns, NamespaceSettings.defaults().withMaxVersions(2));
      }
    }

    for (String ns : writes.keySet()) {
      for (int i = 3; i <= 5; i++) {
        writes.get(ns).accept(ns, Value.string("v" + i));
        // The first write after the change already keeps the version it replaces.
        List<String> expected = new ArrayList<>();
        for (int v = i; v >= Math.max(2, i - 2); v--) {
          expected.add("v" + v);
        }
        assertThat(store.history(ns, "k")).as("%s, after write %d", ns, i)
            .extracting(r -> r.value().asString()).containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void everyChangeWritesOneRowToTheChangeLog() throws SQLException {
    JdbcKvStore alice = store.as(Principal.of("alice"));
    store.namespaces().create("ns", NamespaceSettings.defaults().withMaxVersions(3));
    alice.put("ns", "a", Value.string("1"));
    store.put("ns", "a", Value.string("2"));
    alice.rotate("ns", "a", Value.string("3"), WriteOptions.none());
    alice.rollback("ns", "a", 1, WriteOptions.none());
    store.compareAndSet("ns", "a", 4, Value.string("5"));
    store.create("ns", "b", Value.string("1"));
    store.delete("ns", "b");
    Map<String, Value> batch = new LinkedHashMap<>();
    batch.put("c", Value.string("1"));
    batch.put("d", Value.string("1"));
    store.putAll("ns", batch);
    store.deleteAll("ns", List.of("c", "missing"));
    store.put("ns", "t", Value.string("1"), WriteOptions.ttl(Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.purgeExpired()).isEqualTo(1);
    store.namespaces().delete("ns", DeleteMode.CASCADE);

    assertThat(changes()).containsExactly(
        "me:NAMESPACE::0:anonymous",
        "me:CREATED:a:1:alice", "me:UPDATED:a:2:anonymous", "me:ROTATED:a:3:alice", "me:ROLLED_BACK:a:4:alice",
        "me:UPDATED:a:5:anonymous", "me:CREATED:b:1:anonymous", "me:DELETED:b:1:anonymous",
        "me:CREATED:c:1:anonymous", "me:CREATED:d:1:anonymous", "me:DELETED:c:1:anonymous",
        "me:CREATED:t:1:anonymous", "me:EXPIRED:t:1:system",
        "me:DELETED:a:5:anonymous", "me:DELETED:d:1:anonymous", "me:NAMESPACE::0:anonymous");
  }

  @Test
  void theBackgroundSweeperExpiresEntriesOnItsOwn() throws InterruptedException {
    store.close();
    store = JdbcKvStore.builder(dataSource()).clock(clock).tablePrefix(prefix).sweepInterval(Duration.ofMillis(20)).build();
    java.util.concurrent.BlockingQueue<io.kv.ChangeEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
    store.subscribe(io.kv.ChangeFilter.namespace("app"), events::add);
    store.put("app", "k", Value.string("v"), WriteOptions.ttl(Duration.ofSeconds(1)));
    assertThat(events.poll(10, java.util.concurrent.TimeUnit.SECONDS).type()).isEqualTo(ChangeType.CREATED);

    clock.advance(Duration.ofSeconds(1));

    io.kv.ChangeEvent expired = events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(expired).isNotNull();
    assertThat(expired.type()).isEqualTo(ChangeType.EXPIRED);
    assertThat(expired.principal()).isEqualTo(Principal.SYSTEM);
    assertThat(expired.at()).isEqualTo(clock.instant());
  }

  @Test
  void refusedWritesLeaveNoChangeRow() throws SQLException {
    store.put("app", "k", Value.string("v"));
    assertThatThrownBy(() -> store.create("app", "k", Value.string("w"))).isInstanceOf(io.kv.AlreadyExistsException.class);
    assertThatThrownBy(() -> store.compareAndSet("app", "k", 9, Value.string("w"))).isInstanceOf(io.kv.VersionConflictException.class);
    assertThat(store.delete("app", "absent")).isFalse();

    assertThat(changes()).containsExactly("me:CREATED:k:1:anonymous");
  }

  @Test
  void theSweeperDeletesInBoundedBatchesAndLogsEachExpiry() throws SQLException {
    store.namespaces().create("h", NamespaceSettings.defaults().withMaxVersions(2));
    for (int i = 0; i < 10; i++) {
      store.put("h", "k" + i, Value.string("1"));
      store.put("h", "k" + i, Value.string("2"), WriteOptions.ttl(Duration.ofSeconds(i + 1)));
    }
    store.put("h", "stays", Value.string("1"));
    clock.advance(Duration.ofSeconds(10));

    assertThat(store.count("h")).isEqualTo(1);
    assertThat(queryLong("SELECT COUNT(*) FROM " + prefix + "history")).as("version 1 of each k").isEqualTo(10);
    JdbcStoreAccess.sweeper(store).sweepDue(clock.millis(), 1);
    assertThat(queryLong("SELECT COUNT(*) FROM " + prefix + "entries")).isEqualTo(11 - 3);
    assertThat(store.purgeExpired()).isEqualTo(7);

    assertThat(queryLong("SELECT COUNT(*) FROM " + prefix + "entries")).isEqualTo(1);
    assertThat(queryLong("SELECT COUNT(*) FROM " + prefix + "history")).isZero();
    assertThat(changes().stream().filter(c -> c.contains(":EXPIRED:"))).hasSize(10).allMatch(c -> c.endsWith(":2:system"));
  }

  @Test
  void aRowRewrittenAfterTheSweeperSelectedItIsNotDeleted() throws SQLException {
    store.put("app", "a", Value.string("1"), WriteOptions.ttl(Duration.ofSeconds(1)));
    store.put("app", "b", Value.string("1"), WriteOptions.ttl(Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    Sweeper sweeper = JdbcStoreAccess.sweeper(store);
    List<Sweeper.Due> due = sweeper.selectDue(clock.millis(), 10);
    assertThat(due).extracting(Sweeper.Due::key).containsExactlyInAnyOrder("a", "b");

    Entry rewritten = store.put("app", "a", Value.string("new"));   // over the expired row: version 1 again
    Entry updated = store.put("app", "b", Value.string("new"), WriteOptions.ttl(Duration.ofSeconds(5)));

    assertThat(sweeper.delete(due)).isZero();
    assertThat(store.get("app", "a")).contains(rewritten);
    assertThat(store.get("app", "b")).contains(updated);
  }

  @Test
  void metadataAndTagsOtherSoftwareWroteAreReadByTheirStringValues() throws SQLException {
    store.put("app", "k", Value.string("v"));
    execute("UPDATE " + prefix + "entries SET metadata = '{\"a\":1,\"b\":\"y\",\"n\":{\"c\":\"d\"}}',"
        + " tags = '[2,\"t\",[\"u\"],{\"w\":\"x\"}]'");

    Entry read = store.get("app", "k").orElseThrow();
    assertThat(read.metadata()).isEqualTo(Map.of("b", "y"));
    assertThat(read.tags()).containsExactly("t");

    execute("UPDATE " + prefix + "entries SET metadata = '{\"b\":\"y\",'");
    StorageException corrupt = catchThrowableOfType(StorageException.class, () -> store.get("app", "k"));
    assertThat(corrupt).hasMessageContaining("metadata stored for key 'k' in namespace 'app' is unreadable")
        .hasMessageContaining("at offset 9");
    assertThat(corrupt.namespace()).contains("app");
    assertThat(corrupt.key()).contains("k");
  }

  @Test
  void theChangeLogIsPrunedAfterItsRetention() throws SQLException {
    store.close();
    store = builder().schemaMode(SchemaMode.VALIDATE).changeRetention(Duration.ofMinutes(5)).sweepBatchSize(2).build();
    for (int i = 0; i < 5; i++) {
      store.put("app", "k" + i, Value.string("v"));
    }
    clock.advance(Duration.ofMinutes(5));
    store.put("app", "recent", Value.string("v"));
    assertThat(store.purgeExpired()).isZero();
    clock.advance(Duration.ofMillis(1));
    store.purgeExpired();

    assertThat(changes()).extracting(c -> c.split(":")[2]).containsExactly("recent");
  }

  @Test
  void prefixListingIsCaseSensitiveAndHasNoWildcards() {
    for (String k : List.of("a/x", "A/y", "a%/1", "a_/2", "ab/3", "a\\/4", "a/%", "a\u00E9", "a\uD83D\uDE00", "a\uFFFD")) {
      store.put("app", k, Value.string("v"));
    }

    assertThat(listKeys("A/")).containsExactly("A/y");
    assertThat(listKeys("a/")).containsExactly("a/%", "a/x");
    assertThat(listKeys("a%")).containsExactly("a%/1");
    assertThat(listKeys("a_")).containsExactly("a_/2");
    assertThat(listKeys("a\\")).containsExactly("a\\/4");
    assertThat(listKeys("a")).containsExactly("a%/1", "a/%", "a/x", "a\\/4", "a_/2", "ab/3", "a\u00E9", "a\uFFFD", "a\uD83D\uDE00");
    assertThat(listKeys("a\uD83D\uDE00")).containsExactly("a\uD83D\uDE00");
  }

  @Test
  void aFailingStatementRollsBackTheWholeBatchAndTheNextCallWorks() throws SQLException {
    store.put("app", "before", Value.string("v"));
    execute("ALTER TABLE " + prefix + "changes RENAME TO " + prefix + "changes_gone");
    Map<String, Value> batch = new LinkedHashMap<>();
    batch.put("a", Value.string("secret-1"));
    batch.put("b", Value.string("secret-2"));

    StorageException e = catchThrowableOfType(StorageException.class, () -> store.putAll("app", batch));
    assertThat(e).isNotNull();
    assertThat(e.getCause()).isInstanceOf(SQLException.class);
    assertThat(e.getMessage()).contains("'app'").doesNotContain("secret-");
    assertThat(e.namespace()).contains("app");
    assertThat(e.key()).isEmpty();
    StorageException single = catchThrowableOfType(StorageException.class, () -> store.put("app", "one", Value.string("secret-3")));
    assertThat(single.getMessage()).contains("app/one").doesNotContain("secret-");
    assertThat(single.namespace()).contains("app");
    assertThat(single.key()).contains("one");

    execute("ALTER TABLE " + prefix + "changes_gone RENAME TO " + prefix + "changes");
    assertThat(store.getAll("app", List.of("a", "b", "one"))).isEmpty();
    assertThat(changes()).containsExactly("me:CREATED:before:1:anonymous");
    assertThat(store.put("app", "a", Value.string("v")).version()).isEqualTo(1);
    assertThat(store.count("app")).isEqualTo(2);
  }

  @Test
  void validateNamesTheMissingTableAndTheScript() {
    String other = TestDatabases.freshPrefix();
    assertThatThrownBy(() -> JdbcKvStore.builder(dataSource()).tablePrefix(other).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(other + "namespaces")
        .hasMessageContaining("io/kv/jdbc/schema/")
        .hasMessageContaining("V1__kv_schema.sql")
        .hasCauseInstanceOf(SQLException.class);
  }

  @Test
  void createIsIdempotentAndTheDialectIsDetected() {
    try (JdbcKvStore again = JdbcKvStore.builder(dataSource()).tablePrefix(prefix).schemaMode(SchemaMode.CREATE).build()) {
      assertThat(again.dialect()).isEqualTo(store.dialect());
      store.put("app", "k", Value.string("v"));
      assertThat(again.get("app", "k")).isPresent();
    }
  }

  @Test
  void rewriteValuesReplacesTheCurrentValueAndHistoryInPlace() {
    store.namespaces().create("h", NamespaceSettings.defaults().withMaxVersions(5));
    store.put("h", "k", Value.string("one"));
    store.put("h", "k", Value.string("two"));
    Entry before = store.put("h", "k", Value.string("three"));

    int n = store.rewriteValues("h", "k", v -> Value.string(v.asString().toUpperCase(java.util.Locale.ROOT)));

    assertThat(n).isEqualTo(3);
    Entry after = store.get("h", "k").orElseThrow();
    assertThat(after.value()).isEqualTo(Value.string("THREE"));
    assertThat(after.version()).isEqualTo(before.version());
    assertThat(after.updatedAt()).isEqualTo(before.updatedAt());
    assertThat(store.history("h", "k")).extracting(VersionRecord::value)
        .containsExactly(Value.string("THREE"), Value.string("TWO"), Value.string("ONE"));
    assertThat(store.rewriteValues("h", "k", v -> v)).isZero();
    assertThat(store.rewriteValues("h", "absent", v -> Value.string("x"))).isZero();
  }

  @Test
  void aWriteOverAnExpiredRowLogsTheExpiryFirst() throws SQLException {
    store.put("app", "k", Value.string("1"), WriteOptions.ttl(Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    store.put("app", "k", Value.string("2"));

    assertThat(changes()).containsExactly("me:CREATED:k:1:anonymous", "me:EXPIRED:k:1:system", "me:CREATED:k:1:anonymous");
    assertThat(store.history("app", "k")).hasSize(1);
    assertThat(store.history("app", "k").get(0).change()).isEqualTo(ChangeType.CREATED);
  }

  // ---------------------------------------------------------------- where history is kept

  /** The versions the history table holds for namespace {@code namespace}, newest first. */
  private List<Long> historyTable(String namespace) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Connection c = dataSource().getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT version FROM " + prefix + "history WHERE namespace = ? ORDER BY version DESC")) {
      ps.setString(1, namespace);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  private List<Long> versions(String namespace, String key) {
    return store.history(namespace, key).stream().map(VersionRecord::version).collect(Collectors.toList());
  }

  @Test
  void aNamespaceKeepingNoEarlierVersionsNeverWritesTheHistoryTable() throws SQLException {
    JdbcKvStore alice = store.as(Principal.of("alice"));
    store.put("app", "k", Value.string("1"));
    alice.put("app", "k", Value.string("2"), WriteOptions.none().withReason("why"));
    store.update("app", "k", Value.string("3"), WriteOptions.none());
    store.compareAndSet("app", "k", 3, Value.string("4"));
    store.rotate("app", "k", Value.string("5"), WriteOptions.none());
    store.rollback("app", "k", 5, WriteOptions.none());
    store.putAll("app", Map.of("k", Value.string("7"), "b", Value.string("1")));
    alice.rotate("app", "k", Value.string("8"), WriteOptions.none().withReason("monthly"));
    store.restore(restored("r", "x", 4, java.util.Optional.empty()), List.of(record(4, "x")));

    assertThat(historyTable("app")).isEmpty();
    assertThat(store.history("app", "k")).containsExactly(new VersionRecord(8, Value.string("8"), ChangeType.ROTATED,
        Principal.of("alice"), clock.instant(), java.util.Optional.of("monthly")));
    assertThat(store.history("app", "r")).containsExactly(record(4, "x"));
    assertThat(store.rewriteValues("app", "k", v -> Value.string("eight"))).isEqualTo(1);
    assertThat(store.history("app", "k")).extracting(VersionRecord::value).containsExactly(Value.string("eight"));
    assertThat(historyTable("app")).isEmpty();
  }

  @Test
  void theHistoryTableHoldsOnlyTheEarlierVersionsTheNamespaceKeeps() throws SQLException {
    store.namespaces().create("h", NamespaceSettings.defaults().withMaxVersions(2));
    for (int i = 1; i <= 50; i++) {
      store.put("h", "hot", Value.string("v" + i));
    }
    store.putAll("h", Map.of("hot", Value.string("v51")));

    assertThat(historyTable("h")).containsExactly(50L, 49L);
    assertThat(store.history("h", "hot")).extracting(VersionRecord::value)
        .containsExactly(Value.string("v51"), Value.string("v50"), Value.string("v49"));
    assertThat(store.rollback("h", "hot", 49, WriteOptions.none()).value()).isEqualTo(Value.string("v49"));
    assertThat(historyTable("h")).containsExactly(51L, 50L);

    store.delete("h", "hot");
    assertThat(historyTable("h")).isEmpty();
  }

  @Test
  void aChangedMaxVersionsTakesEffectOnTheNextWriteOfEachKey() throws SQLException {
    store.namespaces().create("h", NamespaceSettings.defaults().withMaxVersions(4));
    for (int i = 1; i <= 5; i++) {
      store.put("h", "a", Value.string("a" + i));
      store.put("h", "b", Value.string("b" + i));
    }

    store.namespaces().update("h", NamespaceSettings.defaults().withMaxVersions(1));
    assertThat(versions("h", "a")).containsExactly(5L, 4L, 3L, 2L, 1L);
    store.put("h", "a", Value.string("a6"));
    store.putAll("h", Map.of("b", Value.string("b6")));
    assertThat(versions("h", "a")).containsExactly(6L, 5L);
    assertThat(versions("h", "b")).containsExactly(6L, 5L);

    store.namespaces().update("h", NamespaceSettings.defaults().withMaxVersions(0));
    store.put("h", "a", Value.string("a7"));
    store.putAll("h", Map.of("b", Value.string("b7")));
    assertThat(historyTable("h")).isEmpty();
    assertThat(versions("h", "a")).containsExactly(7L);

    store.namespaces().update("h", NamespaceSettings.defaults().withMaxVersions(3));
    for (int i = 8; i <= 12; i++) {
      store.put("h", "a", Value.string("a" + i));
    }
    assertThat(versions("h", "a")).containsExactly(12L, 11L, 10L, 9L);
    assertThat(historyTable("h")).containsExactly(11L, 10L, 9L);
  }

  // ---------------------------------------------------------------- restore

  private static final java.time.Instant T0 = java.time.Instant.parse("2029-06-01T10:00:00Z");

  private static Entry restored(String key, String value, long version, java.util.Optional<java.time.Instant> expiresAt) {
    return new Entry("app", key, Value.string(value), version, T0, T0.plusSeconds(version), expiresAt, Map.of(), java.util.Set.of());
  }

  private static VersionRecord record(long version, String value) {
    return new VersionRecord(version, Value.string(value), ChangeType.UPDATED, Principal.of("old"), T0.plusSeconds(version),
        java.util.Optional.empty());
  }

  @Test
  void aRestoreWritesOneChangeRowCreatedOrUpdated() throws SQLException {
    JdbcKvStore importer = store.as(Principal.of("importer"));
    store.put("app", "a", Value.string("1"));
    store.put("app", "t", Value.string("1"), WriteOptions.ttl(Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(1));

    importer.restore(restored("a", "x", 7, java.util.Optional.empty()), List.of());
    importer.restore(restored("b", "y", 3, java.util.Optional.empty()), List.of());
    importer.restore(restored("t", "z", 2, java.util.Optional.empty()), List.of());
    assertThatThrownBy(() -> importer.restore(restored("a", "w", 8, java.util.Optional.of(clock.instant())), List.of()))
        .isInstanceOf(io.kv.InvalidInputException.class);

    assertThat(changes()).containsExactly("me:CREATED:a:1:anonymous", "me:CREATED:t:1:anonymous",
        "me:UPDATED:a:7:importer", "me:CREATED:b:3:importer", "me:EXPIRED:t:1:system", "me:CREATED:t:2:importer");
    assertThat(store.get("app", "a").orElseThrow().value()).isEqualTo(Value.string("x"));
    assertThat(store.history("app", "t")).extracting(VersionRecord::version).containsExactly(2L);
  }

  @Test
  void aRestoreReplacesTheHistoryAndKeepsTheVersionsAWriteWouldKeep() {
    store.namespaces().create("app", NamespaceSettings.defaults().withMaxVersions(2));
    store.put("app", "k", Value.string("1"));
    store.put("app", "k", Value.string("2"));

    store.restore(restored("k", "j", 10, java.util.Optional.empty()),
        List.of(record(10, "j"), record(9, "i"), record(5, "e"), record(2, "b")));

    assertThat(store.history("app", "k")).extracting(VersionRecord::version).containsExactly(10L, 9L);
    assertThat(store.put("app", "k", Value.string("k")).version()).isEqualTo(11);
    assertThat(store.history("app", "k")).extracting(VersionRecord::value)
        .containsExactly(Value.string("k"), Value.string("j"), Value.string("i"));
  }

  @Test
  void aRestoredRecordOfTheCurrentVersionThatDiffersFromTheEntryStaysUntilHistoryDropsIt() throws SQLException {
    store.namespaces().create("app", NamespaceSettings.defaults().withMaxVersions(1));
    VersionRecord given = new VersionRecord(3, Value.string("then"), ChangeType.ROTATED, Principal.of("a"), T0,
        java.util.Optional.of("why"));
    store.restore(restored("k", "now", 3, java.util.Optional.empty()), List.of(given, record(2, "b"), record(1, "a")));

    assertThat(store.get("app", "k").orElseThrow().value()).isEqualTo(Value.string("now"));
    assertThat(store.history("app", "k")).containsExactly(given, record(2, "b"));
    Entry next = store.put("app", "k", Value.string("next"));
    assertThat(store.history("app", "k")).extracting(VersionRecord::version).containsExactly(4L, 3L);
    assertThat(store.history("app", "k").get(1)).isEqualTo(given);
    assertThat(store.rollback("app", "k", 3, WriteOptions.none()).value()).isEqualTo(Value.string("then"));
    assertThat(historyTable("app")).containsExactly(next.version());

    Entry plain = new Entry("plain", "k", Value.string("now"), 3, T0, T0.plusSeconds(3), java.util.Optional.empty(), Map.of(),
        java.util.Set.of());
    VersionRecord differing = new VersionRecord(3, Value.string("then"), ChangeType.UPDATED, Principal.of("a"),
        T0.plusSeconds(3), java.util.Optional.empty());
    store.restore(plain, List.of(differing));
    assertThat(store.history("plain", "k")).containsExactly(differing);
    store.put("plain", "k", Value.string("next"));
    assertThat(versions("plain", "k")).containsExactly(4L);
    assertThat(historyTable("plain")).isEmpty();
  }

  @Test
  void aRestoredTtlIsSweptLikeAnyOther() throws SQLException {
    store.restore(restored("k", "v", 3, java.util.Optional.of(clock.instant().plusSeconds(5))), List.of());

    clock.advance(Duration.ofSeconds(5));

    assertThat(queryLong("SELECT COUNT(*) FROM " + prefix + "entries")).isEqualTo(1);
    assertThat(store.purgeExpired()).isEqualTo(1);
    assertThat(queryLong("SELECT COUNT(*) FROM " + prefix + "entries")).isZero();
    assertThat(queryLong("SELECT COUNT(*) FROM " + prefix + "history")).isZero();
    assertThat(changes()).containsExactly("me:CREATED:k:3:anonymous", "me:EXPIRED:k:3:system");
  }

  @Test
  void aFailingRestoreWritesNothingAndNamesNoValue() throws SQLException {
    store.put("app", "k", Value.string("kept"));
    execute("ALTER TABLE " + prefix + "changes RENAME TO " + prefix + "changes_gone");

    StorageException e = catchThrowableOfType(StorageException.class,
        () -> store.restore(restored("k", "secret-1", 5, java.util.Optional.empty()), List.of()));

    execute("ALTER TABLE " + prefix + "changes_gone RENAME TO " + prefix + "changes");
    assertThat(e).isNotNull();
    assertThat(e.getCause()).isInstanceOf(SQLException.class);
    assertThat(e.getMessage()).contains("app/k").doesNotContain("secret-");
    assertThat(e.namespace()).contains("app");
    assertThat(e.key()).contains("k");
    assertThat(store.get("app", "k").orElseThrow().value()).isEqualTo(Value.string("kept"));
    assertThat(store.history("app", "k")).extracting(VersionRecord::version).containsExactly(1L);
    assertThat(changes()).containsExactly("me:CREATED:k:1:anonymous");
  }
}
