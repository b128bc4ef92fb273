package io.kv.core.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): derives keys from a master key. Stateless and thread-safe.
 *
 * <p>kv derives one AES-256 key per master key and namespace, so ciphertext of one namespace can
 * never be opened with the key of another, and a leaked namespace key reveals neither the master
 * key nor the keys of other namespaces.
 */
public final class Hkdf {
  private static final String HMAC = "HmacSHA256";
  /** The output length of SHA-256, in bytes. */
  static final int HASH_LENGTH = 32;

  private Hkdf() {}

  /**
   * HKDF-Extract: a pseudorandom key from input keying material.
   *
   * @param salt a non-secret random value; empty means {@link #HASH_LENGTH} zero bytes, as the RFC
   *     says for an absent salt
   * @param ikm the input keying material
   * @return a 32-byte pseudorandom key
   * @throws NullPointerException if an argument is null
   */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(ikm, "ikm");
    // HMAC pads a short key with zeros, so zeros of hash length are the same key as none; the
    // JCE refuses an empty key, so spell it out.
    Mac mac = hmac(salt.length == 0 ? new byte[HASH_LENGTH] : salt);
    return mac.doFinal(ikm);
  }

  /**
   * HKDF-Expand: {@code length} bytes of output keying material from a pseudorandom key.
   *
   * @param prk a pseudorandom key of at least {@link #HASH_LENGTH} bytes, usually from {@link
   *     #extract}
   * @param info context that binds the output to its use; may be empty
   * @param length how many bytes to make, 1 to 255 × 32
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code prk} is too short or {@code length} out of range
   */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    Objects.requireNonNull(prk, "prk");
    Objects.requireNonNull(info, "info");
    if (prk.length < HASH_LENGTH) {
      throw new IllegalArgumentException("prk must be at least " + HASH_LENGTH + " bytes");
    }
    if (length < 1 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("length must be 1 to " + 255 * HASH_LENGTH + " bytes");
    }
    Mac mac = hmac(prk);
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int done = 0;
    for (int i = 1; done < length; i++) {
      mac.update(t);
      mac.update(info);
      mac.update((byte) i);
      t = mac.doFinal();
      int n = Math.min(t.length, length - done);
      System.arraycopy(t, 0, out, done, n);
      done += n;
    }
    Arrays.fill(t, (byte) 0);
    return out;
  }

  /**
   * Extract then expand: {@code length} bytes derived from {@code ikm}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code length} is out of range
   */
  public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
    byte[] prk = extract(salt, ikm);
    try {
      return expand(prk, info, length);
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  private static Mac hmac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw unavailable(e);
    }
  }

  /** Every Java SE runtime has HmacSHA256 and AES/GCM; not having them is a broken JDK. */
  static IllegalStateException unavailable(GeneralSecurityException e) {
    return new IllegalStateException("the JDK lacks a required algorithm: " + e.getClass().getSimpleName(), e);
  }
}
