package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

  @Test
  void isRedactedComparedByIdentityAndHandsOutCopies() {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) 7);
    MasterKey key = new MasterKey(bytes.clone());
    MasterKey same = new MasterKey(bytes.clone());

    assertThat(key).hasToString("MasterKey[redacted]").isNotEqualTo(same);
    assertThat(key.bytes()).isEqualTo(bytes).isNotSameAs(key.bytes());
    key.bytes()[0] = 0;
    assertThat(key.bytes()).isEqualTo(bytes);
  }

  @Test
  void mustBeThirtyTwoBytes() {
    assertThatThrownBy(() -> new MasterKey(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a master key must be 32 bytes (was 16)");
  }
}
