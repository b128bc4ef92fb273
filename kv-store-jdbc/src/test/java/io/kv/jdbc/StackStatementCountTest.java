package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.core.AuditSinks;
import io.kv.core.Grants;
import io.kv.core.KeyRing;
import io.kv.core.KvStores;
import io.kv.core.LimitPolicy;
import io.kv.core.MasterKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployed path runs no SQL it does not need: through a whole {@link KvStores} stack (audit,
 * permissions, a quota, declared namespaces, encryption) over the near-cache over a JDBC store, a
 * cache hit runs no statement at all, and a put or a listing runs exactly the statements of the
 * same operation on the bare store. Counted on the calling thread with {@link
 * CountingDataSource}, on each database, for a plain and a secret namespace.
 */
class StackStatementCountTest {
  private static final String PLAIN = "app";
  private static final String SECRET = "vault";

  @TempDir Path dir;

  private HikariDataSource pool;
  private CountingDataSource counting;
  private KvStore cached;
  private KvStore stack;

  @AfterEach
  void close() {
    if (stack != null) {
      stack.close();
    }
    if (pool != null) {
      pool.close();
    }
  }

  private void open(String database) {
    DataSource ds = switch (database) {
      case "postgres" -> TestDatabases.postgres();
      case "h2" -> pool = TestDatabases.h2(dir);
      default -> pool = TestDatabases.sqlite(dir.resolve("kv.db"));
    };
    counting = new CountingDataSource(ds);
    JdbcKvStore jdbc = JdbcKvStore.builder(counting)
        .tablePrefix(Databases.uniquePrefix())
        .schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO)
        .limits(InputRules.defaults().withMaxValueBytes(InputRules.DEFAULT_MAX_VALUE_BYTES + 1024))
        .build();
    ChangeFeed feed = ChangeFeed.builder(counting, jdbc).start();
    cached = NearCache.builder().cacheSecrets(true).changeFeed(feed).build(jdbc);
    stack = KvStores.builder(cached)
        .audit(AuditSinks.inMemory())
        .permissions(Grants.allowAll())
        .limits(LimitPolicy.defaults().withMaxEntriesPerNamespace(1_000))
        .requireDeclaredNamespaces()
        .encryption(KeyRing.of("k1", MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")))
        .build();
    stack.namespaces().create(PLAIN, NamespaceSettings.defaults());
    stack.namespaces().create(SECRET, NamespaceSettings.defaults().withSecret(true));
  }

  /** The statements {@code op} runs on the calling thread, by their SQL. */
  private List<String> statementsOf(Supplier<?> op) {
    counting.reset();
    op.get();
    return counting.logOnThisThread();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgres", "h2", "sqlite"})
  void aCacheHitThroughTheStackRunsNoStatement(String database) {
    open(database);
    for (String ns : List.of(PLAIN, SECRET)) {
      stack.put(ns, "config/a", Value.string("one"));
      stack.put(ns, "config/b", Value.string("two"));
      // The first reads miss and fill the cache.
      assertThat(stack.get(ns, "config/a")).isPresent();
      assertThat(stack.getAll(ns, List.of("config/a", "config/b"))).hasSize(2);

      assertThat(statementsOf(() -> stack.get(ns, "config/a")))
          .as("get of a cached entry in %s", ns).isEmpty();
      assertThat(stack.get(ns, "config/a").orElseThrow().value().asString()).isEqualTo("one");
      assertThat(statementsOf(() -> stack.getAll(ns, List.of("config/a", "config/b"))))
          .as("getAll of cached entries in %s", ns).isEmpty();
      Map<String, Entry> both = stack.getAll(ns, List.of("config/a", "config/b"));
      assertThat(both.get("config/b").value().asString()).isEqualTo("two");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgres", "h2", "sqlite"})
  void aPutThroughTheStackRunsOnlyTheWritesOwnStatements(String database) {
    open(database);
    for (String ns : List.of(PLAIN, SECRET)) {
      // Warm: the quota's bound of the namespace is read once, on its first write.
      stack.put(ns, "warm", Value.string("w"));
      cached.put(ns, "bare", Value.string("x"));
      cached.put(ns, "stacked", Value.string("x"));

      List<String> bare = statementsOf(() -> cached.put(ns, "bare", Value.string("y")));
      List<String> stacked = statementsOf(() -> stack.put(ns, "stacked", Value.string("y")));
      assertThat(stacked).as("an overwrite in %s", ns).isEqualTo(bare).isNotEmpty();

      List<String> bareNew = statementsOf(() -> cached.put(ns, "bare-new", Value.string("y")));
      List<String> stackedNew = statementsOf(() -> stack.put(ns, "stacked-new", Value.string("y")));
      assertThat(stackedNew).as("a new entry in %s", ns).isEqualTo(bareNew).isNotEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgres", "h2", "sqlite"})
  void aListingThroughTheStackRunsOnlyItsOwnQuery(String database) {
    open(database);
    for (String ns : List.of(PLAIN, SECRET)) {
      stack.putAll(ns, Map.of("config/a", Value.string("1"), "config/b", Value.string("2")), WriteOptions.none());
      ListOptions options = ListOptions.prefix("config/").limit(10);
      stack.list(ns, options);

      List<String> bare = statementsOf(() -> cached.list(ns, options));
      List<String> stacked = statementsOf(() -> stack.list(ns, options));
      assertThat(stacked).as("a listing of %s", ns).isEqualTo(bare).isNotEmpty();
      assertThat(stack.list(ns, options).entries()).extracting(e -> e.value().asString()).containsExactly("1", "2");
    }
  }
}
