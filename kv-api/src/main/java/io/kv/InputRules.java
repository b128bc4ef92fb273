package io.kv;

import io.kv.spi.Utf8;
import java.util.Map;
import java.util.Objects;

/**
 * The input rules a store enforces, with defaults a user can change. Immutable; start from
 * {@link #defaults()} and change it with the {@code with...} methods. The {@code check...}
 * methods throw an {@link InvalidInputException} that names the field and the rule, and never
 * echoes a value.
 *
 * <p>Rules that do not change: a key is valid Unicode without control characters, and its
 * {@code /}-separated segments are not empty (no leading or trailing {@code /}, no {@code //}). A
 * namespace name starts with a letter or digit and holds only letters, digits, {@code _}, {@code
 * -} and {@code .}. The rules for TTLs and for free text (a reason, a principal's name, a
 * namespace's description and owner) do not change either; {@link WriteOptions}, {@link
 * NamespaceSettings} and {@link Principal} check them when they are built.
 *
 * @param maxKeyBytes the longest key, in bytes of UTF-8; default {@value #DEFAULT_MAX_KEY_BYTES}
 * @param maxValueBytes the largest value, in encoded bytes; default {@value
 *     #DEFAULT_MAX_VALUE_BYTES} (1 MiB)
 * @param maxNamespaceLength the longest namespace name; default {@value
 *     #DEFAULT_MAX_NAMESPACE_LENGTH}
 * @param maxMetadataBytes the most bytes of UTF-8 that the metadata keys and values and the tags
 *     of one write may hold together; default {@value #DEFAULT_MAX_METADATA_BYTES}
 */
public record InputRules(int maxKeyBytes, int maxValueBytes, int maxNamespaceLength, int maxMetadataBytes) {
  /** The default longest key: 512 bytes of UTF-8. */
  public static final int DEFAULT_MAX_KEY_BYTES = 512;
  /** The default largest value: 1 MiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;
  /** The default longest namespace name: 64 characters. */
  public static final int DEFAULT_MAX_NAMESPACE_LENGTH = 64;
  /** The default budget for one write's metadata and tags: 16 KiB. */
  public static final int DEFAULT_MAX_METADATA_BYTES = 16 << 10;

  private static final InputRules DEFAULTS =
      new InputRules(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_NAMESPACE_LENGTH, DEFAULT_MAX_METADATA_BYTES);

  /**
   * Checks every limit is positive.
   *
   * @param maxKeyBytes the longest key, in bytes of UTF-8; default {@value #DEFAULT_MAX_KEY_BYTES}
   * @param maxValueBytes the largest value, in encoded bytes; default {@value
   *     #DEFAULT_MAX_VALUE_BYTES} (1 MiB)
   * @param maxNamespaceLength the longest namespace name; default {@value
   *     #DEFAULT_MAX_NAMESPACE_LENGTH}
   * @param maxMetadataBytes the most bytes of UTF-8 that the metadata keys and values and the tags
   *     of one write may hold together; default {@value #DEFAULT_MAX_METADATA_BYTES}
   * @throws IllegalArgumentException if a limit is zero or negative
   */
  public InputRules {
    requirePositive(maxKeyBytes, "maxKeyBytes");
    requirePositive(maxValueBytes, "maxValueBytes");
    requirePositive(maxNamespaceLength, "maxNamespaceLength");
    requirePositive(maxMetadataBytes, "maxMetadataBytes");
  }

  private static void requirePositive(int limit, String name) {
    if (limit < 1) {
      throw new IllegalArgumentException(name + " must be positive, was " + limit);
    }
  }

  /**
   * 512-byte keys, 1 MiB values, 64-character namespace names, 16 KiB of metadata and tags.
   *
   * @return 512-byte keys, 1 MiB values, 64-character namespace names, 16 KiB of metadata and tags
   */
  public static InputRules defaults() {
    return DEFAULTS;
  }

  /**
   * These limits with another longest key.
   *
   * @param maxKeyBytes the longest key, in bytes of UTF-8; default {@value #DEFAULT_MAX_KEY_BYTES}
   * @return these limits with another longest key
   */
  public InputRules withMaxKeyBytes(int maxKeyBytes) {
    return new InputRules(maxKeyBytes, maxValueBytes, maxNamespaceLength, maxMetadataBytes);
  }

  /**
   * These limits with another largest value.
   *
   * @param maxValueBytes the largest value, in encoded bytes; default {@value
   *     #DEFAULT_MAX_VALUE_BYTES} (1 MiB)
   * @return these limits with another largest value
   */
  public InputRules withMaxValueBytes(int maxValueBytes) {
    return new InputRules(maxKeyBytes, maxValueBytes, maxNamespaceLength, maxMetadataBytes);
  }

  /**
   * These limits with another longest namespace name.
   *
   * @param maxNamespaceLength the longest namespace name; default {@value
   *     #DEFAULT_MAX_NAMESPACE_LENGTH}
   * @return these limits with another longest namespace name
   */
  public InputRules withMaxNamespaceLength(int maxNamespaceLength) {
    return new InputRules(maxKeyBytes, maxValueBytes, maxNamespaceLength, maxMetadataBytes);
  }

  /**
   * These limits with another metadata and tag budget.
   *
   * @param maxMetadataBytes the most bytes of UTF-8 that the metadata keys and values and the tags
   *     of one write may hold together; default {@value #DEFAULT_MAX_METADATA_BYTES}
   * @return these limits with another metadata and tag budget
   */
  public InputRules withMaxMetadataBytes(int maxMetadataBytes) {
    return new InputRules(maxKeyBytes, maxValueBytes, maxNamespaceLength, maxMetadataBytes);
  }

  /**
   * Checks a namespace name.
   *
   * @param namespace the namespace name
   * @throws NullPointerException if {@code namespace} is null
   * @throws InvalidInputException if it is empty, too long, or holds a character other than
   *     letters, digits, {@code _}, {@code -} and {@code .}, or does not start with a letter or digit
   */
  public void checkNamespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    int n = namespace.length();
    if (n == 0 || n > maxNamespaceLength) {
      throw new InvalidInputException("namespace", "must be 1 to " + maxNamespaceLength + " characters (was " + n + ")");
    }
    for (int i = 0; i < n; i++) {
      char c = namespace.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '_' && c != '-' && c != '.'))) {
        throw new InvalidInputException("namespace",
            "must start with a letter or digit and hold only letters, digits, '_', '-' and '.'");
      }
    }
  }

  /**
   * Checks a key.
   *
   * @param key the entry's key
   * @throws NullPointerException if {@code key} is null
   * @throws InvalidInputException if it is empty, longer than {@link #maxKeyBytes()} bytes of
   *     UTF-8, not valid Unicode, holds a control character, or has an empty path segment
   */
  public void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new InvalidInputException("key", "must not be empty");
    }
    checkText(key, "key");
    if (key.charAt(0) == '/' || key.charAt(key.length() - 1) == '/' || key.contains("//")) {
      throw new InvalidInputException("key", "must not have an empty path segment (a leading or trailing '/', or '//')");
    }
  }

  /**
   * Checks a listing prefix; the empty prefix is valid and lists everything.
   *
   * @param prefix the key prefix
   * @throws NullPointerException if {@code prefix} is null
   * @throws InvalidInputException if it is longer than {@link #maxKeyBytes()} bytes of UTF-8, not
   *     valid Unicode, or holds a control character
   */
  public void checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    checkText(prefix, "prefix");
  }

  private void checkText(String text, String field) {
    int bytes = Utf8.encodedLength(text);
    if (bytes < 0) {
      throw new InvalidInputException(field, "must be valid Unicode (it holds an unpaired surrogate)");
    }
    if (bytes > maxKeyBytes) {
      throw new InvalidInputException(field, "must be at most " + maxKeyBytes + " bytes of UTF-8 (was " + bytes + ")");
    }
    FreeText.requireNoControl(text, field);
  }

  /**
   * Checks a value's size.
   *
   * @param value the value to write
   * @throws NullPointerException if {@code value} is null
   * @throws InvalidInputException if it is larger than {@link #maxValueBytes()}
   */
  public void checkValue(Value value) {
    Objects.requireNonNull(value, "value");
    if (value.size() > maxValueBytes) {
      throw new InvalidInputException("value", "must be at most " + maxValueBytes + " bytes (was " + value.size() + ")");
    }
  }

  /**
   * Checks a write's metadata and tags: no empty names or tags, no control characters, within
   * {@link #maxMetadataBytes()} together.
   *
   * @param options TTL, metadata, tags and reason of the write
   * @throws NullPointerException if {@code options} is null
   * @throws InvalidInputException if a rule is broken
   */
  public void checkOptions(WriteOptions options) {
    Objects.requireNonNull(options, "options");
    long total = 0;
    for (Map.Entry<String, String> m : options.metadata().entrySet()) {
      total += metadataText(m.getKey(), "metadata name", false) + metadataText(m.getValue(), "metadata value", true);
    }
    for (String tag : options.tags()) {
      total += metadataText(tag, "tag", false);
    }
    if (total > maxMetadataBytes) {
      throw new InvalidInputException("metadata", "and tags must be at most " + maxMetadataBytes + " bytes together (was " + total + ")");
    }
  }

  private static int metadataText(String text, String field, boolean mayBeEmpty) {
    if (!mayBeEmpty && text.isEmpty()) {
      throw new InvalidInputException(field, "must not be empty");
    }
    int bytes = Utf8.encodedLength(text);
    if (bytes < 0) {
      throw new InvalidInputException(field, "must be valid Unicode (it holds an unpaired surrogate)");
    }
    FreeText.requireNoControl(text, field);
    return bytes;
  }
}
