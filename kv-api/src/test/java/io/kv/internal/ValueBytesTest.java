package io.kv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.Value;
import io.kv.ValueType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ValueBytesTest {
  @Test
  void rawIsTheValuesOwnArrayAndBytesStaysACopy() {
    Value v = Value.string("héllo");
    byte[] raw = ValueBytes.raw(v);
    assertThat(raw).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    assertThat(ValueBytes.raw(v)).isSameAs(raw);
    assertThat(v.bytes()).isNotSameAs(raw).isEqualTo(raw);
  }

  @Test
  void adoptKeepsTheArrayWithoutCopying() {
    byte[] bytes = {1, 2, 3};
    Value v = ValueBytes.adopt(ValueType.BINARY, bytes);
    assertThat(v.type()).isEqualTo(ValueType.BINARY);
    assertThat(ValueBytes.raw(v)).isSameAs(bytes);
    assertThat(v).isEqualTo(Value.binary(new byte[] {1, 2, 3}));
  }

  @Test
  void adoptedBooleansAreTheSharedConstants() {
    assertThat(ValueBytes.adopt(ValueType.BOOLEAN, "true".getBytes(StandardCharsets.US_ASCII))).isSameAs(Value.bool(true));
    assertThat(ValueBytes.adopt(ValueType.BOOLEAN, "false".getBytes(StandardCharsets.US_ASCII))).isSameAs(Value.bool(false));
  }

  @Test
  void onlyValueInstallsItsAccess() {
    Value.bool(true);
    assertThatThrownBy(() -> ValueBytes.install(new ValueBytes.Access() {
      @Override
      public byte[] raw(Value value) {
        return new byte[0];
      }

      @Override
      public Value adopt(ValueType type, byte[] bytes) {
        return null;
      }
    })).isInstanceOf(IllegalStateException.class);
    assertThat(ValueBytes.raw(Value.string("x"))).containsExactly('x');
  }

  @Test
  void nullsAreRefused() {
    assertThatThrownBy(() -> ValueBytes.raw(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ValueBytes.adopt(null, new byte[0])).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ValueBytes.adopt(ValueType.BINARY, null)).isInstanceOf(NullPointerException.class);
  }
}
