package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.KvStore;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces.DeleteMode;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.ExportReport;
import io.kv.core.KvExport;
import io.kv.testkit.MutableClock;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows an earlier build wrote under looser rules (a default TTL under a millisecond stored as 0,
 * free text with control characters or over today's limits) are read back repaired, by the rule
 * of {@link io.kv.spi.StoredFields}; they never make a namespace, the list of namespaces, history
 * or an export unreadable.
 */
class EarlierBuildRowsTest {
  @TempDir Path dir;

  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private NamedDatabases databases;
  private JdbcKvStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
    if (databases != null) {
      databases.close();
    }
  }

  private DataSource database(String name) {
    databases = new NamedDatabases(dir);
    return databases.get(name);
  }

  /** A store whose namespace "old" and entry "old"/"k" were then rewritten as an earlier build could have. */
  private String openWithEarlierRows(String db) throws SQLException {
    DataSource ds = database(db);
    String prefix = TestDatabases.freshPrefix();
    store = JdbcKvStore.builder(ds).clock(clock).tablePrefix(prefix).schemaMode(SchemaMode.CREATE).sweepInterval(Duration.ZERO).build();
    store.namespaces().create("fine", NamespaceSettings.defaults().withDescription("as written"));
    store.namespaces().create("old", NamespaceSettings.defaults().withMaxVersions(2));
    store.put("old", "k", Value.string("v1"), WriteOptions.none().withReason("first"));
    store.as(Principal.of("bob")).put("old", "k", Value.string("v2"));
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE " + prefix + "namespaces SET default_ttl_ms = 0, description = 'two" + "\n" + "lines',"
          + " owner = 'tab" + "\t" + "here' WHERE name = 'old'");
      st.executeUpdate("UPDATE " + prefix + "history SET reason = 'why" + "\n" + "not', principal = 'al" + "\r" + "ice'");
      st.executeUpdate("UPDATE " + prefix + "entries SET reason = '" + "r".repeat(5000) + "'");
    }
    return prefix;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres"})
  void aDefaultTtlStoredAsZeroReadsAsOneMillisecondAndLeavesEveryNamespaceReadable(String db) throws SQLException {
    openWithEarlierRows(db);

    List<Namespace> all = store.namespaces().list();
    assertThat(all).extracting(Namespace::name).containsExactly("fine", "old");
    assertThat(all.get(0).settings().description()).isEqualTo("as written");
    NamespaceSettings old = store.namespaces().get("old").orElseThrow().settings();
    assertThat(old).isEqualTo(all.get(1).settings());
    assertThat(old.defaultTtl()).contains(Duration.ofMillis(1));
    assertThat(old.description()).isEqualTo("two\uFFFDlines");
    assertThat(old.owner()).isEqualTo("tab\uFFFDhere");
    assertThat(old.maxVersions()).isEqualTo(2);

    // Writes take the repaired default, and the namespace can be updated and deleted.
    assertThat(store.put("old", "n", Value.string("x")).expiresAt()).contains(clock.instant().plusMillis(1));
    NamespaceSettings fixed = NamespaceSettings.defaults().withDescription("fixed").withDefaultTtl(Duration.ofHours(1));
    store.namespaces().update("old", fixed);
    assertThat(store.namespaces().get("old").orElseThrow().settings()).isEqualTo(fixed);
    assertThat(store.namespaces().delete("old", DeleteMode.CASCADE)).isTrue();
    assertThat(store.namespaces().list()).extracting(Namespace::name).containsExactly("fine");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres"})
  void historyWithTextBeyondTodaysRulesReadsBackRepaired(String db) throws SQLException {
    openWithEarlierRows(db);

    List<VersionRecord> history = store.history("old", "k");
    assertThat(history).extracting(VersionRecord::version).containsExactly(2L, 1L);
    assertThat(history.get(0).changedBy()).isEqualTo(Principal.of("bob"));
    assertThat(history.get(0).reason()).hasValueSatisfying(r -> assertThat(r).hasSize(WriteOptions.MAX_REASON_LENGTH));
    assertThat(history.get(1).reason()).contains("why\uFFFDnot");
    assertThat(history.get(1).changedBy()).isEqualTo(Principal.of("al\uFFFDice"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres"})
  void anExportOfTheWholeStoreSucceeds(String db) throws SQLException {
    openWithEarlierRows(db);

    ExportReport report = KvExport.builder(store).clock(clock).build().writeTo(new StringWriter());

    assertThat(report.namespaces()).isEqualTo(2);
    assertThat(report.entries()).isEqualTo(1);
  }
}
