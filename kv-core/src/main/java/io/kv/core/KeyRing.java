package io.kv.core;

import io.kv.core.internal.KeyMaterial;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The master keys kv encrypts with, by id: one primary key seals every new value, and every key
 * of the ring opens the values sealed under it. Each encrypted value records the id of its key,
 * so keys rotate without re-encrypting everything at once:
 *
 * <ol>
 *   <li>add the new key and make it primary; old values still read with the old key;
 *   <li>run a {@link Reencryptor} to move every stored value, history included, to the primary key;
 *   <li>remove the old key from the ring.
 * </ol>
 *
 * <pre>{@code
 * KeyRing ring = KeyRing.builder()
 *     .add("2024", MasterKeys.fromEnvironment("KV_MASTER_KEY_2024"))
 *     .add("2025", MasterKeys.fromEnvironment("KV_MASTER_KEY_2025"))
 *     .primary("2025")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the ids, never a key.
 */
public final class KeyRing {
  private final KeyMaterial material;

  private KeyRing(KeyMaterial material) {
    this.material = material;
  }

  /**
   * A builder of a key ring.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A ring of one key, which is primary.
   *
   * @param id 1 to 64 ASCII letters, digits, {@code .}, {@code _} or {@code -}
   * @param key the master key
   * @return a ring of one key, which is primary
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code id} is not a valid key id (see {@link Builder#add})
   */
  public static KeyRing of(String id, MasterKey key) {
    return builder().add(id, key).primary(id).build();
  }

  /**
   * The id of the key that seals new values.
   *
   * @return the id of the key that seals new values
   */
  public String primaryId() {
    return material.primaryId();
  }

  /**
   * The ids of every key in the ring, sorted.
   *
   * @return the ids of every key in the ring, sorted
   */
  public Set<String> ids() {
    return material.ids();
  }

  /** The keys themselves, with the namespace keys derived from them; for kv-core's layers. */
  KeyMaterial material() {
    return material;
  }

  /** Ids only, such as {@code KeyRing[primary=2025, ids=[2024, 2025]]}. */
  @Override
  public String toString() {
    return "KeyRing[primary=" + primaryId() + ", ids=" + ids() + "]";
  }

  /**
   * Collects the keys of a {@link KeyRing}. Each method checks its arguments at once. Not
   * thread-safe; the ring it builds is.
   */
  public static final class Builder {
    private final Map<String, MasterKey> keys = new LinkedHashMap<>();
    private String primary;

    private Builder() {}

    /**
     * Adds a key under {@code id}. An id is stored with every value the key seals, so it must
     * stay the same for as long as such values exist: name keys by when or why they were made
     * ({@code "2025-06"}), not by their role ({@code "current"}).
     *
     * @param id 1 to 64 ASCII letters, digits, {@code .}, {@code _} or {@code -}
     * @param key the master key
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code id} is not a valid key id, or was already added
     */
    public Builder add(String id, MasterKey key) {
      KeyMaterial.checkKeyId(id);
      Objects.requireNonNull(key, "key");
      if (keys.containsKey(id)) {
        throw new IllegalArgumentException("key id '" + id + "' was already added");
      }
      keys.put(id, key);
      return this;
    }

    /**
     * Which key seals new values. Optional when the ring holds one key, which is then primary.
     *
     * @param id 1 to 64 ASCII letters, digits, {@code .}, {@code _} or {@code -}
     * @return this builder
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if {@code id} is not a valid key id
     * @throws IllegalStateException if a primary key was already chosen
     */
    public Builder primary(String id) {
      KeyMaterial.checkKeyId(id);
      if (primary != null) {
        throw new IllegalStateException("the primary key was already chosen");
      }
      primary = id;
      return this;
    }

    /**
     * Builds the ring. The builder may be reused.
     *
     * @return the key ring
     * @throws IllegalStateException if no key was added, or several were and none was made
     *     primary, or the primary id names no added key
     */
    public KeyRing build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("a key ring needs at least one key");
      }
      String p = primary;
      if (p == null) {
        if (keys.size() > 1) {
          throw new IllegalStateException("a key ring of " + keys.size() + " keys needs primary(id) to say which seals new values");
        }
        p = keys.keySet().iterator().next();
      }
      if (!keys.containsKey(p)) {
        throw new IllegalStateException("the primary key id '" + p + "' names no added key; the ring holds " + keys.keySet());
      }
      Map<String, byte[]> bytes = new LinkedHashMap<>();
      try {
        keys.forEach((id, key) -> bytes.put(id, key.bytes()));
        return new KeyRing(KeyMaterial.of(p, bytes));
      } finally {
        bytes.values().forEach(b -> Arrays.fill(b, (byte) 0));
      }
    }
  }
}
