package io.kv.core.internal;

import io.kv.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The stored form of an encrypted value, version 1. The backend keeps it as a {@link
 * ValueType#BINARY} value:
 *
 * <pre>
 * offset  size  field
 * 0       1     format version, 0x01
 * 1       1     the plaintext's value type: 1 STRING, 2 JSON, 3 NUMBER, 4 BOOLEAN, 5 BINARY
 * 2       1     key id length n, 1 to 64
 * 3       n     key id, ASCII (see {@link KeyMaterial#checkKeyId})
 * 3+n     12    AES-GCM IV (nonce)
 * 15+n    rest  AES-GCM ciphertext followed by its 16-byte tag
 * </pre>
 *
 * The first {@code 3+n} bytes are the header. The header is part of the associated data, so the
 * version, the value type and the key id cannot be changed without failing authentication. The
 * type codes are fixed here, not taken from the enum's order, so reordering {@link ValueType}
 * never changes what stored bytes mean.
 *
 * <p>Instances are immutable views over a byte array they own; thread-safe.
 */
final class Envelope {
  static final byte VERSION = 1;
  static final int IV_BYTES = 12;
  static final int TAG_BYTES = 16;
  private static final int FIXED_HEADER = 3;

  /** Why bytes are not an envelope of this version; the detail names no content. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String detail) {
      super(detail, null, false, false);
    }
  }

  private final byte[] bytes;
  private final ValueType type;
  private final String keyId;
  private final int headerLength;

  private Envelope(byte[] bytes, ValueType type, String keyId, int headerLength) {
    this.bytes = bytes;
    this.type = type;
    this.keyId = keyId;
    this.headerLength = headerLength;
  }

  /**
   * The header of an envelope for a value of {@code type} sealed under {@code keyId}; the caller
   * appends the IV and the ciphertext.
   */
  static byte[] header(ValueType type, String keyId) {
    byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
    byte[] h = new byte[headerLength(id)];
    writeHeader(h, type, id);
    return h;
  }

  /** The length of the header of an envelope sealed under the key id whose ASCII bytes are {@code keyId}. */
  static int headerLength(byte[] keyId) {
    return FIXED_HEADER + keyId.length;
  }

  /**
   * Writes the header {@link #header} would make into the start of {@code out}, where the caller
   * then puts the IV and the ciphertext.
   *
   * @return the header's length
   */
  static int writeHeader(byte[] out, ValueType type, byte[] keyId) {
    out[0] = VERSION;
    out[1] = code(type);
    out[2] = (byte) keyId.length;
    System.arraycopy(keyId, 0, out, FIXED_HEADER, keyId.length);
    return FIXED_HEADER + keyId.length;
  }

  /**
   * The header length of {@code bytes} if their header reads as one of this version with room for
   * the IV and the tag after it; -1 if not, and {@link #parse} then says why. Allocates nothing:
   * for opening a value without an {@code Envelope}. The key id is not checked here; the caller
   * finds it in its ring with {@link #keyIdOffset()} and the length at {@code bytes[2]}.
   */
  static int checkedHeaderLength(byte[] bytes) {
    if (bytes.length < FIXED_HEADER || bytes[0] != VERSION || type(bytes[1]) == null) {
      return -1;
    }
    int headerLength = FIXED_HEADER + (bytes[2] & 0xff);
    return bytes.length < headerLength + IV_BYTES + TAG_BYTES ? -1 : headerLength;
  }

  /** Where the key id starts in an envelope; its length is the byte before. */
  static int keyIdOffset() {
    return FIXED_HEADER;
  }

  /** The plaintext's type in an envelope that {@link #checkedHeaderLength} accepted. */
  static ValueType typeOf(byte[] bytes) {
    return type(bytes[1]);
  }

  /**
   * Reads the header of {@code bytes} (which it keeps; do not change them afterwards).
   *
   * @throws MalformedException if the bytes are not a version 1 envelope
   */
  static Envelope parse(byte[] bytes) throws MalformedException {
    return parse(bytes, null);
  }

  /**
   * As {@link #parse(byte[])}, taking the key id's string from {@code ring} when it holds that
   * id (null: no ring), so opening a value under a known key makes no string.
   */
  static Envelope parse(byte[] bytes, KeyMaterial ring) throws MalformedException {
    if (bytes.length < FIXED_HEADER) {
      throw new MalformedException("the stored value is too short to be encrypted");
    }
    if (bytes[0] != VERSION) {
      throw new MalformedException("unknown envelope format " + (bytes[0] & 0xff));
    }
    ValueType type = type(bytes[1]);
    if (type == null) {
      throw new MalformedException("unknown value type code " + (bytes[1] & 0xff));
    }
    int idLength = bytes[2] & 0xff;
    int headerLength = FIXED_HEADER + idLength;
    if (bytes.length < headerLength + IV_BYTES + TAG_BYTES) {
      throw new MalformedException("the envelope is truncated");
    }
    String keyId = ring == null ? null : ring.knownId(bytes, FIXED_HEADER, idLength);
    if (keyId != null) {
      return new Envelope(bytes, type, keyId, headerLength);
    }
    keyId = new String(bytes, FIXED_HEADER, idLength, StandardCharsets.ISO_8859_1);
    if (!KeyMaterial.isKeyId(keyId)) {
      throw new MalformedException("the envelope's key id is malformed");
    }
    return new Envelope(bytes, type, keyId, headerLength);
  }

  /** The plaintext's value type. */
  ValueType type() {
    return type;
  }

  /** The id of the master key this was sealed under. */
  String keyId() {
    return keyId;
  }

  /** A copy of the header: version, type and key id. */
  byte[] header() {
    return Arrays.copyOf(bytes, headerLength);
  }

  /** All the stored bytes; not a copy. */
  byte[] bytes() {
    return bytes;
  }

  /** Where the IV starts in {@link #bytes()}. */
  int ivOffset() {
    return headerLength;
  }

  /** Where the ciphertext (with its tag) starts in {@link #bytes()}. */
  int sealedOffset() {
    return headerLength + IV_BYTES;
  }

  private static byte code(ValueType type) {
    switch (type) {
      case STRING:
        return 1;
      case JSON:
        return 2;
      case NUMBER:
        return 3;
      case BOOLEAN:
        return 4;
      case BINARY:
        return 5;
      default:
        throw new AssertionError(type);
    }
  }

  /** The type a code stands for, or null for no type. */
  private static ValueType type(byte code) {
    switch (code) {
      case 1:
        return ValueType.STRING;
      case 2:
        return ValueType.JSON;
      case 3:
        return ValueType.NUMBER;
      case 4:
        return ValueType.BOOLEAN;
      case 5:
        return ValueType.BINARY;
      default:
        return null;
    }
  }
}
