package io.kv.jdbc;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.Subscription;
import io.kv.spi.BuilderChecks;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Follows the change-log table ({@code {prefix}changes}) that every JDBC store instance writes in
 * the same transaction as each change, and hands the changes made by <em>other</em> instances to
 * its listeners as {@link ChangeEvent}s. The near-cache ({@link NearCache}) uses it to invalidate
 * entries that another instance wrote, and applications use it (through the near-cache's {@link
 * io.kv.KvStore#subscribe subscribe}) to hear rotations and configuration changes made elsewhere.
 *
 * <h2>How it follows</h2>
 * One daemon thread per feed queries {@code seq > last ORDER BY seq LIMIT batchSize} every {@link
 * Builder#pollInterval pollInterval}. On PostgreSQL it also {@code LISTEN}s on the channel named
 * like the table ({@code kv_changes} by default), which every writer notifies in its transaction,
 * and queries as soon as a notification arrives. Rows written by this feed's own instance id are skipped: the local store
 * already delivered those events. The feed starts at the newest row present when it starts;
 * earlier history is not replayed.
 *
 * <h2>Latency</h2>
 * A committed change reaches the listeners within one poll interval plus the time of one query
 * (on PostgreSQL: the notification latency plus one query), unless its sequence number is one of
 * the gaps described next.
 *
 * <h2>Sequence gaps</h2>
 * Sequence numbers are assigned when a row is inserted but become visible when its transaction
 * commits, so seq 11 can become visible before seq 10. The feed remembers every number it skipped
 * over as a gap and looks for the gaps again on each poll until they appear, and delivers them
 * then; a gap that has not appeared after {@link Builder#gapTimeout gapTimeout} (a rolled-back
 * transaction, or a sequence cache that skipped numbers) is given up. A change is therefore
 * missed only if its transaction stayed open longer than {@code gapTimeout} after a later one
 * committed. Events are delivered in the order they became visible, which for one key is version
 * order (writes of one key are serialized by the database).
 *
 * <h2>Resources</h2>
 * The feed holds one connection of the {@code DataSource} for as long as it runs (on PostgreSQL the
 * LISTEN lives on it); when the connection fails, the feed logs, waits one poll interval, and
 * takes a new one.
 *
 * <p>Thread-safe. Listeners run on the feed's thread, one at a time; what they throw is logged and
 * skipped. {@link #close()} stops the thread and releases its connection.
 */
public interface ChangeFeed extends AutoCloseable {

  /**
   * A builder for a feed over {@code dataSource} for the store instance {@code instanceId}: rows
   * whose {@code origin} is {@code instanceId} are skipped.
   *
   * @param dataSource the database to use
   * @param instanceId this instance's identifier in the change log
   * @return a new builder
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code instanceId} is blank or longer than 64 characters
   */
  static Builder builder(DataSource dataSource, String instanceId) {
    return new Builder(dataSource, instanceId);
  }

  /**
   * A builder for a feed that follows {@code store}'s change log: the same instance id (its own
   * changes are skipped), table prefix and schema. {@code dataSource} must reach the store's
   * database; the feed holds one of its connections.
   *
   * @param dataSource the database to use
   * @param store the store whose tables and instance id the feed follows
   * @return a new builder
   * @throws NullPointerException if an argument is null
   */
  static Builder builder(DataSource dataSource, JdbcKvStore store) {
    Builder b = new Builder(dataSource, store.instanceId()).tablePrefix(store.tablePrefix());
    store.schema().ifPresent(b::schema);
    return b;
  }

  /**
   * The instance id whose own changes this feed skips.
   *
   * @return the instance id whose own changes this feed skips
   */
  String instanceId();

  /**
   * Registers a listener for the other instances' changes that pass {@code filter}, from now on.
   *
   * @param filter which changes the listener is told of
   * @param listener told of each change
   * @return the registration; close it to stop listening
   * @throws NullPointerException if an argument is null
   */
  Subscription subscribe(ChangeFilter filter, ChangeListener listener);

  /**
   * Tells {@code listener} the name of each namespace whose declaration another instance changed
   * (declared, updated or deleted), as the feed reads it from the change log, on the feed's thread.
   * A near-cache built with this feed passes these on through its {@link io.kv.Namespaces#watch},
   * so the layer stack above it drops what it knew of the namespace.
   *
   * @param listener told the name of each namespace whose declaration changed
   * @return the subscription that ends the registration
   * @throws NullPointerException if {@code listener} is null
   */
  Subscription watchNamespaces(Consumer<String> listener);

  /**
   * The feed's running figures: changes delivered and their lag, sequence gaps seen and given up.
   * The same object for the feed's lifetime; reading it runs no query.
   *
   * @return the feed's statistics
   */
  ChangeFeedStats stats();

  /**
   * Stops the feed's thread (waiting for it briefly) and closes its connection. Closing twice is
   * harmless.
   */
  @Override
  void close();

  /**
   * Configures a {@link ChangeFeed}. Each setter checks its argument at once and may be called
   * only once. Not thread-safe; the feed it starts is.
   */
  final class Builder {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,30}");
    private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final String instanceId;
    private String schema;
    private String tablePrefix;
    private Duration pollInterval;
    private Duration gapTimeout;
    private Integer batchSize;
    private Clock clock;

    private Builder(DataSource dataSource, String instanceId) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      Objects.requireNonNull(instanceId, "instanceId");
      if (instanceId.isBlank() || instanceId.length() > 64) {
        throw new IllegalArgumentException("instanceId must be 1 to 64 characters");
      }
      this.instanceId = instanceId;
    }

    /**
     * The schema the store's tables are in, as given to the store; default none (the
     * connection's current schema).
     *
     * @param schema the database schema that holds the tables
     * @return this builder
     * @throws NullPointerException if {@code schema} is null
     * @throws IllegalArgumentException if it does not match {@code [A-Za-z_][A-Za-z0-9_]{0,62}}
     * @throws IllegalStateException if a schema was already set
     */
    public Builder schema(String schema) {
      Objects.requireNonNull(schema, "schema");
      if (!SCHEMA.matcher(schema).matches()) {
        throw new IllegalArgumentException("schema must match " + SCHEMA.pattern());
      }
      this.schema = BuilderChecks.once(this.schema, schema, "schema");
      return this;
    }

    /**
     * The prefix of the store's table names; default {@code "kv_"}, so the feed reads {@code
     * kv_changes}.
     *
     * @param prefix the prefix of the store's table names
     * @return this builder
     * @throws NullPointerException if {@code prefix} is null
     * @throws IllegalArgumentException if it is not a letter or underscore followed by up to 30
     *     letters, digits or underscores
     * @throws IllegalStateException if a prefix was already set
     */
    public Builder tablePrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException("tablePrefix must match " + PREFIX.pattern());
      }
      this.tablePrefix = BuilderChecks.once(this.tablePrefix, prefix, "tablePrefix");
      return this;
    }

    /**
     * How often the feed queries for new rows; default 200 ms. On PostgreSQL a notification wakes
     * it earlier.
     *
     * @param interval the time between two queries
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if it is under 10 ms or over one hour
     * @throws IllegalStateException if an interval was already set
     */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.toMillis() < 10 || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("pollInterval must be between 10 ms and 1 hour");
      }
      this.pollInterval = BuilderChecks.once(this.pollInterval, interval, "pollInterval");
      return this;
    }

    /**
     * How long the feed waits for a skipped sequence number to become visible before it gives
     * it up; default 30 seconds. Longer than the longest write transaction you expect, shorter
     * than the change-log retention.
     *
     * @param timeout how long to wait for a skipped sequence number
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if it is negative
     * @throws IllegalStateException if a timeout was already set
     */
    public Builder gapTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("gapTimeout must not be negative");
      }
      this.gapTimeout = BuilderChecks.once(this.gapTimeout, timeout, "gapTimeout");
      return this;
    }

    /**
     * The most rows one query reads; default 500. A full batch is followed by another query at
     * once.
     *
     * @param rows the most rows per query
     * @return this builder
     * @throws IllegalArgumentException if it is not between 1 and 10,000
     * @throws IllegalStateException if a batch size was already set
     */
    public Builder batchSize(int rows) {
      if (rows < 1 || rows > 10_000) {
        throw new IllegalArgumentException("batchSize must be between 1 and 10000");
      }
      this.batchSize = BuilderChecks.once(this.batchSize, rows, "batchSize");
      return this;
    }

    /**
     * The clock that measures how long a gap has been waiting; default {@link
     * Clock#systemUTC()}. Tests move a mutable clock to time gaps out.
     *
     * @param clock the clock of the feed's lag and gap timeouts
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if a clock was already set
     */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      this.clock = BuilderChecks.once(this.clock, clock, "clock");
      return this;
    }

    /**
     * Reads the newest sequence number, then starts the feed's thread.
     *
     * @return the running feed; close it to stop
     * @throws io.kv.StorageException if the change-log table cannot be read
     */
    public ChangeFeed start() {
      FeedConfig config = new FeedConfig(
          dataSource,
          instanceId,
          schema,
          tablePrefix != null ? tablePrefix : "kv_",
          pollInterval != null ? pollInterval : Duration.ofMillis(200),
          gapTimeout != null ? gapTimeout : Duration.ofSeconds(30),
          batchSize != null ? batchSize : 500,
          clock != null ? clock : Clock.systemUTC());
      return PollingChangeFeed.start(config);
    }
  }
}
