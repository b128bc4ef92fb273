package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyRingTest {
  private final String textA = random();
  private final MasterKey a = MasterKeys.fromBase64(textA);
  private final MasterKey b = MasterKeys.fromBase64(random());

  private static String random() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  @Test
  void holdsKeysByIdWithOnePrimary() {
    KeyRing ring = KeyRing.builder().add("b", b).add("a", a).primary("b").build();

    assertThat(ring.primaryId()).isEqualTo("b");
    assertThat(ring.ids()).containsExactly("a", "b");
    assertThat(ring.material().primaryId()).isEqualTo("b");
  }

  @Test
  void aSingleKeyIsPrimaryWithoutBeingNamed() {
    assertThat(KeyRing.builder().add("only", a).build().primaryId()).isEqualTo("only");
    assertThat(KeyRing.of("k1", a).primaryId()).isEqualTo("k1");
  }

  @Test
  void toStringShowsIdsAndNeverAKey() {
    KeyRing ring = KeyRing.builder().add("2024", a).add("2025", b).primary("2025").build();

    assertThat(ring).hasToString("KeyRing[primary=2025, ids=[2024, 2025]]");
    assertThat(ring.toString()).doesNotContain(textA);
  }

  @Test
  void theBuilderChecksEachSettingAtOnce() {
    KeyRing.Builder builder = KeyRing.builder().add("a", a);

    assertThatThrownBy(() -> builder.add("a", b))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("key id 'a' was already added");
    assertThatThrownBy(() -> builder.add("not valid", b)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.add(textA, b))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(textA));
    assertThatThrownBy(() -> builder.add("b", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.add(null, b)).isInstanceOf(NullPointerException.class);
    builder.primary("a");
    assertThatThrownBy(() -> builder.primary("a"))
        .isInstanceOf(IllegalStateException.class).hasMessage("the primary key was already chosen");
  }

  @Test
  void buildRefusesRingsWithoutAClearPrimary() {
    assertThatThrownBy(() -> KeyRing.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessage("a key ring needs at least one key");
    assertThatThrownBy(() -> KeyRing.builder().add("a", a).add("b", b).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs primary(id)");
    assertThatThrownBy(() -> KeyRing.builder().add("a", a).primary("c").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the primary key id 'c' names no added key; the ring holds [a]");
  }

  @Test
  void theBuilderCanBeReused() {
    KeyRing.Builder builder = KeyRing.builder().add("a", a);
    KeyRing first = builder.build();
    KeyRing second = builder.add("b", b).primary("b").build();

    assertThat(first.ids()).containsExactly("a");
    assertThat(second.ids()).containsExactly("a", "b");
  }
}
