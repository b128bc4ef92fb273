package io.kv.spring.boot;

import io.kv.core.MasterKeys;
import io.kv.jdbc.SchemaMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code kv.*} settings the auto-configuration builds the store from. Spring binds them once,
 * at start; the store they build does not change afterwards.
 *
 * <p>Not thread-safe: a mutable holder that Spring fills before any other thread sees it.
 */
@ConfigurationProperties(prefix = "kv")
public class KvProperties {
  /** The backends {@code kv.store} chooses between. */
  public enum StoreType {
    /** The in-process memory store: nothing survives a restart. */
    MEMORY,
    /** The JDBC store on the application's {@code DataSource} bean. */
    JDBC
  }

  /** The backend; when not set: JDBC if the application has a DataSource bean, otherwise memory. */
  private StoreType store;

  /** AES-256-GCM encryption of secret namespaces. */
  private final Encryption encryption = new Encryption();

  /** The JDBC store's tables. */
  private final Jdbc jdbc = new Jdbc();

  /** The JDBC store's in-process read cache. */
  private final NearCache nearCache = new NearCache();

  /** The JDBC store's change feed, which tells this instance of other instances' writes. */
  private final ChangeFeed changeFeed = new ChangeFeed();

  /** Namespaces declared at start when they do not exist yet. */
  private final List<NamespaceDeclaration> namespaces = new ArrayList<>();

  /** Namespaces exposed as Spring configuration properties. */
  private final Config config = new Config();

  /** Micrometer metrics of the store, when Micrometer and kv-micrometer are present. */
  private final Metrics metrics = new Metrics();

  /** Creates the settings with their defaults. */
  public KvProperties() {}

  /**
   * The backend, or null to choose by whether the application has a DataSource bean.
   *
   * @return the backend, or null to choose by whether the application has a DataSource bean
   */
  public StoreType getStore() {
    return store;
  }

  /**
   * Sets the backend.
   *
   * @param store the backend, or null to choose by whether the application has a DataSource bean
   */
  public void setStore(StoreType store) {
    this.store = store;
  }

  /**
   * The encryption settings.
   *
   * @return the encryption settings
   */
  public Encryption getEncryption() {
    return encryption;
  }

  /**
   * The JDBC store's table settings.
   *
   * @return the JDBC store's table settings
   */
  public Jdbc getJdbc() {
    return jdbc;
  }

  /**
   * The near-cache settings.
   *
   * @return the near-cache settings
   */
  public NearCache getNearCache() {
    return nearCache;
  }

  /**
   * The change feed settings.
   *
   * @return the change feed settings
   */
  public ChangeFeed getChangeFeed() {
    return changeFeed;
  }

  /**
   * The namespaces declared at start.
   *
   * @return the namespaces declared at start, a live list
   */
  public List<NamespaceDeclaration> getNamespaces() {
    return namespaces;
  }

  /**
   * The namespaces exposed as configuration properties.
   *
   * @return the namespaces exposed as configuration properties
   */
  public Config getConfig() {
    return config;
  }

  /**
   * The metrics settings.
   *
   * @return the metrics settings
   */
  public Metrics getMetrics() {
    return metrics;
  }

  /** {@code kv.encryption.*}. Not thread-safe. */
  public static class Encryption {
    /**
     * Whether secret namespaces are encrypted. When not set, encryption is on exactly when the
     * master key's environment variable is set; true makes a missing variable a startup failure.
     */
    private Boolean enabled;

    /** The environment variable holding the master key, base64 of 32 bytes. */
    private String masterKeyEnv = MasterKeys.DEFAULT_VARIABLE;

    /** The id recorded with every value sealed under the master key; keep it stable. */
    private String keyId = "primary";

    /** Creates the settings with their defaults. */
    public Encryption() {}

    /**
     * Whether encryption is on, or null to decide by whether the variable is set.
     *
     * @return whether encryption is on, or null to decide by whether the variable is set
     */
    public Boolean getEnabled() {
      return enabled;
    }

    /**
     * Turns encryption on or off.
     *
     * @param enabled true, false, or null to decide by whether the variable is set
     */
    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The environment variable holding the master key.
     *
     * @return the environment variable holding the master key
     */
    public String getMasterKeyEnv() {
      return masterKeyEnv;
    }

    /**
     * Sets the environment variable holding the master key.
     *
     * @param masterKeyEnv the name of the variable
     */
    public void setMasterKeyEnv(String masterKeyEnv) {
      this.masterKeyEnv = masterKeyEnv;
    }

    /**
     * The id of the master key.
     *
     * @return the id of the master key
     */
    public String getKeyId() {
      return keyId;
    }

    /**
     * Sets the id of the master key.
     *
     * @param keyId 1 to 64 ASCII letters, digits, {@code .}, {@code _} or {@code -}
     */
    public void setKeyId(String keyId) {
      this.keyId = keyId;
    }
  }

  /** {@code kv.jdbc.*}. Not thread-safe. */
  public static class Jdbc {
    /** The prefix of the store's table names; the store's default ({@code kv_}) when not set. */
    private String tablePrefix;

    /** The database schema of the store's tables; the connection's default when not set. */
    private String schema;

    /** What the store does with its tables at start: create, validate or none. */
    private SchemaMode schemaMode = SchemaMode.VALIDATE;

    /** Creates the settings with their defaults. */
    public Jdbc() {}

    /**
     * The table prefix, or null for the store's default.
     *
     * @return the table prefix, or null for the store's default
     */
    public String getTablePrefix() {
      return tablePrefix;
    }

    /**
     * Sets the table prefix.
     *
     * @param tablePrefix the table prefix, or null for the store's default
     */
    public void setTablePrefix(String tablePrefix) {
      this.tablePrefix = tablePrefix;
    }

    /**
     * The database schema, or null for the connection's default.
     *
     * @return the database schema, or null for the connection's default
     */
    public String getSchema() {
      return schema;
    }

    /**
     * Sets the database schema.
     *
     * @param schema the database schema, or null for the connection's default
     */
    public void setSchema(String schema) {
      this.schema = schema;
    }

    /**
     * What the store does with its tables at start.
     *
     * @return what the store does with its tables at start
     */
    public SchemaMode getSchemaMode() {
      return schemaMode;
    }

    /**
     * Sets what the store does with its tables at start.
     *
     * @param schemaMode create, validate or none
     */
    public void setSchemaMode(SchemaMode schemaMode) {
      this.schemaMode = schemaMode;
    }
  }

  /** {@code kv.near-cache.*}. Not thread-safe. */
  public static class NearCache {
    /** Whether reads of the JDBC store go through an in-process cache. */
    private boolean enabled = true;

    /** The most entries the cache holds. */
    private long maximumSize = 10_000;

    /** How long a cached entry is served at most, whatever the change feed says. */
    private Duration expireAfterWrite = Duration.ofMinutes(5);

    /** Creates the settings with their defaults. */
    public NearCache() {}

    /**
     * Whether the near-cache is on.
     *
     * @return whether the near-cache is on
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the near-cache on or off.
     *
     * @param enabled whether the near-cache is on
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The most entries the cache holds.
     *
     * @return the most entries the cache holds
     */
    public long getMaximumSize() {
      return maximumSize;
    }

    /**
     * Sets the most entries the cache holds.
     *
     * @param maximumSize the most entries the cache holds
     */
    public void setMaximumSize(long maximumSize) {
      this.maximumSize = maximumSize;
    }

    /**
     * How long a cached entry is served at most.
     *
     * @return how long a cached entry is served at most
     */
    public Duration getExpireAfterWrite() {
      return expireAfterWrite;
    }

    /**
     * Sets how long a cached entry is served at most.
     *
     * @param expireAfterWrite how long a cached entry is served at most
     */
    public void setExpireAfterWrite(Duration expireAfterWrite) {
      this.expireAfterWrite = expireAfterWrite;
    }
  }

  /** {@code kv.change-feed.*}. Not thread-safe. */
  public static class ChangeFeed {
    /** Whether the JDBC store follows other instances' writes (needs the near-cache). */
    private boolean enabled = true;

    /** How often the feed looks for other instances' changes; the feed's default when not set. */
    private Duration pollInterval;

    /** Creates the settings with their defaults. */
    public ChangeFeed() {}

    /**
     * Whether the change feed is on.
     *
     * @return whether the change feed is on
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the change feed on or off.
     *
     * @param enabled whether the change feed is on
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The poll interval, or null for the feed's default.
     *
     * @return the poll interval, or null for the feed's default
     */
    public Duration getPollInterval() {
      return pollInterval;
    }

    /**
     * Sets the poll interval.
     *
     * @param pollInterval the poll interval, or null for the feed's default
     */
    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }
  }

  /** One entry of {@code kv.namespaces[*]}. Not thread-safe. */
  public static class NamespaceDeclaration {
    /** The namespace's name. */
    private String name;

    /** Whether its values are encrypted and versioned (needs encryption). */
    private boolean secret;

    /** The TTL of entries written without one; none when not set. */
    private Duration defaultTtl;

    /** What the namespace holds, for people. */
    private String description = "";

    /** Creates an empty declaration. */
    public NamespaceDeclaration() {}

    /**
     * The namespace's name.
     *
     * @return the namespace's name
     */
    public String getName() {
      return name;
    }

    /**
     * Sets the namespace's name.
     *
     * @param name the namespace's name
     */
    public void setName(String name) {
      this.name = name;
    }

    /**
     * Whether the namespace is secret.
     *
     * @return whether the namespace is secret
     */
    public boolean isSecret() {
      return secret;
    }

    /**
     * Makes the namespace secret or not.
     *
     * @param secret whether the namespace is secret
     */
    public void setSecret(boolean secret) {
      this.secret = secret;
    }

    /**
     * The default TTL, or null for none.
     *
     * @return the default TTL, or null for none
     */
    public Duration getDefaultTtl() {
      return defaultTtl;
    }

    /**
     * Sets the default TTL.
     *
     * @param defaultTtl the default TTL, or null for none
     */
    public void setDefaultTtl(Duration defaultTtl) {
      this.defaultTtl = defaultTtl;
    }

    /**
     * The description.
     *
     * @return the description
     */
    public String getDescription() {
      return description;
    }

    /**
     * Sets the description.
     *
     * @param description what the namespace holds
     */
    public void setDescription(String description) {
      this.description = description;
    }
  }

  /** {@code kv.config.*}. Not thread-safe. */
  public static class Config {
    /** Namespaces whose entries become configuration properties, in order of precedence. */
    private List<String> namespaces = new ArrayList<>();

    /**
     * Per namespace, the property prefix its keys are placed under (key {@code db/host} with
     * prefix {@code app} is {@code app.db.host}); no prefix when not set.
     */
    private Map<String, String> prefixes = new LinkedHashMap<>();

    /** Creates the settings with their defaults. */
    public Config() {}

    /**
     * The namespaces exposed as properties.
     *
     * @return the namespaces exposed as properties
     */
    public List<String> getNamespaces() {
      return namespaces;
    }

    /**
     * Sets the namespaces exposed as properties.
     *
     * @param namespaces the namespaces, first one wins when two give one property
     */
    public void setNamespaces(List<String> namespaces) {
      this.namespaces = namespaces;
    }

    /**
     * The property prefix of each namespace.
     *
     * @return the property prefix of each namespace
     */
    public Map<String, String> getPrefixes() {
      return prefixes;
    }

    /**
     * Sets the property prefix of each namespace.
     *
     * @param prefixes namespace name to property prefix
     */
    public void setPrefixes(Map<String, String> prefixes) {
      this.prefixes = prefixes;
    }
  }

  /** {@code kv.metrics.*}. Not thread-safe. */
  public static class Metrics {
    /**
     * Whether the store's operations are timed and the JDBC figures bound, when a MeterRegistry
     * bean exists.
     */
    private boolean enabled = true;

    /**
     * How many namespaces get a timer tag of their own, the first ones used; the others are
     * tagged "other", so namespaces named after unbounded input cannot grow the registry.
     */
    private int maxNamespaces = 100;

    /** Creates the settings with their defaults. */
    public Metrics() {}

    /**
     * Whether metrics are on.
     *
     * @return whether metrics are on
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns metrics on or off.
     *
     * @param enabled whether metrics are on
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * How many namespaces get a tag of their own.
     *
     * @return how many namespaces get a tag of their own
     */
    public int getMaxNamespaces() {
      return maxNamespaces;
    }

    /**
     * Sets how many namespaces get a tag of their own.
     *
     * @param maxNamespaces zero or more; zero tags every namespace "other"
     */
    public void setMaxNamespaces(int maxNamespaces) {
      this.maxNamespaces = maxNamespaces;
    }
  }
}
