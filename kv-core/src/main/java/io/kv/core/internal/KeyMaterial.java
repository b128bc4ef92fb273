package io.kv.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys of a key ring by id, which of them encrypts new values, and the per-namespace
 * AES-256 keys derived from them. The public face of this is {@code io.kv.core.KeyRing}.
 *
 * <p>A namespace key is HKDF-SHA256 ({@link Hkdf}) of the master key with a fixed salt ({@value
 * #SALT}) and the info {@value #INFO_PREFIX}{@code || 0x00 || UTF-8(namespace)}. Namespace names
 * hold no NUL and the prefix is fixed, so distinct namespaces always get distinct info. The
 * extract step runs once per master key at construction; only its output (the PRK) is kept, not
 * the master key itself. Derived keys are cached per master key and namespace; only secret
 * namespaces, which an administrator declares, ever derive one, so the cache stays small.
 *
 * <p>Immutable apart from the cache; thread-safe. {@link #toString()} shows ids, never keys.
 */
public final class KeyMaterial {
  /** The length of a master key and of a derived key: AES-256. */
  public static final int KEY_BYTES = 32;
  /** The longest key id. */
  public static final int MAX_KEY_ID_LENGTH = 64;

  static final String SALT = "io.kv/namespace-key/salt/v1";
  static final String INFO_PREFIX = "io.kv/aes-256-gcm/namespace-key/v1";

  private static final byte[] SALT_BYTES = SALT.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INFO_PREFIX_BYTES = INFO_PREFIX.getBytes(StandardCharsets.US_ASCII);

  /** One master key: its PRK and the namespace keys derived from it so far. */
  private static final class Master {
    final byte[] prk;
    final ConcurrentHashMap<String, SecretKey> derived = new ConcurrentHashMap<>();

    Master(byte[] prk) {
      this.prk = prk;
    }
  }

  private final String primaryId;
  private final Map<String, Master> masters;
  // The ids as strings, as the ASCII bytes an envelope holds, and their masters, index for index:
  // opening a value finds its key by comparing bytes, with no string made and no map searched.
  private final String[] idStrings;
  private final byte[][] idBytes;
  private final Master[] byIndex;
  private final int primaryIndex;

  private KeyMaterial(String primaryId, Map<String, Master> masters) {
    this.primaryId = primaryId;
    this.masters = masters;
    this.idStrings = masters.keySet().toArray(new String[0]);
    this.idBytes = new byte[idStrings.length][];
    this.byIndex = new Master[idStrings.length];
    int primary = -1;
    for (int i = 0; i < idStrings.length; i++) {
      idBytes[i] = idStrings[i].getBytes(StandardCharsets.US_ASCII);
      byIndex[i] = masters.get(idStrings[i]);
      if (idStrings[i].equals(primaryId)) {
        primary = i;
      }
    }
    this.primaryIndex = primary;
  }

  /**
   * Key material from master keys by id. The arrays are read, not kept: the caller may clear them.
   *
   * @param primaryId the id of the key that encrypts new values; one of {@code masterKeys}
   * @param masterKeys each master key, 32 bytes, by its id
   * @throws NullPointerException if an argument, id or key is null
   * @throws IllegalArgumentException if an id is not a valid key id (see {@link #checkKeyId}), a
   *     key is not 32 bytes, there is no key, or {@code primaryId} is not one of the ids
   */
  public static KeyMaterial of(String primaryId, Map<String, byte[]> masterKeys) {
    Objects.requireNonNull(primaryId, "primaryId");
    Objects.requireNonNull(masterKeys, "masterKeys");
    if (masterKeys.isEmpty()) {
      throw new IllegalArgumentException("a key ring needs at least one master key");
    }
    Map<String, Master> masters = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : masterKeys.entrySet()) {
      String id = checkKeyId(e.getKey());
      byte[] key = Objects.requireNonNull(e.getValue(), "master key");
      if (key.length != KEY_BYTES) {
        throw new IllegalArgumentException("master key '" + id + "' must be " + KEY_BYTES + " bytes (was " + key.length + ")");
      }
      masters.put(id, new Master(Hkdf.extract(SALT_BYTES, key)));
    }
    if (!masters.containsKey(primaryId)) {
      throw new IllegalArgumentException("primary key id '" + checkKeyId(primaryId) + "' is not in the key ring " + masters.keySet());
    }
    return new KeyMaterial(primaryId, Collections.unmodifiableMap(masters));
  }

  /**
   * Checks a key id: 1 to {@value #MAX_KEY_ID_LENGTH} ASCII letters, digits, {@code .}, {@code _}
   * or {@code -}. Ids are stored in every envelope and shown in messages and logs, so they hold
   * nothing that needs escaping.
   *
   * @return {@code id}
   * @throws NullPointerException if {@code id} is null
   * @throws IllegalArgumentException if {@code id} breaks the rule (the message does not echo it)
   */
  public static String checkKeyId(String id) {
    Objects.requireNonNull(id, "key id");
    if (!isKeyId(id)) {
      throw new IllegalArgumentException(
          "a key id must be 1 to " + MAX_KEY_ID_LENGTH + " ASCII letters, digits, '.', '_' or '-'");
    }
    return id;
  }

  static boolean isKeyId(String id) {
    int n = id.length();
    if (n == 0 || n > MAX_KEY_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The id of the key that encrypts new values. */
  public String primaryId() {
    return primaryId;
  }

  /** Every key id, sorted. */
  public Set<String> ids() {
    return masters.keySet();
  }

  /**
   * The id of this ring whose ASCII bytes are {@code bytes[offset, offset + length)}, or null if
   * the ring has no such id. Allocates nothing.
   */
  String knownId(byte[] bytes, int offset, int length) {
    int i = indexOf(bytes, offset, length);
    return i < 0 ? null : idStrings[i];
  }

  /**
   * The index of the id of this ring whose ASCII bytes are {@code bytes[offset, offset + length)},
   * or -1 if the ring has no such id. Allocates nothing.
   */
  int indexOf(byte[] bytes, int offset, int length) {
    for (int i = 0; i < idBytes.length; i++) {
      byte[] id = idBytes[i];
      if (Arrays.equals(id, 0, id.length, bytes, offset, offset + length)) {
        return i;
      }
    }
    return -1;
  }

  /** The index of {@link #primaryId()}, for {@link #namespaceKey(int, String)}. */
  int primaryIndex() {
    return primaryIndex;
  }

  /** The id at {@code index} (see {@link #indexOf}). */
  String id(int index) {
    return idStrings[index];
  }

  /** The ASCII bytes of the id at {@code index}; not a copy, never write to them. */
  byte[] idBytes(int index) {
    return idBytes[index];
  }

  /** Whether a master key with this id is in the ring. */
  public boolean has(String keyId) {
    return masters.containsKey(keyId);
  }

  /**
   * The AES-256 key of {@code namespace} under master key {@code keyId}, derived on first use and
   * cached; empty if the ring holds no such master key.
   */
  Optional<SecretKey> namespaceKey(String keyId, String namespace) {
    Master m = masters.get(keyId);
    return m == null ? Optional.empty() : Optional.of(derived(m, namespace));
  }

  /**
   * The AES-256 key of {@code namespace} under the master key at {@code index} (see {@link
   * #indexOf}), derived on first use and cached.
   */
  SecretKey namespaceKey(int index, String namespace) {
    return derived(byIndex[index], namespace);
  }

  private static SecretKey derived(Master m, String namespace) {
    SecretKey k = m.derived.get(namespace);
    return k != null ? k : m.derived.computeIfAbsent(namespace, ns -> derive(m.prk, ns));
  }

  private static SecretKey derive(byte[] prk, String namespace) {
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    byte[] info = Arrays.copyOf(INFO_PREFIX_BYTES, INFO_PREFIX_BYTES.length + 1 + ns.length);
    System.arraycopy(ns, 0, info, INFO_PREFIX_BYTES.length + 1, ns.length);
    byte[] okm = Hkdf.expand(prk, info, KEY_BYTES);
    try {
      return new SecretKeySpec(okm, "AES");
    } finally {
      Arrays.fill(okm, (byte) 0);
    }
  }

  /** Ids only, for example {@code KeyMaterial[primary=2025, ids=[2024, 2025]]}. */
  @Override
  public String toString() {
    return "KeyMaterial[primary=" + primaryId + ", ids=" + masters.keySet() + "]";
  }
}
