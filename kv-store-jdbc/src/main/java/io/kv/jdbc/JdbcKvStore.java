package io.kv.jdbc;

import io.kv.EntryRestorer;
import io.kv.InputRules;
import io.kv.KvStore;
import io.kv.Principal;
import io.kv.ValueRewriter;
import io.kv.spi.BuilderChecks;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The {@link KvStore} on a relational database: PostgreSQL (the production engine, shared by many
 * application instances), H2 or SQLite (embedded, persistent in one file). The application
 * supplies the {@link DataSource} (and its pool); the store owns its tables.
 *
 * <pre>{@code
 * JdbcKvStore store = JdbcKvStore.builder(dataSource)
 *     .schemaMode(SchemaMode.CREATE)
 *     .build();
 * }</pre>
 *
 * <h2>Atomicity</h2>
 * Every write (create, update, compare-and-set, conditional delete, rotate, rollback, bulk put
 * and delete, value rewrite, restore) is one database transaction that locks the rows it decides on (the
 * whole file on SQLite) and commits the entry with the record of its version, the earlier
 * versions its namespace keeps and its row in the {@code changes} table together. Of two
 * instances racing on one key, exactly one wins; the other gets
 * {@link io.kv.VersionConflictException} or {@link io.kv.AlreadyExistsException}, never a raw SQL
 * error. Serialization failures, deadlocks and busy databases are retried a few times, then
 * surface as {@link io.kv.StorageException}. Bulk writes are all-or-nothing and isolated.
 *
 * <h2>Round trips</h2>
 * A get is one statement, with no transaction around it. On PostgreSQL, a put, create, update,
 * rotate, compare-and-set or delete is also one statement, run in autocommit: its data-modifying
 * CTEs write the entry with the record of its version, move the version it replaces into
 * history where the namespace keeps earlier versions, write the change-log row and notify
 * followers, so the write costs one round trip; {@code putAll} is one statement over array
 * parameters and its commit. A write that meets an unusual case (an expired row to replace, a row that another
 * instance changed meanwhile) writes nothing in that statement and continues as on H2 and SQLite:
 * a transaction that locks the row, then one statement per table.
 *
 * <h2>Restoring entries</h2>
 * As an {@link EntryRestorer}, the store writes an entry exactly as given (an import keeps
 * versions, timestamps and history this way): one transaction writes the row over any existing
 * one, replaces the key's history with the given records (those from the entry's version minus
 * the namespace's {@code maxVersions} up, as a write keeps them) and appends one {@code CREATED}
 * or {@code UPDATED} row to the change log; the event follows the commit.
 *
 * <h2>Time</h2>
 * Expiry, timestamps and the change log use one time for every instance on a database: the
 * database's ({@link TimeSource#DATABASE}, the default with the system clock). The store
 * measures how far the database's clock is from its own when it starts and on each sweep, and
 * adds that offset to every reading of its clock, so an instance whose host clock is minutes off
 * neither hides and purges live entries nor serves or revives expired ones. Reading the clock
 * runs no statement. With {@link TimeSource#CLOCK} (the default when the builder is given a
 * clock other than a system clock, such as a test's mutable clock) the given clock is used as
 * it is. Either way, {@link #clockSkew()} reports the last measured offset, and an offset beyond
 * {@link Builder#maxClockSkew maxClockSkew} is logged as a warning once. A clock that steps back
 * never breaks a write: see {@link io.kv.spi.WriteTimes}.
 *
 * <h2>Expiry</h2>
 * An expired row is invisible at once: every read filters on {@code expires_at}. A background
 * sweeper (every {@link Builder#sweepInterval sweepInterval}) deletes expired rows in bounded
 * batches through the {@code expires_at} index, writes an {@code EXPIRED} row to the change log
 * for each, and prunes the change log after {@link Builder#changeRetention changeRetention}.
 *
 * <h2>Events</h2>
 * {@link #subscribe(io.kv.ChangeFilter, io.kv.ChangeListener)} delivers the changes this instance
 * made, after they committed, in version order per key, on the writing thread (or the sweeper's,
 * for expiry). Changes made by other instances are in the {@code changes} table; it does not
 * deliver them.
 *
 * <h2>Revisions</h2>
 * A change's revision is its change-log {@code seq}, taken from one sequence by every instance on
 * the database. {@link #revision()} and a listing's {@link io.kv.Page#revision()} are the
 * <em>settled</em> revision: revisions commit out of order across concurrent transactions, so a
 * read is as of the highest revision below which none is still uncommitted (or, if one has been
 * missing for 30 seconds, given up). {@link #subscribe(io.kv.ChangeFilter, long,
 * io.kv.ChangeListener)} tells every instance's changes after a revision, from the change log and
 * then live, in revision order, on a thread and a connection of its own per subscription; a
 * revision older than the log's oldest row (see {@link Builder#changeRetention changeRetention})
 * is refused with {@link io.kv.RevisionCompactedException}.
 *
 * <p>Thread-safe. {@link #close()} stops the sweeper and the subscriptions from a revision; the
 * {@code DataSource} stays the application's to close.
 */
public interface JdbcKvStore extends KvStore, ValueRewriter, EntryRestorer {

  /**
   * A builder for a store on {@code dataSource}.
   *
   * @param dataSource the database to use
   * @return a new builder
   * @throws NullPointerException if {@code dataSource} is null
   */
  static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * The last measurement of this instance's clock against the database's: at start, then on
   * each sweep. Runs no statement.
   *
   * @return the last measurement of this instance's clock against the database's
   */
  ClockSkew clockSkew();

  /**
   * The clock this store decides expiry by: the builder's clock, corrected to the database's
   * time with {@link TimeSource#DATABASE}. Give it to a {@link NearCache} in front of this store,
   * so that the cache and the store agree on what has expired.
   *
   * @return the clock this store decides expiry by
   */
  Clock clock();

  /**
   * How many expired entries the sweeper, and {@link #purgeExpired()}, deleted since this store
   * was built (every view shares the count); the expired rows other instances' sweepers deleted
   * are not counted. Runs no statement.
   *
   * @return how many expired entries this instance deleted
   */
  long expiredEntriesDeleted();

  /**
   * The dialect the store speaks, given or detected.
   *
   * @return the dialect the store speaks, given or detected
   */
  Dialect dialect();

  /**
   * The id this instance writes as {@code origin} into the change log.
   *
   * @return the id this instance writes as {@code origin} into the change log
   */
  String instanceId();

  /**
   * The prefix of this store's table names, such as {@code kv_}.
   *
   * @return the prefix of this store's table names, such as {@code kv_}
   */
  String tablePrefix();

  /**
   * The database schema of this store's tables, or empty for the connection's default.
   *
   * @return the database schema of this store's tables, or empty for the connection's default
   */
  java.util.Optional<String> schema();

  /**
   * Deletes every entry due by the time it starts and prunes the change log, in bounded batches,
   * as the sweeper does. Writers may run meanwhile: an entry rewritten after it fell due is left
   * as rewritten, and every other entry due at the start is deleted, however many batches that
   * takes.
   *
   * @return how many expired entries this call deleted
   * @throws io.kv.StorageException if the database fails
   */
  int purgeExpired();

  /**
   * Gives free space in the database file back to the file system where the engine allows it
   * while running (SQLite: a WAL checkpoint and an incremental vacuum; H2: a checkpoint and a
   * compaction of the file's chunks; PostgreSQL: nothing, autovacuum's business).
   *
   * @throws io.kv.StorageException if the database fails
   */
  void compact();

  @Override
  JdbcKvStore as(Principal principal);

  /**
   * Settings of a {@link JdbcKvStore}. Each setting is checked at once and may be given once.
   * Not thread-safe.
   */
  final class Builder {
    private static final Pattern PREFIX = Pattern.compile("[a-z_][a-z0-9_]{0,30}");
    private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    final DataSource dataSource;
    Dialect dialect;
    Clock clock;
    InputRules limits;
    String tablePrefix;
    String schema;
    SchemaMode schemaMode;
    Duration sweepInterval;
    Duration changeRetention;
    String instanceId;
    Integer sweepBatchSize;
    TimeSource timeSource;
    Duration maxClockSkew;

    Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The database's dialect; detected from the connection's metadata when not given.
     *
     * @param dialect the database's dialect
     * @return this builder
     */
    public Builder dialect(Dialect dialect) {
      BuilderChecks.once(this.dialect, "dialect");
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * The clock of expiry, timestamps and the change log; default {@link Clock#systemUTC()}. See
     * {@link #timeSource} for whether the store corrects it to the database's time.
     *
     * @param clock the clock of expiry, timestamps and the change log
     * @return this builder
     */
    public Builder clock(Clock clock) {
      BuilderChecks.once(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The input rules; default {@link InputRules#defaults()}.
     *
     * @param limits the input rules
     * @return this builder
     * @throws IllegalArgumentException if keys may be longer than 512 bytes or namespace names
     *     longer than 64 characters: the columns hold no more
     */
    public Builder limits(InputRules limits) {
      BuilderChecks.once(this.limits, "limits");
      Objects.requireNonNull(limits, "limits");
      if (limits.maxKeyBytes() > InputRules.DEFAULT_MAX_KEY_BYTES) {
        throw new IllegalArgumentException("limits.maxKeyBytes must be at most 512 for the JDBC store (was "
            + limits.maxKeyBytes() + ")");
      }
      if (limits.maxNamespaceLength() > InputRules.DEFAULT_MAX_NAMESPACE_LENGTH) {
        throw new IllegalArgumentException("limits.maxNamespaceLength must be at most 64 for the JDBC store (was "
            + limits.maxNamespaceLength() + ")");
      }
      this.limits = limits;
      return this;
    }

    /**
     * Whether the store corrects its clock to the database's time ({@link TimeSource#DATABASE})
     * or uses the builder's clock as it is ({@link TimeSource#CLOCK}). Default: {@code DATABASE}
     * with a system clock (the default one, or one given), {@code CLOCK} with any other clock,
     * so that a test's mutable clock stays exact unless the test asks for the database's time.
     *
     * @param timeSource where the store takes its time from
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      BuilderChecks.once(this.timeSource, "timeSource");
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * The largest offset between this instance's clock and the database's that is not reported
     * as skew (a warning in the log, {@link ClockSkew#exceedsBound()}); default one second.
     *
     * @param maxClockSkew the largest offset not reported
     * @return this builder
     * @throws IllegalArgumentException unless positive
     */
    public Builder maxClockSkew(Duration maxClockSkew) {
      BuilderChecks.once(this.maxClockSkew, "maxClockSkew");
      this.maxClockSkew = BuilderChecks.positive(maxClockSkew, "maxClockSkew");
      return this;
    }

    /**
     * The prefix of the store's table names; default {@code kv_}. Several stores can share a
     * database under different prefixes.
     *
     * @param tablePrefix what every table name starts with
     * @return this builder
     * @throws IllegalArgumentException unless it matches {@code [a-z_][a-z0-9_]{0,30}}
     */
    public Builder tablePrefix(String tablePrefix) {
      BuilderChecks.once(this.tablePrefix, "tablePrefix");
      Objects.requireNonNull(tablePrefix, "tablePrefix");
      if (!PREFIX.matcher(tablePrefix).matches()) {
        throw new IllegalArgumentException("tablePrefix must match [a-z_][a-z0-9_]{0,30}");
      }
      this.tablePrefix = tablePrefix;
      return this;
    }

    /**
     * The schema (SQLite: the attached database) of the tables; default the connection's
     * current one.
     *
     * @param schema the database schema that holds the tables
     * @return this builder
     * @throws IllegalArgumentException unless it is a plain identifier
     */
    public Builder schema(String schema) {
      BuilderChecks.once(this.schema, "schema");
      Objects.requireNonNull(schema, "schema");
      if (!SCHEMA.matcher(schema).matches()) {
        throw new IllegalArgumentException("schema must match [A-Za-z_][A-Za-z0-9_]{0,62}");
      }
      this.schema = schema;
      return this;
    }

    /**
     * What to do with the tables on start; default {@link SchemaMode#VALIDATE}.
     *
     * @param schemaMode what to do with the tables on start
     * @return this builder
     */
    public Builder schemaMode(SchemaMode schemaMode) {
      BuilderChecks.once(this.schemaMode, "schemaMode");
      this.schemaMode = Objects.requireNonNull(schemaMode, "schemaMode");
      return this;
    }

    /**
     * How often the sweeper deletes expired entries and prunes the change log; default one
     * minute, {@link Duration#ZERO} for no sweeper ({@link JdbcKvStore#purgeExpired()} still works).
     *
     * @param sweepInterval the time between two sweeps, or zero
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder sweepInterval(Duration sweepInterval) {
      BuilderChecks.once(this.sweepInterval, "sweepInterval");
      Objects.requireNonNull(sweepInterval, "sweepInterval");
      if (sweepInterval.isNegative()) {
        throw new IllegalArgumentException("sweepInterval must not be negative");
      }
      this.sweepInterval = sweepInterval;
      return this;
    }

    /**
     * How many expired rows one sweeper transaction deletes; default 256.
     *
     * @param sweepBatchSize the most rows one sweeper transaction deletes
     * @return this builder
     * @throws IllegalArgumentException unless 1 to 10000
     */
    public Builder sweepBatchSize(int sweepBatchSize) {
      BuilderChecks.once(this.sweepBatchSize, "sweepBatchSize");
      if (sweepBatchSize < 1 || sweepBatchSize > 10_000) {
        throw new IllegalArgumentException("sweepBatchSize must be 1 to 10000");
      }
      this.sweepBatchSize = sweepBatchSize;
      return this;
    }

    /**
     * How long rows stay in the change log before the sweeper prunes them; default one hour.
     *
     * @param changeRetention how long change-log rows are kept
     * @return this builder
     * @throws IllegalArgumentException unless positive
     */
    public Builder changeRetention(Duration changeRetention) {
      BuilderChecks.once(this.changeRetention, "changeRetention");
      this.changeRetention = BuilderChecks.positive(changeRetention, "changeRetention");
      return this;
    }

    /**
     * The id of this instance in the change log's {@code origin} column; default a random UUID.
     *
     * @param instanceId this instance's identifier in the change log
     * @return this builder
     * @throws IllegalArgumentException if blank or longer than 64 characters
     */
    public Builder instanceId(String instanceId) {
      BuilderChecks.once(this.instanceId, "instanceId");
      Objects.requireNonNull(instanceId, "instanceId");
      if (instanceId.isBlank() || instanceId.length() > 64) {
        throw new IllegalArgumentException("instanceId must be 1 to 64 characters, not blank");
      }
      this.instanceId = instanceId;
      return this;
    }

    /**
     * Builds the store: detects the dialect if needed, creates or validates the schema, starts
     * the sweeper.
     *
     * @return the store, ready for use
     * @throws io.kv.ConfigurationException if the database refuses the credentials (SQL state class
     *     28), the data source fails before reaching the database (a JDBC driver missing, a pool
     *     that cannot start), the database is none kv supports, {@link SchemaMode#CREATE} is asked
     *     of SQLite with a schema, or {@link SchemaMode#VALIDATE} finds a table missing (the
     *     message names it and the script to run); the driver's or pool's exception is the cause
     *     and no message contains a credential
     * @throws io.kv.StorageException if the connection fails for another reason (the message says
     *     so and gives the SQL state), or creating or checking the tables fails
     */
    public JdbcKvStore build() {
      Clock c = clock == null ? Clock.systemUTC() : clock;
      boolean systemClock = c.equals(Clock.system(c.getZone()));
      return JdbcStore.open(new Config(dataSource, dialect, c,
          limits == null ? InputRules.defaults() : limits, tablePrefix == null ? "kv_" : tablePrefix, schema,
          schemaMode == null ? SchemaMode.VALIDATE : schemaMode,
          sweepInterval == null ? Duration.ofMinutes(1) : sweepInterval,
          sweepBatchSize == null ? 256 : sweepBatchSize,
          changeRetention == null ? Duration.ofHours(1) : changeRetention,
          instanceId == null ? UUID.randomUUID().toString() : instanceId,
          timeSource != null ? timeSource : systemClock ? TimeSource.DATABASE : TimeSource.CLOCK,
          maxClockSkew == null ? Duration.ofSeconds(1) : maxClockSkew));
    }
  }
}
