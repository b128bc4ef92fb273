package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ValueType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvelopeTest {

  @Test
  void headerIsVersionTypeCodeKeyIdLengthAndKeyId() {
    assertThat(Envelope.header(ValueType.STRING, "k1")).containsExactly(1, 1, 2, 'k', '1');
    assertThat(Envelope.header(ValueType.JSON, "k")[1]).isEqualTo((byte) 2);
    assertThat(Envelope.header(ValueType.NUMBER, "k")[1]).isEqualTo((byte) 3);
    assertThat(Envelope.header(ValueType.BOOLEAN, "k")[1]).isEqualTo((byte) 4);
    assertThat(Envelope.header(ValueType.BINARY, "k")[1]).isEqualTo((byte) 5);
  }

  @ParameterizedTest
  @EnumSource(ValueType.class)
  void parseReadsBackWhatTheHeaderWrote(ValueType type) throws Exception {
    byte[] bytes = envelope(Envelope.header(type, "2025-06"), 0);

    Envelope env = Envelope.parse(bytes);

    assertThat(env.type()).isEqualTo(type);
    assertThat(env.keyId()).isEqualTo("2025-06");
    assertThat(env.header()).isEqualTo(Envelope.header(type, "2025-06"));
    assertThat(env.ivOffset()).isEqualTo(10);
    assertThat(env.sealedOffset()).isEqualTo(22);
    assertThat(env.bytes()).isSameAs(bytes);
  }

  @Test
  void parseRefusesWhatIsNotAVersionOneEnvelope() {
    byte[] header = Envelope.header(ValueType.STRING, "k1");

    assertMalformed(new byte[] {1, 1}, "too short");
    assertMalformed(envelope(new byte[] {2, 1, 2, 'k', '1'}, 0), "unknown envelope format 2");
    assertMalformed(envelope(new byte[] {1, 9, 2, 'k', '1'}, 0), "unknown value type code 9");
    assertMalformed(envelope(new byte[] {1, 1, 0}, 0), "key id is malformed");
    assertMalformed(envelope(new byte[] {1, 1, 2, 'k', ':'}, 0), "key id is malformed");
    assertMalformed(Arrays.copyOf(envelope(header, 0), header.length + 12 + 15), "truncated");
    assertMalformed(new byte[] {1, 1, (byte) 200, 'k'}, "truncated");
  }

  /** {@code header}, then a zero IV, {@code ciphertext} zero bytes and a zero tag. */
  private static byte[] envelope(byte[] header, int ciphertext) {
    return Arrays.copyOf(header, header.length + Envelope.IV_BYTES + ciphertext + Envelope.TAG_BYTES);
  }

  private static void assertMalformed(byte[] bytes, String detail) {
    assertThatThrownBy(() -> Envelope.parse(bytes)).isInstanceOf(Envelope.MalformedException.class).hasMessageContaining(detail);
  }
}
