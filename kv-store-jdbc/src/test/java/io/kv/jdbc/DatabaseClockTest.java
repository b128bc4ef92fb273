package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.AlreadyExistsException;
import io.kv.NotFoundException;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.testkit.MutableClock;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Instances on one database whose clocks are five minutes apart. Their clocks are views of one
 * {@link MutableClock}, shifted by the skew, so the test moves time for both at once; with the
 * database as time source each corrects its clock by the offset it measured at start, so both
 * run on the database's time, moved by the test. The two measurements lie some milliseconds of
 * real time apart, far below the 30-second margins the expiry checks leave.
 */
@DisplayName("JdbcKvStore: instances with skewed clocks on one database")
class DatabaseClockTest {
  private static final Duration SKEW = Duration.ofMinutes(5);
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final Duration MARGIN = Duration.ofSeconds(30);
  /** How far a measurement against a database on this host may be off: generous, for a loaded machine. */
  private static final long TOLERANCE_MS = 10_000;

  /** A test run once on each engine, named by its parameter. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgres", "h2", "sqlite"})
  @interface OnEveryDatabase {}

  @TempDir
  Path dir;

  private final MutableClock base = MutableClock.fixed();
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<JdbcKvStore> stores = new ArrayList<>();
  private final String prefix = TestDatabases.freshPrefix();

  @AfterEach
  void close() {
    stores.forEach(JdbcKvStore::close);
    pools.forEach(HikariDataSource::close);
  }

  /** A new instance on {@code database}, each with its own pool on the embedded engines, as separate processes would. */
  private JdbcKvStore open(String database, Clock clock, TimeSource source, Duration sweepInterval) {
    DataSource ds;
    switch (database) {
      case "postgres":
        ds = TestDatabases.postgres();
        break;
      case "h2":
        ds = track(TestDatabases.h2(dir));
        break;
      default:
        ds = track(TestDatabases.sqlite(dir.resolve("kv.db")));
        break;
    }
    JdbcKvStore store = JdbcKvStore.builder(ds).clock(clock).timeSource(source).tablePrefix(prefix)
        .schemaMode(SchemaMode.CREATE).sweepInterval(sweepInterval).build();
    stores.add(store);
    return store;
  }

  private DataSource track(HikariDataSource pool) {
    pools.add(pool);
    return pool;
  }

  /** Two instances on {@code database}, five minutes ahead of and behind the test's clock. */
  private record Pair(JdbcKvStore ahead, JdbcKvStore behind) {}

  private Pair pair(String database) {
    return new Pair(open(database, Clock.offset(base, SKEW), TimeSource.DATABASE, Duration.ZERO),
        open(database, Clock.offset(base, SKEW.negated()), TimeSource.DATABASE, Duration.ZERO));
  }

  @OnEveryDatabase
  void bothInstancesAgreeOnWhatHasExpired(String database) {
    Pair p = pair(database);
    JdbcKvStore ahead = p.ahead();
    JdbcKvStore behind = p.behind();
    ahead.put("app", "a", Value.string("from-ahead"), WriteOptions.ttl(TTL));
    behind.put("app", "b", Value.string("from-behind"), WriteOptions.ttl(TTL));

    for (JdbcKvStore s : List.of(ahead, behind)) {
      assertThat(s.count("app")).isEqualTo(2);
    }
    base.advance(TTL.minus(MARGIN));
    for (JdbcKvStore s : List.of(ahead, behind)) {
      assertThat(s.get("app", "a")).isPresent();
      assertThat(s.get("app", "b")).isPresent();
    }
    base.advance(MARGIN.multipliedBy(2));
    for (JdbcKvStore s : List.of(ahead, behind)) {
      assertThat(s.get("app", "a")).isEmpty();
      assertThat(s.get("app", "b")).isEmpty();
      assertThat(s.count("app")).isZero();
    }
  }

  @OnEveryDatabase
  void theInstanceAheadNeitherPurgesNorCreatesOverALiveEntry(String database) {
    Pair p = pair(database);
    p.behind().put("app", "k", Value.string("live"), WriteOptions.ttl(TTL));
    JdbcKvStore ahead = p.ahead();

    assertThat(ahead.get("app", "k")).isPresent();
    assertThat(ahead.purgeExpired()).isZero();
    assertThatThrownBy(() -> ahead.create("app", "k", Value.string("over"), WriteOptions.none()))
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(p.behind().get("app", "k").orElseThrow().value()).isEqualTo(Value.string("live"));
  }

  @OnEveryDatabase
  void theInstanceBehindNeitherServesNorRevivesAnExpiredEntry(String database) {
    Pair p = pair(database);
    p.ahead().put("app", "k", Value.string("short-lived"), WriteOptions.ttl(TTL));
    JdbcKvStore behind = p.behind();
    base.advance(TTL.plus(MARGIN));

    assertThat(behind.get("app", "k")).isEmpty();
    assertThat(behind.getAll("app", List.of("k"))).isEmpty();
    assertThatThrownBy(() -> behind.update("app", "k", Value.string("revived"), WriteOptions.none()))
        .isInstanceOf(NotFoundException.class);
    assertThat(p.ahead().get("app", "k")).isEmpty();
  }

  @OnEveryDatabase
  void theSkewIsMeasuredReportedAndCorrectedOnlyWithTheDatabaseAsTimeSource(String database) {
    Clock fast = Clock.offset(Clock.systemUTC(), SKEW);
    JdbcKvStore corrected = open(database, fast, TimeSource.DATABASE, Duration.ZERO);
    JdbcKvStore uncorrected = open(database, fast, TimeSource.CLOCK, Duration.ZERO);

    for (JdbcKvStore s : List.of(corrected, uncorrected)) {
      ClockSkew skew = s.clockSkew();
      assertThat(skew.offset().toMillis()).isCloseTo(-SKEW.toMillis(), within(TOLERANCE_MS));
      assertThat(skew.bound()).isEqualTo(Duration.ofSeconds(1));
      assertThat(skew.exceedsBound()).isTrue();
    }
    assertThat(corrected.clockSkew().source()).isEqualTo(TimeSource.DATABASE);
    assertThat(uncorrected.clockSkew().source()).isEqualTo(TimeSource.CLOCK);
    assertThat(corrected.clock().millis()).isCloseTo(System.currentTimeMillis(), within(TOLERANCE_MS));
    assertThat(uncorrected.clock().millis()).isCloseTo(fast.millis(), within(TOLERANCE_MS));
  }

  @Test
  void aSystemClockDefaultsToTheDatabasesTimeAndAnyOtherClockToItself() {
    JdbcKvStore system = JdbcKvStore.builder(TestDatabases.postgres()).tablePrefix(prefix).schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO).maxClockSkew(Duration.ofSeconds(10)).build();
    stores.add(system);
    JdbcKvStore mutable = JdbcKvStore.builder(TestDatabases.postgres()).clock(base).tablePrefix(prefix)
        .sweepInterval(Duration.ZERO).build();
    stores.add(mutable);

    assertThat(system.clockSkew().source()).isEqualTo(TimeSource.DATABASE);
    // The embedded server runs on this host: its clock is this host's.
    assertThat(system.clockSkew().exceedsBound()).isFalse();
    assertThat(mutable.clockSkew().source()).isEqualTo(TimeSource.CLOCK);
    assertThat(mutable.clock().instant()).isEqualTo(base.instant());
  }

  @Test
  void anOffsetTheRoundTripCanExplainIsNotApplied() {
    // Clocks in step, a 33 ms round trip: the midpoint estimate says 18 ms, which the round trip
    // explains, so nothing is applied (applying it once made an instance purge entries 18 ms early).
    assertThat(DatabaseClock.correction(1_000, 1_034, 1_033)).isZero();
    assertThat(DatabaseClock.correction(1_000, 999, 1_033)).isZero();
    assertThat(DatabaseClock.correction(1_000, 1_000, 1_000)).isZero();
    // Beyond what the round trip explains, the midpoint estimate is applied.
    assertThat(DatabaseClock.correction(1_000, 1_035, 1_033)).isEqualTo(19);
    assertThat(DatabaseClock.correction(1_000, 998, 1_033)).isEqualTo(-18);
    assertThat(DatabaseClock.correction(1_000, 301_000, 1_000)).isEqualTo(300_000);
  }

  @Test
  void theSweeperMeasuresAgainSoAClockThatJumpsIsCorrected() {
    JdbcKvStore store = open("postgres", base, TimeSource.DATABASE, Duration.ofMillis(20));
    assertThat(store.clock().millis()).isCloseTo(System.currentTimeMillis(), within(TOLERANCE_MS));

    base.advance(Duration.ofHours(1));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Math.abs(store.clock().millis() - System.currentTimeMillis()) > TOLERANCE_MS && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // the sweeper's next run measures again
    }
    assertThat(store.clock().millis()).isCloseTo(System.currentTimeMillis(), within(TOLERANCE_MS));
  }

  @Test
  void theBuilderChecksTheTimeSettings() {
    JdbcKvStore.Builder b = JdbcKvStore.builder(TestDatabases.postgres());
    assertThatThrownBy(() -> b.timeSource(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.maxClockSkew(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxClockSkew(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    b.timeSource(TimeSource.CLOCK).maxClockSkew(Duration.ofSeconds(2));
    assertThatThrownBy(() -> b.timeSource(TimeSource.DATABASE)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> b.maxClockSkew(Duration.ofSeconds(3))).isInstanceOf(IllegalStateException.class);
  }
}
