package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.kv.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcKvStoreBuilderTest {
  private static final DataSource NO_DATABASE = new org.h2.jdbcx.JdbcDataSource();

  @ParameterizedTest
  @ValueSource(strings = {"", "KV_", "1kv_", "kv-", "kv.x", "kv x", "a23456789012345678901234567890123", "kv_;drop"})
  void aTablePrefixOutsideTheSafePatternIsRefused(String prefix) {
    assertThatThrownBy(() -> JdbcKvStore.builder(NO_DATABASE).tablePrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[a-z_][a-z0-9_]{0,30}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"kv_", "_", "a", "app_kv_2", "a234567890123456789012345678901"})
  void aSafeTablePrefixIsAccepted(String prefix) {
    assertThatCode(() -> JdbcKvStore.builder(NO_DATABASE).tablePrefix(prefix)).doesNotThrowAnyException();
  }

  @Test
  void settingsAreCheckedAtOnceAndGivenOnce() {
    assertThatThrownBy(() -> JdbcKvStore.builder(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> JdbcKvStore.builder(NO_DATABASE).schema("x; drop")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcKvStore.builder(NO_DATABASE).sweepInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcKvStore.builder(NO_DATABASE).changeRetention(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcKvStore.builder(NO_DATABASE).instanceId("x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcKvStore.builder(NO_DATABASE).limits(io.kv.InputRules.defaults().withMaxKeyBytes(513)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("512");
    assertThatThrownBy(() -> JdbcKvStore.builder(NO_DATABASE).limits(io.kv.InputRules.defaults().withMaxNamespaceLength(65)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
    assertThatThrownBy(() -> JdbcKvStore.builder(NO_DATABASE).tablePrefix("a_").tablePrefix("b_"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> JdbcKvStore.builder(NO_DATABASE).dialect(Dialect.H2).dialect(Dialect.H2))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void creatingTablesInASchemaOnSqliteIsAConfigurationError(@TempDir Path dir) {
    DataSource sqlite = new UrlDataSource("jdbc:sqlite:" + dir.resolve("kv.db").toAbsolutePath());

    assertThatThrownBy(() -> JdbcKvStore.builder(sqlite).schema("other").schemaMode(SchemaMode.CREATE).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("not supported on SQLite");
  }
}
