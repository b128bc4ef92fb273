package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.AlreadyExistsException;
import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Principal;
import io.kv.spi.ChangeListeners;
import io.kv.spi.NamespaceWatchers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock, transaction, publish-after-commit sequence, on a real H2 database. */
class CommitsTest {
  private static final ChangeEvent EVENT =
      new ChangeEvent(ChangeType.CREATED, "app", "k", 1, Instant.parse("2030-01-01T00:00:00Z"), Principal.of("p"));

  @TempDir
  Path dir;

  private CountingDataSource data;
  private final ChangeListeners listeners = new ChangeListeners();
  private final NamespaceWatchers watchers = new NamespaceWatchers();
  private final KeyLocks locks = new KeyLocks(false);
  private Commits commits;
  /** What each event's listener saw: the rows other connections could read when it was told. */
  private final List<Long> rowsSeenByListener = new ArrayList<>();

  @BeforeEach
  void open() throws SQLException {
    DataSource h2 = Databases.h2(dir);
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (k VARCHAR(10) PRIMARY KEY)");
    }
    data = new CountingDataSource(h2);
    commits = new Commits(new Tx(data, Dialect.H2), listeners, watchers);
    listeners.add(ChangeFilter.all(), e -> rowsSeenByListener.add(rows(h2)));
  }

  private static long rows(DataSource ds) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void insert(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k) VALUES ('k')")) {
      ps.executeUpdate();
    }
  }

  /** A write that inserts a row and reports one event. */
  private static Tx.Work<Commits.Done<String>> inserting(String result) {
    return c -> {
      insert(c);
      return new Commits.Done<>(result, List.of(EVENT));
    };
  }

  @Test
  void eventsArePublishedOnlyOnceTheTransactionCommitted() {
    String result = commits.run(() -> locks.lock("app", "k"), Tx.Op.of("write of", "app", "k"), inserting("written"));

    assertThat(result).isEqualTo("written");
    // The listener, told of the change, already found the row from another connection.
    assertThat(rowsSeenByListener).containsExactly(1L);
  }

  @Test
  void aRefusedWriteRollsBackAndPublishesNothing() {
    assertThatThrownBy(() -> commits.run(() -> locks.lock("app", "k"), Tx.Op.of("create of", "app", "k"), c -> {
      insert(c);
      throw new AlreadyExistsException("app", "k");
    })).isInstanceOf(AlreadyExistsException.class);

    assertThat(rowsSeenByListener).isEmpty();
    assertThat(rows(data)).isZero();
  }

  @Test
  void aShortcutThatDecidesRunsNoTransactionAndItsEventsArePublished() {
    data.reset();
    String result = commits.run(() -> locks.lock("app", "k"), () -> new Commits.Done<>("shortcut", List.of(EVENT)),
        Tx.Op.of("write of", "app", "k"), c -> {
          throw new AssertionError("the transaction must not run");
        });

    assertThat(result).isEqualTo("shortcut");
    assertThat(rowsSeenByListener).hasSize(1);
    assertThat(data.total()).isZero();
  }

  @Test
  void aShortcutThatCannotDecideLeavesItToTheTransaction() {
    String result = commits.run(() -> locks.lock("app", "k"), () -> null, Tx.Op.of("write of", "app", "k"),
        inserting("transaction"));

    assertThat(result).isEqualTo("transaction");
    assertThat(rowsSeenByListener).containsExactly(1L);
  }

  @Test
  void aChangedDeclarationIsToldToTheNamespaceWatchersAfterTheEvents() {
    List<String> heard = new ArrayList<>();
    listeners.add(ChangeFilter.all(), e -> heard.add("event " + e.key()));
    watchers.add(name -> heard.add("namespace " + name));

    commits.run(locks::lockEverything, Tx.Op.of("delete of", "app"),
        c -> new Commits.Done<>(true, List.of(EVENT), Optional.of("app")));

    assertThat(heard).containsExactly("event k", "namespace app");
  }

  @Test
  @SuppressWarnings("try") // the stripe is taken and released by try-with-resources
  void theStripesAreReleasedWhenTheWorkFails() throws InterruptedException {
    assertThatThrownBy(() -> commits.run(() -> locks.lock("app", "k"), Tx.Op.of("write of", "app", "k"), c -> {
      throw new AlreadyExistsException("app", "k");
    })).isInstanceOf(AlreadyExistsException.class);

    // Another thread takes the same stripe: it could not if the failure had kept it.
    boolean[] taken = new boolean[1];
    Thread other = new Thread(() -> {
      try (KeyLocks.Held held = locks.lock("app", "k")) {
        taken[0] = true;
      }
    });
    other.start();
    other.join(60_000);
    assertThat(taken[0]).isTrue();
  }
}
