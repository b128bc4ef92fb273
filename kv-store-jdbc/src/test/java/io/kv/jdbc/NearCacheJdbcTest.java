package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.WriteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two JdbcKvStore instances on one database, each behind its own near-cache and change feed, as
 * two application instances would run.
 */
class NearCacheJdbcTest {
  private static final String NS = "app";
  /** Allowance for one query and the scheduling of a loaded test machine. */
  private static final Duration SLACK = Duration.ofSeconds(3);

  @TempDir Path dir;

  private final List<KvStore> stores = new ArrayList<>();
  private NamedDatabases databases;
  private String prefix;

  @AfterEach
  void close() {
    stores.forEach(KvStore::close);
    if (databases != null) {
      databases.close();
    }
  }

  private DataSource database(String name) {
    if (databases == null) {
      databases = new NamedDatabases(dir);
    }
    return databases.get(name);
  }

  private KvStore instance(DataSource ds, String id, Duration pollInterval) {
    JdbcKvStore jdbc = JdbcKvStore.builder(ds)
        .tablePrefix(prefix)
        .schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO)
        .instanceId(id)
        .build();
    // The feed takes the store's instance id, table prefix and schema.
    ChangeFeed feed = ChangeFeed.builder(ds, jdbc).pollInterval(pollInterval).start();
    KvStore store = NearCache.builder().expireAfterWrite(Duration.ofHours(1)).changeFeed(feed).build(jdbc);
    stores.add(store);
    return store;
  }

  private static Optional<Entry> cached(KvStore store, String namespace, String key) {
    return ((NearCachedStore) store).cached(namespace, key);
  }

  /**
   * The staleness bound with the real store: b no longer serves v1 from its cache one poll
   * interval plus one query after a committed v2; on PostgreSQL, with a ten-minute poll interval,
   * within the notification latency plus one query.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aWriteByOneInstanceLeavesTheOthersCacheWithinTheBound(String db) throws Exception {
    prefix = TestDatabases.freshPrefix();
    DataSource ds = database(db);
    Duration poll = db.equals("postgres") ? Duration.ofMinutes(10) : Duration.ofMillis(100);
    Duration bound = (db.equals("postgres") ? Duration.ZERO : poll).plus(SLACK);
    KvStore a = instance(ds, "a", poll);
    KvStore b = instance(ds, "b", poll);
    Recorder heard = new Recorder();
    b.subscribe(ChangeFilter.all(), heard);

    a.put(NS, "k", Value.string("v1"));
    assertThat(heard.next().version()).isEqualTo(1);
    assertThat(b.get(NS, "k")).map(Entry::version).contains(1L);
    assertThat(cached(b, NS, "k")).isPresent();

    a.put(NS, "k", Value.string("v2"));
    Duration stale = waitUntil(() -> cached(b, NS, "k").isEmpty(), bound.plusSeconds(10));
    assertThat(stale).as("b stopped serving v1 within the bound").isLessThanOrEqualTo(bound);
    assertThat(b.get(NS, "k")).map(e -> e.value().asString()).contains("v2");
  }

  /** A rotation made by one instance reaches the other's listeners, merged with its own changes. */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void anInstanceHearsTheOthersRotationsAndItsOwnChangesInVersionOrder(String db) throws Exception {
    prefix = TestDatabases.freshPrefix();
    DataSource ds = database(db);
    KvStore a = instance(ds, "a", Duration.ofMillis(50));
    KvStore b = instance(ds, "b", Duration.ofMillis(50));
    a.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true).withMaxVersions(5));
    Recorder heard = new Recorder();
    b.subscribe(ChangeFilter.namespace("vault"), heard);

    a.as(Principal.of("ops")).put("vault", "db/password", Value.string("one"));
    a.as(Principal.of("ops")).rotate("vault", "db/password", Value.string("two"), WriteOptions.none());
    ChangeEvent created = heard.next();
    ChangeEvent rotated = heard.next();
    assertThat(created.type()).isEqualTo(ChangeType.CREATED);
    assertThat(rotated.type()).isEqualTo(ChangeType.ROTATED);
    assertThat(rotated.version()).isEqualTo(2);
    assertThat(rotated.principal()).isEqualTo(Principal.of("ops"));

    b.rotate("vault", "db/password", Value.string("three"), WriteOptions.none());
    ChangeEvent own = heard.next();
    assertThat(own.version()).as("b's own rotation, once").isEqualTo(3);
    a.put("vault", "marker", Value.string("m"));
    assertThat(heard.next().key()).isEqualTo("marker");

    assertThat(b.get("vault", "db/password")).map(e -> e.value().asString()).contains("three");
    assertThat(cached(b, "vault", "db/password")).as("secrets are not cached by default").isEmpty();
  }

  private static Duration waitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within %s", timeout).isLessThan(deadline);
      Thread.sleep(5);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
