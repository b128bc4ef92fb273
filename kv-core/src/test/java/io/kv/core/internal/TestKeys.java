package io.kv.core.internal;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/** Random master keys for tests. */
final class TestKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestKeys() {}

  /** 32 random bytes. */
  static byte[] random() {
    byte[] key = new byte[KeyMaterial.KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  /** Key material of one random key under {@code id}. */
  static KeyMaterial single(String id) {
    return KeyMaterial.of(id, Map.of(id, random()));
  }

  /** Key material of the given keys, by alternating id and key, with {@code primary} primary. */
  static KeyMaterial ring(String primary, Object... idsAndKeys) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (int i = 0; i < idsAndKeys.length; i += 2) {
      keys.put((String) idsAndKeys[i], (byte[]) idsAndKeys[i + 1]);
    }
    return KeyMaterial.of(primary, keys);
  }

  /** Whether {@code needle} occurs in {@code haystack}. */
  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
