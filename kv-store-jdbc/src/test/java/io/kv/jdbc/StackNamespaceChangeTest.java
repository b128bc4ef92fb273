package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Namespaces.DeleteMode;
import io.kv.NotFoundException;
import io.kv.Value;
import io.kv.core.KvStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two application instances on one database, each a {@link KvStores} stack that requires declared
 * namespaces, over a near-cache over its own JDBC store. The stacks keep declarations in memory;
 * a namespace declared or deleted on one instance reaches the other through the change log, or,
 * without a change feed, through the stack's periodic re-read.
 */
class StackNamespaceChangeTest {
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

  /** An instance whose stack never re-reads declarations on its own: only the feed can tell it. */
  private KvStore withFeed(DataSource ds, String id) {
    JdbcKvStore jdbc = jdbc(ds, id);
    ChangeFeed feed = ChangeFeed.builder(ds, jdbc).pollInterval(Duration.ofMillis(50)).start();
    KvStore cached = NearCache.builder().changeFeed(feed).build(jdbc);
    return stack(cached, Duration.ZERO);
  }

  /** An instance without a change feed, re-reading declarations every 50 ms. */
  private KvStore withoutFeed(DataSource ds, String id) {
    return stack(jdbc(ds, id), Duration.ofMillis(50));
  }

  private JdbcKvStore jdbc(DataSource ds, String id) {
    return JdbcKvStore.builder(ds)
        .tablePrefix(prefix)
        .schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO)
        .instanceId(id)
        .build();
  }

  private KvStore stack(KvStore backend, Duration refresh) {
    KvStore s = KvStores.builder(backend).requireDeclaredNamespaces().namespaceRefresh(refresh).build();
    stores.add(s);
    return s;
  }

  private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static boolean declaredFor(KvStore store, String namespace) {
    try {
      store.get(namespace, "k");
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgres", "h2"})
  void aNamespaceDeclaredOrDeletedOnOneInstanceReachesTheOtherThroughTheFeed(String database) throws Exception {
    prefix = Databases.uniquePrefix();
    DataSource ds = database(database);
    KvStore a = withFeed(ds, "a");
    KvStore b = withFeed(ds, "b");

    assertThatThrownBy(() -> b.get("app", "k")).isInstanceOf(NotFoundException.class);
    a.namespaces().create("app", NamespaceSettings.defaults());
    a.put("app", "k", Value.string("v"));
    eventually(() -> declaredFor(b, "app"), "b sees the declaration");
    assertThat(b.get("app", "k")).isPresent();

    a.namespaces().delete("app", DeleteMode.CASCADE);
    eventually(() -> !declaredFor(b, "app"), "b sees the deletion");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgres", "h2"})
  void withoutAFeedTheRefreshIntervalBoundsHowLongAChangeGoesUnseen(String database) throws Exception {
    prefix = Databases.uniquePrefix();
    DataSource ds = database(database);
    KvStore a = withoutFeed(ds, "a");
    KvStore b = withoutFeed(ds, "b");

    assertThatThrownBy(() -> b.get("app", "k")).isInstanceOf(NotFoundException.class);
    a.namespaces().create("app", NamespaceSettings.defaults());
    assertThat(declaredFor(a, "app")).as("the instance that declared it sees it at once").isTrue();
    eventually(() -> declaredFor(b, "app"), "b sees the declaration within its refresh interval");
  }
}
