package io.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every free-text field a store keeps (a write's reason, a history record's reason, a principal's
 * name, a namespace's description and owner) is checked where its value type is built.
 */
class TextFieldsTest {
  private static final String[] BROKEN = {"a\u0000b", "line\nbreak", "tab\t", "\u007F", "\u0085", "lone \uD800", "lone \uDC00",
      "\uDC00\uD800"};

  private static void refused(String field, Consumer<String> build, String text) {
    assertThatThrownBy(() -> build.accept(text))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field))
        .satisfies(e -> {
          if (!text.isBlank()) {
            assertThat(e.getMessage()).doesNotContain(text);
          }
        });
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
  void eachFieldRefusesControlCharactersAndUnpairedSurrogates(int which) {
    String text = BROKEN[which];
    refused("reason", t -> WriteOptions.none().withReason(t), text);
    refused("reason", t -> new VersionRecord(1, Value.string("v"), ChangeType.CREATED, Principal.ANONYMOUS,
        Instant.EPOCH, Optional.of(t)), text);
    refused("principal", Principal::of, "p" + text);
    refused("description", t -> NamespaceSettings.defaults().withDescription(t), text);
    refused("owner", t -> NamespaceSettings.defaults().withOwner(t), text);
  }

  @Test
  void eachFieldHasALengthLimitCountedInChars() {
    String pairs = "\uD83D\uDE00".repeat(WriteOptions.MAX_REASON_LENGTH / 2);
    assertThat(WriteOptions.none().withReason(pairs).reason()).contains(pairs);
    assertThatThrownBy(() -> WriteOptions.none().withReason(pairs + "x")).hasMessage("reason must be at most 1024 characters (was 1025)");
    assertThatThrownBy(() -> WriteOptions.none().withReason("r".repeat(4 << 20)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("reason"));

    NamespaceSettings s = NamespaceSettings.defaults()
        .withDescription("d".repeat(NamespaceSettings.MAX_DESCRIPTION_LENGTH)).withOwner("o".repeat(NamespaceSettings.MAX_OWNER_LENGTH));
    assertThat(s.description()).hasSize(1024);
    assertThat(s.owner()).hasSize(256);
    refused("description", t -> NamespaceSettings.defaults().withDescription(t), "d".repeat(1025));
    refused("owner", t -> NamespaceSettings.defaults().withOwner(t), "o".repeat(257));
    assertThat(Principal.of("p".repeat(Principal.MAX_NAME_LENGTH)).name()).hasSize(256);
    refused("principal", Principal::of, "p".repeat(257));
  }

  @Test
  void textWithinTheRulesIsKeptAsGiven() {
    String text = "Grüße, 世界 \uD83D\uDE00 — space and punctuation!";
    assertThat(WriteOptions.none().withReason(text).reason()).contains(text);
    assertThat(WriteOptions.none().withReason("").reason()).contains("");
    assertThat(Principal.of(text).name()).isEqualTo(text);
    assertThat(NamespaceSettings.defaults().withDescription(text).withOwner(text))
        .extracting(NamespaceSettings::description, NamespaceSettings::owner).containsExactly(text, text);
  }

  @Test
  void aPrincipalIsNeverBlank() {
    refused("principal", Principal::of, "");
    refused("principal", Principal::of, "   ");
  }

  @Test
  void aTtlIsRefusedWithoutOverflowWhenHuge() {
    for (Duration huge : new Duration[] {Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofMillis(Long.MAX_VALUE),
        java.time.temporal.ChronoUnit.FOREVER.getDuration()}) {
      assertThatThrownBy(() -> WriteOptions.ttl(huge)).hasMessage("ttl must be at most 36500 days");
      assertThatThrownBy(() -> NamespaceSettings.defaults().withDefaultTtl(huge)).hasMessage("defaultTtl must be at most 36500 days");
    }
  }
}
