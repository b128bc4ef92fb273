package io.kv.core.internal;

import io.kv.DecryptionException;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.internal.ValueBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
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
  /** The associated-data buffer a thread keeps; a longer header, namespace and key get a one-off array. */
  private static final int KEPT_AAD_BYTES = 1024;

  /**
   * What one thread reuses from value to value: the {@link Cipher}, a buffer for the associated
   * data (header, namespace and key) and one for the IV. None of it holds a key or a plaintext between calls.
   */
  private static final class Worker {
    final Cipher cipher = newCipher();
    final byte[] aad = new byte[KEPT_AAD_BYTES];
    final byte[] iv = new byte[Envelope.IV_BYTES];
  }

  /**
   * The last namespace key looked up, by key index and namespace, with the namespace in UTF-8 for
   * the associated data; immutable.
   */
  private static final class NamespaceKey {
    final int keyIndex;
    final String namespace;
    final SecretKey key;
    final byte[] namespaceUtf8;

    NamespaceKey(int keyIndex, String namespace, SecretKey key) {
      this.keyIndex = keyIndex;
      this.namespace = namespace;
      this.key = key;
      this.namespaceUtf8 = namespace.getBytes(StandardCharsets.UTF_8);
    }
  }

  private static final ThreadLocal<Worker> WORKERS = ThreadLocal.withInitial(Worker::new);

  private final KeyMaterial keys;
  private final SecureRandom random;
  // Most stores read and write one or a few secret namespaces, so the last key found answers most
  // lookups without hashing the namespace. A plain field: the object is immutable (final fields),
  // so a thread sees either an older complete hit or a newer one, and either is a correct key.
  private NamespaceKey lastKey;

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
    int keyIndex = keys.primaryIndex();
    NamespaceKey k = namespaceKey(keyIndex, namespace);
    byte[] id = keys.idBytes(keyIndex);
    // The value's own bytes, read in place: the cipher only reads them, and a copy would be one
    // more array holding the plaintext.
    byte[] plain = ValueBytes.raw(value);
    int ivOffset = Envelope.headerLength(id);
    int sealedOffset = ivOffset + Envelope.IV_BYTES;
    // Header, IV and ciphertext are written straight into the envelope, with no array of their own.
    byte[] out = new byte[sealedOffset + plain.length + Envelope.TAG_BYTES];
    Envelope.writeHeader(out, value.type(), id);
    Worker w = WORKERS.get();
    random.nextBytes(w.iv);
    System.arraycopy(w.iv, 0, out, ivOffset, Envelope.IV_BYTES);
    try {
      Cipher c = w.cipher;
      c.init(Cipher.ENCRYPT_MODE, k.key, new GCMParameterSpec(TAG_BITS, out, ivOffset, Envelope.IV_BYTES));
      updateAad(c, w, out, ivOffset, k.namespaceUtf8, key);
      c.doFinal(plain, 0, plain.length, out, sealedOffset);
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
    byte[] bytes = envelopeBytes(namespace, key, stored);
    // The header is read in place, with no Envelope made; whatever this path does not accept goes
    // to refuse(), which parses it fully to say why.
    int ivOffset = Envelope.checkedHeaderLength(bytes);
    int keyIndex = ivOffset < 0 ? -1 : keys.indexOf(bytes, Envelope.keyIdOffset(), ivOffset - Envelope.keyIdOffset());
    if (keyIndex < 0) {
      throw refuse(namespace, key, bytes);
    }
    NamespaceKey k = namespaceKey(keyIndex, namespace);
    int sealedOffset = ivOffset + Envelope.IV_BYTES;
    byte[] plain;
    try {
      Worker w = WORKERS.get();
      Cipher c = w.cipher;
      c.init(Cipher.DECRYPT_MODE, k.key, new GCMParameterSpec(TAG_BITS, bytes, ivOffset, Envelope.IV_BYTES));
      updateAad(c, w, bytes, ivOffset, k.namespaceUtf8, key);
      plain = c.doFinal(bytes, sealedOffset, bytes.length - sealedOffset);
    } catch (AEADBadTagException e) {
      throw new DecryptionException(namespace, key,
          "authentication failed under key id '" + keys.id(keyIndex) + "': the value was altered, or moved from another key or namespace", e);
    } catch (GeneralSecurityException e) {
      throw new DecryptionException(namespace, key, "the cipher refused the value: " + e.getClass().getSimpleName(), e);
    }
    // Authenticated: these are the bytes encrypt() sealed, taken from a Value that was checked
    // against its type when it was made, and the type is bound by the header. So the new value
    // takes the array as it is, with no copy and no second check.
    return ValueBytes.adopt(Envelope.typeOf(bytes), plain);
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

  private NamespaceKey namespaceKey(int keyIndex, String namespace) {
    NamespaceKey last = lastKey;
    if (last != null && last.keyIndex == keyIndex && last.namespace.equals(namespace)) {
      return last;
    }
    NamespaceKey k = new NamespaceKey(keyIndex, namespace, keys.namespaceKey(keyIndex, namespace));
    lastKey = k;
    return k;
  }

  /** The stored bytes of what should be an envelope, in place (they are only read). */
  private static byte[] envelopeBytes(String namespace, String key, Value stored) {
    Objects.requireNonNull(stored, "stored");
    if (stored.type() != ValueType.BINARY) {
      throw new DecryptionException(namespace, key, "the stored value is " + stored.type() + ", not an encrypted value", null);
    }
    return ValueBytes.raw(stored);
  }

  private static Envelope parse(String namespace, String key, Value stored, KeyMaterial ring) {
    return parse(namespace, key, envelopeBytes(namespace, key, stored), ring);
  }

  private static Envelope parse(String namespace, String key, byte[] bytes, KeyMaterial ring) {
    try {
      return Envelope.parse(bytes, ring);
    } catch (Envelope.MalformedException e) {
      throw new DecryptionException(namespace, key, e.getMessage(), e);
    }
  }

  /** Why {@code bytes}, which the fast path of {@link #decrypt} did not accept, cannot be opened. */
  private DecryptionException refuse(String namespace, String key, byte[] bytes) {
    Envelope env = parse(namespace, key, bytes, keys);
    if (!keys.has(env.keyId())) {
      return new DecryptionException(namespace, key,
          "it was encrypted with master key id '" + env.keyId() + "', which is not in the key ring " + keys.ids(), null);
    }
    // Unreachable while parse() and the fast path agree on what an envelope is.
    throw new IllegalStateException("an envelope under key id '" + env.keyId() + "' was refused without a reason");
  }

  /** Header, then namespace and key, each as a big-endian u32 byte length and UTF-8. */
  static byte[] aad(byte[] header, String namespace, String key) {
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[header.length + 8 + ns.length + k.length];
    writeAad(out, header, header.length, ns, k);
    return out;
  }

  /**
   * Gives the cipher the associated data: the envelope's header (its first {@code headerLength}
   * bytes), then namespace and key, each as a big-endian u32 byte length and UTF-8, in one call
   * from the worker's buffer when it fits (each call into the JDK's GCM has a cost of its own).
   * The key goes through the JDK's encoder, which copies an ASCII key in one intrinsic; the
   * namespace's bytes come with its key.
   */
  private static void updateAad(Cipher c, Worker w, byte[] envelope, int headerLength, byte[] namespaceUtf8, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    int length = headerLength + 8 + namespaceUtf8.length + k.length;
    byte[] buf = length <= w.aad.length ? w.aad : new byte[length];
    writeAad(buf, envelope, headerLength, namespaceUtf8, k);
    c.updateAAD(buf, 0, length);
  }

  /** Writes the first {@code headerLength} bytes of {@code envelope}, then namespace and key, into {@code out}. */
  private static void writeAad(byte[] out, byte[] envelope, int headerLength, byte[] ns, byte[] k) {
    System.arraycopy(envelope, 0, out, 0, headerLength);
    putInt(out, headerLength, ns.length);
    System.arraycopy(ns, 0, out, headerLength + 4, ns.length);
    putInt(out, headerLength + 4 + ns.length, k.length);
    System.arraycopy(k, 0, out, headerLength + 8 + ns.length, k.length);
  }

  private static void putInt(byte[] out, int at, int v) {
    out[at] = (byte) (v >>> 24);
    out[at + 1] = (byte) (v >>> 16);
    out[at + 2] = (byte) (v >>> 8);
    out[at + 3] = (byte) v;
  }
}
