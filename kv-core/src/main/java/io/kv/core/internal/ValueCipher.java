package io.kv.core.internal;

import io.kv.DecryptionException;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.internal.ValueBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens the values of secret namespaces with AES-256-GCM, in the {@link Envelope}
 * format.
 *
 * <h2>Security guarantee</h2>
 * Authenticated encryption with associated data: without the master key, a stored value reveals
 * nothing about the plaintext but its length and its value type, and no change to it goes
 * unnoticed. The associated data is the envelope header (format, value type, key id) and the
 * namespace and key, each length-prefixed ({@code u32 length || UTF-8}), so {@code ("a:b", "c")}
 * and {@code ("a", "b:c")} differ. Opening therefore fails with a {@link DecryptionException} if
 * any byte was altered, or if the envelope was copied to another key, another namespace, or
 * presented under another key id or value type; it never returns garbage. Each value is sealed
 * with its namespace's own derived key and a fresh random 96-bit IV from a {@link SecureRandom},
 * with a 128-bit tag; with random IVs, a namespace key should seal fewer than 2<sup>32</sup>
 * values (NIST SP 800-38D), which rotating the master key resets.
 *
 * <p>Nothing here sees or logs plaintext in messages: errors name namespace, key and key id.
 * Thread-safe. Each thread reuses one {@link Cipher} (made on its first use and initialised
 * afresh, with the namespace key and a new IV, for every value): {@link Cipher#getInstance} costs
 * more than sealing a small value.
 */
public final class ValueCipher {
  /**
   * The most bytes an envelope adds to a value: a 3-byte header, a key id of up to {@value
   * KeyMaterial#MAX_KEY_ID_LENGTH} bytes, the IV and the tag. The overhead of one value is 31 plus
   * the length of its key id.
   */
  public static final int MAX_OVERHEAD = 3 + KeyMaterial.MAX_KEY_ID_LENGTH + Envelope.IV_BYTES + Envelope.TAG_BYTES;

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int TAG_BITS = Envelope.TAG_BYTES * 8;

  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(ValueCipher::newCipher);

  private final KeyMaterial keys;
  private final SecureRandom random;

  /** A cipher over {@code keys}, with a new {@link SecureRandom} for IVs. */
  public ValueCipher(KeyMaterial keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.random = new SecureRandom();
  }

  /** The key material this cipher uses. */
  public KeyMaterial keys() {
    return keys;
  }

  /**
   * Seals {@code value} for {@code namespace}/{@code key} under the primary master key.
   *
   * @return a {@link ValueType#BINARY} value holding the envelope
   * @throws NullPointerException if an argument is null
   */
  public Value encrypt(String namespace, String key, Value value) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    String keyId = keys.primaryId();
    SecretKey k = keys.namespaceKey(keyId, namespace).orElseThrow();
    byte[] header = Envelope.header(value.type(), keyId);
    byte[] iv = new byte[Envelope.IV_BYTES];
    random.nextBytes(iv);
    // The value's own bytes, read in place: the cipher only reads them, and a copy would be one
    // more array holding the plaintext.
    byte[] plain = ValueBytes.raw(value);
    try {
      Cipher c = CIPHERS.get();
      c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, iv));
      c.updateAAD(header);
      c.updateAAD(aadTail(namespace, key));
      byte[] out = new byte[header.length + iv.length + c.getOutputSize(plain.length)];
      System.arraycopy(header, 0, out, 0, header.length);
      System.arraycopy(iv, 0, out, header.length, iv.length);
      c.doFinal(plain, 0, plain.length, out, header.length + iv.length);
      return ValueBytes.adopt(ValueType.BINARY, out);
    } catch (GeneralSecurityException e) {
      throw Hkdf.unavailable(e);
    }
  }

  /**
   * Opens a value that {@link #encrypt} sealed for this {@code namespace}/{@code key}.
   *
   * @return the original typed value
   * @throws NullPointerException if an argument is null
   * @throws DecryptionException if {@code stored} is not an envelope, names a key id the ring
   *     does not hold, or fails authentication (altered, or moved from another key or namespace);
   *     the cause is the cryptographic exception, if there is one
   */
  public Value decrypt(String namespace, String key, Value stored) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    Envelope env = parse(namespace, key, stored, keys);
    SecretKey k = keyFor(namespace, key, env);
    byte[] bytes = env.bytes();
    byte[] plain;
    try {
      Cipher c = CIPHERS.get();
      c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, bytes, env.ivOffset(), Envelope.IV_BYTES));
      c.updateAAD(bytes, 0, env.ivOffset());
      c.updateAAD(aadTail(namespace, key));
      plain = c.doFinal(bytes, env.sealedOffset(), bytes.length - env.sealedOffset());
    } catch (AEADBadTagException e) {
      throw new DecryptionException(namespace, key,
          "authentication failed under key id '" + env.keyId() + "': the value was altered, or moved from another key or namespace", e);
    } catch (GeneralSecurityException e) {
      throw new DecryptionException(namespace, key, "the cipher refused the value: " + e.getClass().getSimpleName(), e);
    }
    // Authenticated: these are the bytes encrypt() sealed, taken from a Value that was checked
    // against its type when it was made, and the type is bound by the header. So the new value
    // takes the array as it is, with no copy and no second check.
    return ValueBytes.adopt(env.type(), plain);
  }

  /**
   * {@code stored} sealed under the primary master key: the very same instance when it already
   * is, else opened and sealed again with a new IV.
   *
   * @throws NullPointerException if an argument is null
   * @throws DecryptionException as {@link #decrypt} does
   */
  public Value reencrypt(String namespace, String key, Value stored) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    Envelope env = parse(namespace, key, stored, keys);
    if (env.keyId().equals(keys.primaryId())) {
      return stored;
    }
    return encrypt(namespace, key, decrypt(namespace, key, stored));
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw Hkdf.unavailable(e);
    }
  }

  private static Envelope parse(String namespace, String key, Value stored, KeyMaterial ring) {
    Objects.requireNonNull(stored, "stored");
    if (stored.type() != ValueType.BINARY) {
      throw new DecryptionException(namespace, key, "the stored value is " + stored.type() + ", not an encrypted value", null);
    }
    try {
      // The stored value's own bytes: the envelope only reads them.
      return Envelope.parse(ValueBytes.raw(stored), ring);
    } catch (Envelope.MalformedException e) {
      throw new DecryptionException(namespace, key, e.getMessage(), e);
    }
  }

  private SecretKey keyFor(String namespace, String key, Envelope env) {
    Optional<SecretKey> k = keys.namespaceKey(env.keyId(), namespace);
    if (k.isEmpty()) {
      throw new DecryptionException(namespace, key,
          "it was encrypted with master key id '" + env.keyId() + "', which is not in the key ring " + keys.ids(), null);
    }
    return k.get();
  }

  /** Header, then namespace and key, each as a big-endian u32 byte length and UTF-8. */
  static byte[] aad(byte[] header, String namespace, String key) {
    byte[] tail = aadTail(namespace, key);
    byte[] out = Arrays.copyOf(header, header.length + tail.length);
    System.arraycopy(tail, 0, out, header.length, tail.length);
    return out;
  }

  /**
   * The associated data after the header: namespace and key, each as a big-endian u32 byte
   * length and UTF-8. The cipher takes the header and this in two updates, which GCM treats as
   * their concatenation.
   */
  private static byte[] aadTail(String namespace, String key) {
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + ns.length + 4 + k.length)
        .putInt(ns.length)
        .put(ns)
        .putInt(k.length)
        .put(k)
        .array();
  }
}
