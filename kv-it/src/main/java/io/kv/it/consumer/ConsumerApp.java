package io.kv.it.consumer;

import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.core.JsonKv;
import io.kv.jdbc.JdbcKvStore;
import io.kv.jdbc.SchemaMode;
import io.kv.memory.MemoryKvStore;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates kv's tables on a new in-memory H2 database, stores a record as JSON and reads it back
 * through {@link JsonKv}, reads an earlier version back from a memory store, and logs the module
 * each side ran in (through SLF4J, as an application would; slf4j-simple writes it to standard
 * error). Exits non-zero on any failure.
 */
public final class ConsumerApp {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerApp.class);

  private ConsumerApp() {}

  /** Typed configuration, as an application keeps it in kv. */
  public record PoolSettings(String url, int maxSize, boolean ssl) {}

  /** Runs the check once; takes no arguments. */
  public static void main(String[] args) {
    JdbcDataSource dataSource = new JdbcDataSource();
    // DB_CLOSE_DELAY keeps the in-memory database alive between the store's connections.
    dataSource.setURL("jdbc:h2:mem:consumer;DB_CLOSE_DELAY=-1");
    try (KvStore store = JdbcKvStore.builder(dataSource).schemaMode(SchemaMode.CREATE).build()) {
      store.namespaces().create("config", NamespaceSettings.defaults());
      JsonKv json = JsonKv.of(store);
      json.put("config", "pool", new PoolSettings("jdbc:postgresql://db.internal/app", 12, true));
      PoolSettings read = json.get("config", "pool", PoolSettings.class).orElseThrow();
      LOG.info("app module: {}", moduleName(ConsumerApp.class));
      LOG.info("jdbc module: {}", moduleName(JdbcKvStore.class));
      LOG.info("read: {}", read);
    }
    // The memory store keeps earlier versions in a form of its own and hands them out through
    // kv's internal access to values, which the module path must let it use.
    try (MemoryKvStore memory = MemoryKvStore.builder().build()) {
      memory.namespaces().create("flags", NamespaceSettings.defaults().withMaxVersions(2));
      memory.put("flags", "dark-mode", Value.bool(false));
      memory.put("flags", "dark-mode", Value.bool(true));
      VersionRecord earlier = memory.history("flags", "dark-mode").get(1);
      LOG.info("memory module: {}", moduleName(MemoryKvStore.class));
      LOG.info("earlier: v{} {}", earlier.version(), earlier.value().asBoolean());
    }
  }

  private static String moduleName(Class<?> type) {
    Module module = type.getModule();
    return module.isNamed() ? module.getName() : "unnamed";
  }
}
