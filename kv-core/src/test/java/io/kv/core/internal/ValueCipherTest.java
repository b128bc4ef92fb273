package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kv.DecryptionException;
import io.kv.Value;
import io.kv.ValueType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValueCipherTest {
  private static final String SECRET = "s3cr3t-plaintext-42";

  private final byte[] a = TestKeys.random();
  private final byte[] b = TestKeys.random();
  private final ValueCipher cipher = new ValueCipher(TestKeys.ring("a", "a", a));

  static Stream<Value> values() {
    return Stream.of(
        Value.string(SECRET),
        Value.json("{\"password\":\"" + SECRET + "\"}"),
        Value.number("12345.6789"),
        Value.bool(true),
        Value.binary(SECRET.getBytes(StandardCharsets.UTF_8)),
        Value.string(""));
  }

  @ParameterizedTest
  @MethodSource("values")
  void sealsEveryValueTypeIntoABinaryEnvelopeAndOpensItBack(Value value) throws Exception {
    Value sealed = cipher.encrypt("vault", "db/password", value);

    assertThat(sealed.type()).isEqualTo(ValueType.BINARY);
    assertThat(sealed.size()).isEqualTo(3 + 1 + 12 + value.size() + 16);
    assertThat(new ValueCipher(TestKeys.single("k".repeat(64))).encrypt("vault", "k", value).size())
        .isEqualTo(value.size() + ValueCipher.MAX_OVERHEAD);
    assertThat(TestKeys.contains(sealed.bytes(), SECRET.getBytes(StandardCharsets.UTF_8))).isFalse();
    Envelope env = Envelope.parse(sealed.bytes());
    assertThat(env.type()).isEqualTo(value.type());
    assertThat(env.keyId()).isEqualTo("a");
    assertThat(cipher.decrypt("vault", "db/password", sealed)).isEqualTo(value);
  }

  @Test
  void everySealingUsesAFreshIv() {
    Value value = Value.string(SECRET);
    Set<String> ivs = new HashSet<>();
    Set<Value> sealed = new HashSet<>();

    for (int i = 0; i < 100; i++) {
      Value s = cipher.encrypt("vault", "k", value);
      sealed.add(s);
      ivs.add(new String(s.bytes(), 4, 12, StandardCharsets.ISO_8859_1));
    }

    assertThat(sealed).hasSize(100);
    assertThat(ivs).hasSize(100);
  }

  @Test
  void everyFlippedBitOfIvCiphertextOrTagFailsAuthentication() {
    byte[] sealed = cipher.encrypt("vault", "k", Value.string(SECRET)).bytes();

    // Header "1 1 1 a", then the IV from byte 4, the ciphertext from byte 16, the tag in the last 16.
    for (int i = 4; i < sealed.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] altered = sealed.clone();
        altered[i] ^= (byte) (1 << bit);
        Value v = Value.binary(altered);
        assertThatThrownBy(() -> cipher.decrypt("vault", "k", v))
            .as("bit %d of byte %d", bit, i)
            .isInstanceOf(DecryptionException.class)
            .hasMessageContaining("authentication failed under key id 'a'")
            .hasCauseInstanceOf(AEADBadTagException.class);
      }
    }
  }

  @Test
  void aChangedValueTypeInTheHeaderFailsAuthentication() {
    byte[] sealed = cipher.encrypt("vault", "k", Value.string("12")).bytes();
    sealed[1] = 3; // NUMBER, for which "12" would be a valid value

    assertThatThrownBy(() -> cipher.decrypt("vault", "k", Value.binary(sealed)))
        .isInstanceOf(DecryptionException.class)
        .hasCauseInstanceOf(AEADBadTagException.class);
  }

  @Test
  void aTruncatedEnvelopeFails() {
    byte[] sealed = cipher.encrypt("vault", "k", Value.string(SECRET)).bytes();

    for (int length : new int[] {sealed.length - 1, 4 + 12 + 16}) {
      Value v = Value.binary(Arrays.copyOf(sealed, length));
      assertThatThrownBy(() -> cipher.decrypt("vault", "k", v)).isInstanceOf(DecryptionException.class)
          .hasCauseInstanceOf(AEADBadTagException.class);
    }
    Value tooShort = Value.binary(Arrays.copyOf(sealed, 4 + 12 + 15));
    assertThatThrownBy(() -> cipher.decrypt("vault", "k", tooShort)).isInstanceOf(DecryptionException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void anEnvelopeMovedToAnotherKeyOrNamespaceDoesNotOpen() {
    Value sealed = cipher.encrypt("vault", "db/password", Value.string(SECRET));

    assertThat(cipher.decrypt("vault", "db/password", sealed)).isEqualTo(Value.string(SECRET));
    for (String[] where : new String[][] {{"vault", "db/user"}, {"vault2", "db/password"}, {"vaul", "tdb/password"}}) {
      assertThatThrownBy(() -> cipher.decrypt(where[0], where[1], sealed))
          .isInstanceOf(DecryptionException.class)
          .hasMessageContaining("'" + where[0] + "/" + where[1] + "'")
          .hasCauseInstanceOf(AEADBadTagException.class);
    }
  }

  @Test
  void namespaceAndKeyAreLengthPrefixedInTheAssociatedData() {
    byte[] header = Envelope.header(ValueType.STRING, "a");

    assertThat(ValueCipher.aad(header, "a:b", "c")).isNotEqualTo(ValueCipher.aad(header, "a", "b:c"));
    assertThat(ValueCipher.aad(header, "ab", "c")).isNotEqualTo(ValueCipher.aad(header, "a", "bc"));
    assertThat(ValueCipher.aad(header, "a", "b")).containsExactly(1, 1, 1, 'a', 0, 0, 0, 1, 'a', 0, 0, 0, 1, 'b');

    // Same namespace, so the same derived key: only the associated data tells the keys apart.
    Value sealed = cipher.encrypt("vault", "a:b/c", Value.string(SECRET));
    assertThatThrownBy(() -> cipher.decrypt("vault", "a:b/c ", sealed)).isInstanceOf(DecryptionException.class);
  }

  /** Namespace and key pairs: ASCII, two-, three- and four-byte UTF-8, mixed, and longer than a thread's buffer. */
  static Stream<Arguments> places() {
    String[][] pairs = {
      {"vault", "db/password"},
      {"caf\u00e9", "r\u00e9sum\u00e9/cl\u00e9"},
      {"\u65e5\u672c", "\u8a2d\u5b9a/\u30ad\u30fc"},
      {"keys-\ud83d\udd11", "a/\ud83d\ude00/b"},
      {"vault", "ascii/prefix/then-\u00fcml\u00e4ut"},
      {"n".repeat(200) + "\u00e9", "k/".repeat(300) + "\u20ac"},
      {"n".repeat(200), "k/".repeat(600)},
      // Around the end of a thread's 1,024-byte buffer, which holds header, lengths, namespace
      // and key: the tail alone fits, but not with the header; and all of it fits with bytes to spare.
      {"n".repeat(200), "k".repeat(810)},
      {"n".repeat(200), "k".repeat(790)},
    };
    return Arrays.stream(pairs).map(p -> Arguments.of(p[0], p[1]));
  }

  /**
   * Pins the associated data with an AAD built here by hand and the JDK's own AES-GCM: whatever
   * shortcut the cipher takes to build it, the bytes stay header, then u32 length and UTF-8 of
   * namespace and key, so values sealed before still open and values sealed now open elsewhere.
   */
  @ParameterizedTest
  @MethodSource("places")
  void theAssociatedDataIsTheHeaderThenLengthPrefixedUtf8OfNamespaceAndKey(String namespace, String key) throws Exception {
    byte[] header = Envelope.header(ValueType.STRING, "a");
    byte[] expectedAad = handMadeAad(header, namespace, key);
    SecretKey nsKey = cipher.keys().namespaceKey("a", namespace).orElseThrow();

    assertThat(ValueCipher.aad(header, namespace, key)).isEqualTo(expectedAad);

    // Sealed by the cipher, opened by hand.
    byte[] sealed = cipher.encrypt(namespace, key, Value.string(SECRET)).bytes();
    Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
    jdk.init(Cipher.DECRYPT_MODE, nsKey, new GCMParameterSpec(128, sealed, header.length, 12));
    jdk.updateAAD(expectedAad);
    byte[] opened = jdk.doFinal(sealed, header.length + 12, sealed.length - header.length - 12);
    assertThat(new String(opened, StandardCharsets.UTF_8)).isEqualTo(SECRET);

    // Sealed by hand, opened by the cipher.
    byte[] iv = new byte[12];
    iv[11] = 1;
    jdk.init(Cipher.ENCRYPT_MODE, nsKey, new GCMParameterSpec(128, iv));
    jdk.updateAAD(expectedAad);
    byte[] ct = jdk.doFinal(SECRET.getBytes(StandardCharsets.UTF_8));
    byte[] envelope = ByteBuffer.allocate(header.length + 12 + ct.length).put(header).put(iv).put(ct).array();
    assertThat(cipher.decrypt(namespace, key, Value.binary(envelope))).isEqualTo(Value.string(SECRET));
    assertThatThrownBy(() -> cipher.decrypt(namespace, key + "x", Value.binary(envelope)))
        .isInstanceOf(DecryptionException.class)
        .hasCauseInstanceOf(AEADBadTagException.class);
  }

  private static byte[] handMadeAad(byte[] header, String namespace, String key) {
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(header.length + 8 + ns.length + k.length)
        .put(header).putInt(ns.length).put(ns).putInt(k.length).put(k).array();
  }

  @Test
  void namespacesTakenInTurnEachOpenWithTheirOwnKeyOnly() {
    ValueCipher other = new ValueCipher(TestKeys.ring("b", "b", b, "a", a));
    Value inOne = cipher.encrypt("one", "k", Value.string("1"));
    Value inTwo = cipher.encrypt("two", "k", Value.string("2"));
    Value otherInOne = other.encrypt("one", "k", Value.string("3"));

    for (int i = 0; i < 3; i++) {
      assertThat(cipher.decrypt("one", "k", inOne)).isEqualTo(Value.string("1"));
      assertThat(cipher.decrypt("two", "k", inTwo)).isEqualTo(Value.string("2"));
      assertThat(other.decrypt("one", "k", otherInOne)).isEqualTo(Value.string("3"));
      assertThat(other.decrypt("one", "k", inOne)).isEqualTo(Value.string("1"));
      assertThatThrownBy(() -> cipher.decrypt("two", "k", inOne)).isInstanceOf(DecryptionException.class);
      assertThatThrownBy(() -> cipher.decrypt("one", "k", otherInOne)).isInstanceOf(DecryptionException.class);
    }
  }

  @Test
  void aKeyIdTheRingDoesNotHoldFailsWithoutTouchingTheCipher() {
    Value sealed = cipher.encrypt("vault", "k", Value.string(SECRET));
    ValueCipher other = new ValueCipher(TestKeys.ring("b", "b", b));

    assertThatThrownBy(() -> other.decrypt("vault", "k", sealed))
        .isInstanceOf(DecryptionException.class)
        .hasMessage("cannot decrypt entry 'vault/k': it was encrypted with master key id 'a', which is not in the key ring [b]")
        .hasNoCause();
  }

  @Test
  void theSameKeyIdWithOtherKeyBytesFailsAuthentication() {
    Value sealed = cipher.encrypt("vault", "k", Value.string(SECRET));
    ValueCipher impostor = new ValueCipher(TestKeys.ring("a", "a", b));

    assertThatThrownBy(() -> impostor.decrypt("vault", "k", sealed))
        .isInstanceOf(DecryptionException.class)
        .hasCauseInstanceOf(AEADBadTagException.class);
  }

  @Test
  void whatIsNotAnEnvelopeFailsWithAClearReason() {
    byte[] sealed = cipher.encrypt("vault", "k", Value.string(SECRET)).bytes();
    byte[] unknownFormat = sealed.clone();
    unknownFormat[0] = 7;

    assertThatThrownBy(() -> cipher.decrypt("vault", "k", Value.string(SECRET)))
        .isInstanceOf(DecryptionException.class)
        .hasMessage("cannot decrypt entry 'vault/k': the stored value is STRING, not an encrypted value");
    assertThatThrownBy(() -> cipher.decrypt("vault", "k", Value.binary(unknownFormat)))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("unknown envelope format 7");
    assertThatThrownBy(() -> cipher.decrypt("vault", "k", Value.binary(new byte[0])))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("too short");
  }

  @ParameterizedTest
  @MethodSource("values")
  void noMessageOrToStringShowsThePlaintext(Value value) {
    Value sealed = cipher.encrypt("vault", "k", value);
    byte[] altered = sealed.bytes();
    altered[altered.length - 1] ^= 1;

    Throwable t = catchThrowable(() -> cipher.decrypt("vault", "k", Value.binary(altered)));

    assertThat(t).isInstanceOf(DecryptionException.class);
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertThat(String.valueOf(c.getMessage())).doesNotContain(SECRET);
      assertThat(c.toString()).doesNotContain(SECRET);
    }
    assertThat(sealed.toString()).doesNotContain(SECRET);
    assertThat(cipher.keys().toString()).doesNotContain(new String(a, StandardCharsets.ISO_8859_1));
  }

  @Test
  void reencryptMovesOldValuesToThePrimaryKeyAndLeavesCurrentOnesAlone() throws Exception {
    Value underA = cipher.encrypt("vault", "k", Value.string(SECRET));
    ValueCipher rotated = new ValueCipher(TestKeys.ring("b", "a", a, "b", b));

    Value underB = rotated.reencrypt("vault", "k", underA);

    assertThat(Envelope.parse(underB.bytes()).keyId()).isEqualTo("b");
    assertThat(rotated.decrypt("vault", "k", underB)).isEqualTo(Value.string(SECRET));
    assertThat(rotated.reencrypt("vault", "k", underB)).isSameAs(underB);
    assertThat(new ValueCipher(TestKeys.ring("b", "b", b)).decrypt("vault", "k", underB)).isEqualTo(Value.string(SECRET));
  }
}
