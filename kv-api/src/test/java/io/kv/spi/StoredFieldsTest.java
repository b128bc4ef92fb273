package io.kv.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.WriteOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StoredFieldsTest {
  @Test
  void aDefaultTtlOfZeroFromAnEarlierBuildReadsAsOneMillisecond() {
    NamespaceSettings s = StoredFields.namespaceSettings("d", "o", true, OptionalLong.of(0), 3);
    assertThat(s.defaultTtl()).contains(Duration.ofMillis(1));
    assertThat(s.secret()).isTrue();
    assertThat(s.maxVersions()).isEqualTo(3);
    assertThat(StoredFields.defaultTtl(OptionalLong.of(-5))).contains(Duration.ofMillis(1));
    assertThat(StoredFields.defaultTtl(OptionalLong.of(Long.MAX_VALUE))).contains(WriteOptions.MAX_TTL);
    assertThat(StoredFields.defaultTtl(OptionalLong.empty())).isEmpty();
    assertThat(StoredFields.defaultTtl(OptionalLong.of(60_000))).contains(Duration.ofMinutes(1));
  }

  @Test
  void settingsWithinTheRulesReadBackUnchanged() {
    NamespaceSettings s = NamespaceSettings.defaults().withDescription("what \uD83D\uDE00").withOwner("team")
        .withDefaultTtl(Duration.ofHours(2)).withMaxVersions(7);
    assertThat(StoredFields.namespaceSettings(s.description(), s.owner(), false, OptionalLong.of(7_200_000), 7)).isEqualTo(s);
  }

  @Test
  void textBreakingTheRulesIsRepairedNotRefused() {
    assertThat(StoredFields.text("a\u0000b\nc", 10)).isEqualTo("a\uFFFDb\uFFFDc");
    assertThat(StoredFields.text("x\uD800y\uDC00", 10)).isEqualTo("x\uFFFDy\uFFFD");
    assertThat(StoredFields.text("ok\uD83D\uDE00", 10)).isEqualTo("ok\uD83D\uDE00");
    assertThat(StoredFields.text("abcdef", 3)).isEqualTo("abc");
    assertThat(StoredFields.text("ab\uD83D\uDE00", 3)).as("never half a pair").isEqualTo("ab");
    assertThat(StoredFields.text(null, 3)).isEmpty();

    NamespaceSettings s = StoredFields.namespaceSettings("d\u0000".repeat(1000), null, false, OptionalLong.empty(), 5000);
    assertThat(s.description()).hasSize(NamespaceSettings.MAX_DESCRIPTION_LENGTH).doesNotContain("\u0000");
    assertThat(s.owner()).isEmpty();
    assertThat(s.maxVersions()).isEqualTo(NamespaceSettings.MAX_VERSIONS_LIMIT);
  }

  @Test
  void reasonsAndPrincipalsAreRepairedToTheirRules() {
    assertThat(StoredFields.reason(null)).isEmpty();
    assertThat(StoredFields.reason("r".repeat(4 << 20))).hasValueSatisfying(r -> assertThat(r).hasSize(WriteOptions.MAX_REASON_LENGTH));
    assertThat(StoredFields.reason("two\nlines")).contains("two\uFFFDlines");
    assertThat(StoredFields.principal("alice")).isEqualTo(Principal.of("alice"));
    assertThat(StoredFields.principal("ali\u0000ce").name()).isEqualTo("ali\uFFFDce");
    assertThat(StoredFields.principal("").name()).isEqualTo("\uFFFD");
    assertThat(StoredFields.principal("p".repeat(300)).name()).hasSize(Principal.MAX_NAME_LENGTH);
    assertThat(Optional.of(StoredFields.principal(null))).isPresent();
  }
}
