package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.ConfigurationException;
import io.kv.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What building a store reports when it cannot connect: the true cause, never a credential. */
class ConnectionFailuresTest {
  private static final String WRONG = "wrong-Pa55word";

  @Test
  void aWrongPasswordOnPostgresIsAConfigurationErrorWithTheSqlExceptionAsCause() throws SQLException {
    String role = "kv_pw_" + TestDatabases.freshPrefix().replace("_", "");
    try (Connection c = TestDatabases.postgresServer().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'right-Pa55word'");
      requirePasswordsOf(s, role);
    }
    UrlDataSource ds = postgres(role, WRONG);

    Throwable t = catchThrowable(() -> JdbcKvStore.builder(ds).build());

    assertThat(t).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("refused the credentials").hasMessageContaining("SQL state 28P01")
        .hasMessageNotContaining("dialect").hasCauseInstanceOf(SQLException.class);
    assertThat(((SQLException) t.getCause()).getSQLState()).isEqualTo("28P01");
    assertNoSecretIn(t, WRONG);
  }

  @Test
  void aWrongPasswordOnAnExistingH2FileIsAConfigurationErrorEvenWithTheDialectGiven(@TempDir Path dir) throws SQLException {
    UrlDataSource right = h2(dir, "right-Pa55word");
    try (Connection c = right.getConnection()) {
      assertThat(c.isValid(1)).isTrue();
    }
    UrlDataSource wrong = h2(dir, WRONG);

    for (Dialect given : new Dialect[] {null, Dialect.H2}) {
      JdbcKvStore.Builder b = JdbcKvStore.builder(wrong);
      if (given != null) {
        b.dialect(given);
      }
      Throwable t = catchThrowable(b::build);

      assertThat(t).isInstanceOf(ConfigurationException.class).hasMessageContaining("SQL state 28000")
          .hasMessageContaining(UrlDataSource.class.getName()).hasCauseInstanceOf(SQLException.class);
      assertNoSecretIn(t, WRONG);
    }
  }

  @Test
  void aServerThatDoesNotAnswerIsAStorageFailureSayingTheConnectionFailed() {
    UrlDataSource ds = new UrlDataSource(TestDatabases.postgresUrl(1, "kv-connection-failures"));

    Throwable t = catchThrowable(() -> JdbcKvStore.builder(ds).build());

    assertThat(t).isInstanceOf(StorageException.class).hasMessageStartingWith("connection to the database through")
        .hasMessageContaining("failed: SQL state 08").hasCauseInstanceOf(SQLException.class);
  }

  @Test
  void aPoolWithoutADriverForItsUrlIsAConfigurationErrorThatKeepsTheUrlsPasswordOut() {
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl("jdbc:nosuchdb://localhost/kv?password=" + WRONG);
      pool.setInitializationFailTimeout(-1);

      Throwable t = catchThrowable(() -> JdbcKvStore.builder(pool).build());

      assertThat(t).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(HikariDataSource.class.getName()).hasMessageContaining("JDBC driver")
          .hasCauseInstanceOf(SQLException.class);
      assertNoSecretIn(t, WRONG);
    }
  }

  private static UrlDataSource h2(Path dir, String password) {
    return new UrlDataSource("jdbc:h2:file:" + dir.resolve("kv").toAbsolutePath() + ";USER=sa;PASSWORD=" + password);
  }

  private static UrlDataSource postgres(String role, String password) {
    return new UrlDataSource("jdbc:postgresql://localhost:" + TestDatabases.postgresPort() + "/postgres?user=" + role
        + "&password=" + password);
  }

  /**
   * The embedded server trusts every local connection; lines for this one role at the top of its
   * pg_hba.conf make it ask for the password, and leave every other role of the run as it was.
   */
  private static void requirePasswordsOf(Statement s, String role) throws SQLException {
    String file;
    try (var rs = s.executeQuery("SHOW hba_file")) {
      rs.next();
      file = rs.getString(1);
    }
    try {
      Path hba = Path.of(file);
      List<String> lines = new ArrayList<>(List.of("host all " + role + " 127.0.0.1/32 md5", "host all " + role + " ::1/128 md5"));
      lines.addAll(java.nio.file.Files.readAllLines(hba));
      java.nio.file.Files.write(hba, lines);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    s.execute("SELECT pg_reload_conf()");
    // The server rereads the file when it handles the signal; a few connections may still find
    // it trusting. Each try connects for real, so this waits for the reload, not for time.
    UrlDataSource probe = postgres(role, WRONG);
    for (int i = 0; i < 1000; i++) {
      try (Connection c = probe.getConnection()) {
        assertThat(c).isNotNull();
      } catch (SQLException e) {
        return;
      }
    }
    throw new AssertionError("the server kept trusting role " + role + " after pg_reload_conf()");
  }

  private static void assertNoSecretIn(Throwable t, String secret) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertThat(c.toString()).doesNotContain(secret);
    }
  }
}
