package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Principal;
import io.kv.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The change feed on real H2, SQLite and PostgreSQL databases, with another instance simulated by plain JDBC. */
class ChangeFeedTest {
  @TempDir Path dir;

  private final List<ChangeFeed> feeds = new ArrayList<>();

  @AfterEach
  void closeFeeds() {
    feeds.forEach(ChangeFeed::close);
  }

  private DataSource database(String name) {
    switch (name) {
      case "h2":
        return Databases.h2(dir);
      case "sqlite":
        return Databases.sqlite(dir);
      case "postgres":
        return Databases.postgres();
      default:
        throw new IllegalArgumentException(name);
    }
  }

  private ChangeFeed start(ChangeLog log, String instanceId, Duration pollInterval) {
    ChangeFeed feed = ChangeFeed.builder(log.dataSource, instanceId)
        .tablePrefix(log.prefix)
        .pollInterval(pollInterval)
        .start();
    feeds.add(feed);
    return feed;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite", "postgres"})
  void deliversOtherInstancesChangesAndSkipsItsOwn(String db) throws Exception {
    ChangeLog log = ChangeLog.create(database(db), Databases.uniquePrefix());
    ChangeFeed feed = start(log, "me", Duration.ofMillis(50));
    Recorder rec = new Recorder();
    feed.subscribe(ChangeFilter.all(), rec);

    log.insert("other", "app", "a", 1, ChangeType.CREATED);
    log.insert("me", "app", "mine", 1, ChangeType.CREATED);
    log.insert("other", "app", "b", 2, ChangeType.ROTATED);

    ChangeEvent first = rec.next();
    assertThat(first.key()).isEqualTo("a");
    assertThat(first.type()).isEqualTo(ChangeType.CREATED);
    assertThat(first.version()).isEqualTo(1);
    assertThat(first.principal()).isEqualTo(Principal.of("writer-other"));
    ChangeEvent second = rec.next();
    assertThat(second.key()).as("the row of its own instance is skipped").isEqualTo("b");
    assertThat(second.type()).isEqualTo(ChangeType.ROTATED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite"})
  void startsAtTheNewestRowWithoutReplayingHistory(String db) throws Exception {
    ChangeLog log = ChangeLog.create(database(db), Databases.uniquePrefix());
    log.insert("other", "app", "old", 1, ChangeType.CREATED);
    ChangeFeed feed = start(log, "me", Duration.ofMillis(50));
    Recorder rec = new Recorder();
    feed.subscribe(ChangeFilter.all(), rec);

    log.insert("other", "app", "new", 1, ChangeType.CREATED);
    assertThat(rec.next().key()).isEqualTo("new");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "sqlite"})
  void filtersAndSurvivesAThrowingListener(String db) throws Exception {
    ChangeLog log = ChangeLog.create(database(db), Databases.uniquePrefix());
    ChangeFeed feed = start(log, "me", Duration.ofMillis(50));
    feed.subscribe(ChangeFilter.all(), e -> {
      throw new IllegalStateException("listener bug");
    });
    Recorder rec = new Recorder();
    feed.subscribe(ChangeFilter.namespace("cfg").withKeyPrefix("db/"), rec);

    log.insert("other", "app", "db/host", 1, ChangeType.CREATED);
    log.insert("other", "cfg", "web/port", 1, ChangeType.CREATED);
    log.insert("other", "cfg", "db/host", 3, ChangeType.UPDATED);

    ChangeEvent e = rec.next();
    assertThat(e.namespace()).isEqualTo("cfg");
    assertThat(e.key()).isEqualTo("db/host");
    assertThat(e.version()).isEqualTo(3);
  }

  /**
   * The trap: seq is assigned at insert and becomes visible at commit. The transaction holding
   * the lower seq commits after the feed has already seen the higher one; its row is still
   * delivered.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aLowerSeqCommittedAfterAHigherOneIsNotMissed(String db) throws Exception {
    ChangeLog log = ChangeLog.create(database(db), Databases.uniquePrefix());
    ChangeFeed feed = start(log, "me", Duration.ofMillis(50));
    Recorder rec = new Recorder();
    feed.subscribe(ChangeFilter.all(), rec);

    try (Connection slow = log.begin(); Connection fast = log.begin()) {
      long low = log.insert(slow, "other", "app", "slow", 1, ChangeType.CREATED);
      long high = log.insert(fast, "other", "app", "fast", 1, ChangeType.CREATED);
      assertThat(low).isLessThan(high);
      fast.commit();
      assertThat(rec.next().key()).as("the higher seq, committed first").isEqualTo("fast");

      slow.commit();
      ChangeEvent late = rec.next();
      assertThat(late.key()).as("the lower seq, committed later").isEqualTo("slow");
    }
    log.insert("other", "app", "after", 1, ChangeType.CREATED);
    assertThat(rec.next().key()).as("nothing delivered twice").isEqualTo("after");
  }

  /**
   * A gap is waited for only up to the gap timeout: a transaction that commits its lower seq
   * after that is not delivered (the price of never waiting forever for a rolled-back number).
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aGapIsGivenUpAfterTheGapTimeout(String db) throws Exception {
    ChangeLog log = ChangeLog.create(database(db), Databases.uniquePrefix());
    MutableClock clock = MutableClock.fixed();
    ChangeFeed feed = ChangeFeed.builder(log.dataSource, "me").tablePrefix(log.prefix)
        .pollInterval(Duration.ofMillis(50)).gapTimeout(Duration.ofSeconds(30)).clock(clock).start();
    feeds.add(feed);
    Recorder rec = new Recorder();
    feed.subscribe(ChangeFilter.all(), rec);

    try (Connection slow = log.begin()) {
      log.insert(slow, "other", "app", "slow", 1, ChangeType.CREATED);
      log.insert("other", "app", "fast", 1, ChangeType.CREATED);
      assertThat(rec.next().key()).isEqualTo("fast");

      clock.advance(Duration.ofSeconds(29));
      log.insert("other", "app", "m1", 1, ChangeType.CREATED);
      assertThat(rec.next().key()).isEqualTo("m1");
      clock.advance(Duration.ofSeconds(1));
      // The poll that delivers m2 gives the gap up after looking for it once more.
      log.insert("other", "app", "m2", 1, ChangeType.CREATED);
      assertThat(rec.next().key()).isEqualTo("m2");

      slow.commit();
    }
    log.insert("other", "app", "m3", 1, ChangeType.CREATED);
    assertThat(rec.next().key()).as("the given-up seq is not delivered").isEqualTo("m3");
  }

  @Test
  void onPostgresANotificationWakesTheFeedLongBeforeThePollInterval() throws Exception {
    ChangeLog log = ChangeLog.create(Databases.postgres(), Databases.uniquePrefix());
    ChangeFeed feed = start(log, "me", Duration.ofMinutes(10));
    Recorder rec = new Recorder();
    feed.subscribe(ChangeFilter.all(), rec);
    // The feed LISTENs before its first poll, so a change made from now on is found by that
    // poll or announced by a notification; the next poll is ten minutes away.
    long start = System.nanoTime();
    log.insert("other", "app", "k", 1, ChangeType.CREATED);
    ChangeEvent e = rec.next(Duration.ofSeconds(5));
    assertThat(e.key()).isEqualTo("k");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theFeedRecoversFromALostConnection() throws Exception {
    ChangeLog log = ChangeLog.create(Databases.postgres(), Databases.uniquePrefix());
    ChangeFeed feed = start(log, "me", Duration.ofMillis(100));
    Recorder rec = new Recorder();
    feed.subscribe(ChangeFilter.all(), rec);
    log.insert("other", "app", "before", 1, ChangeType.CREATED);
    assertThat(rec.next().key()).isEqualTo("before");

    int killed;
    try (Connection admin = log.dataSource.getConnection();
        java.sql.PreparedStatement ps = admin.prepareStatement(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE ?")) {
      ps.setString(1, "%FROM " + log.table + " WHERE seq > %");
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        killed = rs.getInt(1);
      }
    }
    assertThat(killed).as("the feed's connection was terminated").isEqualTo(1);

    log.insert("other", "app", "after", 1, ChangeType.CREATED);
    assertThat(rec.next().key()).isEqualTo("after");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void closeStopsTheFeedsThread(String db) throws Exception {
    ChangeLog log = ChangeLog.create(database(db), Databases.uniquePrefix());
    String id = "closing-" + log.prefix;
    ChangeFeed feed = start(log, id, Duration.ofMinutes(1));
    assertThat(threadNamed("kv-change-feed-" + id)).isTrue();

    feed.close();
    feed.close();

    assertThat(((PollingChangeFeed) feed).isRunning()).isFalse();
    assertThat(threadNamed("kv-change-feed-" + id)).isFalse();
  }

  @Test
  void builderChecksItsArguments(@TempDir Path other) {
    DataSource ds = Databases.h2(other);
    assertThatThrownBy(() -> ChangeFeed.builder(ds, " ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChangeFeed.builder(ds, "x").tablePrefix("x; drop")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChangeFeed.builder(ds, "x").pollInterval(Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChangeFeed.builder(ds, "x").batchSize(5).batchSize(6)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ChangeFeed.builder(null, "x")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ChangeFeed.builder(ds, "x").tablePrefix("missing_").start())
        .isInstanceOf(io.kv.StorageException.class);
  }

  private static boolean threadNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }
}
