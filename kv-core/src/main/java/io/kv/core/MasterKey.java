package io.kv.core;

import java.util.Objects;

/**
 * A 256-bit master key, the root of kv's encryption: every secret namespace gets its own AES-256
 * key derived from it. Get one from {@link MasterKeys} and put it in a {@link KeyRing}.
 *
 * <p>The key bytes never leave this object through its public API: {@link #toString()} is
 * redacted, and {@link #equals} is identity, so neither a log line, an exception message, a
 * debugger's summary nor a timing difference in a comparison reveals them. Immutable and
 * thread-safe.
 */
public final class MasterKey {
  /** The length of a master key: 32 bytes. */
  public static final int LENGTH = 32;

  private final byte[] bytes;

  /** Takes ownership of {@code bytes}, which the caller checked are {@link #LENGTH} long. */
  MasterKey(byte[] bytes) {
    this.bytes = Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a master key must be " + LENGTH + " bytes (was " + bytes.length + ")");
    }
  }

  /** A copy of the key bytes, for the key ring. */
  byte[] bytes() {
    return bytes.clone();
  }

  /** Always {@code MasterKey[redacted]}. */
  @Override
  public String toString() {
    return "MasterKey[redacted]";
  }
}
