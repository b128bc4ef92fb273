package io.kv;

import java.util.Objects;

/**
 * A stored value could not be decrypted: the ciphertext was altered, moved to another key or
 * namespace, or was written with a key this store does not hold. The value is never returned as
 * garbage; the cryptographic exception, if any, is the cause. {@link #namespace()} and {@link
 * #key()} name the entry that was read.
 */
public class DecryptionException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * @param namespace the namespace read from
   * @param key the key read
   * @param detail why decryption failed, such as {@code "authentication tag mismatch"}
   * @param cause the underlying exception, or null
   * @throws NullPointerException if {@code namespace}, {@code key} or {@code detail} is null
   */
  public DecryptionException(String namespace, String key, String detail, Throwable cause) {
    super(Objects.requireNonNull(namespace, "namespace"), Objects.requireNonNull(key, "key"),
        "cannot decrypt entry " + where(namespace, key) + ": " + Objects.requireNonNull(detail, "detail"), cause);
  }
}
