package io.kv.spi;

import io.kv.InvalidInputException;
import io.kv.InputRules;
import io.kv.ListOptions;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.WriteOptions;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The checks a backend applies to the arguments of an entry operation before it touches storage,
 * and the rule of a conditional write's expected version: the same rules and the same errors
 * from every backend.
 *
 * <p>Stateless and thread-safe.
 */
public final class EntryChecks {
  private EntryChecks() {}

  /**
   * Checks the arguments of a write against {@code limits}.
   *
   * @param limits the input limits
   * @param namespace the namespace name
   * @param key the entry's key
   * @param value the value to write
   * @param options TTL, metadata, tags and reason of the write
   * @throws NullPointerException if an argument is null
   * @throws InvalidInputException naming the field that breaks a limit
   */
  public static void write(InputRules limits, String namespace, String key, Value value, WriteOptions options) {
    limits.checkNamespace(namespace);
    limits.checkKey(key);
    limits.checkValue(value);
    limits.checkOptions(options);
  }

  /**
   * The distinct keys of a batch, in the order first given, each checked against {@code limits}.
   *
   * @param limits the input limits
   * @param keys the keys, at most {@link ListOptions#MAX_LIMIT}
   * @return the distinct keys of a batch, in the order first given, each checked against {@code
   *     limits}
   * @throws NullPointerException if {@code keys} or a key is null
   * @throws InvalidInputException if the batch holds more than {@link ListOptions#MAX_LIMIT} keys
   *     (field {@code "keys"}), or a key breaks a limit
   */
  public static LinkedHashSet<String> keys(InputRules limits, Collection<String> keys) {
    Objects.requireNonNull(keys, "keys");
    batchSize(keys.size());
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String key : keys) {
      limits.checkKey(key);
      unique.add(key);
    }
    return unique;
  }

  /**
   * Checks the size of a batch.
   *
   * @param size the number of keys in the batch
   * @throws InvalidInputException naming {@code "keys"} if {@code size} exceeds {@link ListOptions#MAX_LIMIT}
   */
  public static void batchSize(int size) {
    if (size > ListOptions.MAX_LIMIT) {
      throw new InvalidInputException("keys", "must number at most " + ListOptions.MAX_LIMIT + " per call (was " + size + ")");
    }
  }

  /**
   * Checks a version given by the caller (an expected or a target version).
   *
   * @param version the version to check
   * @param field the field named in an error
   * @throws InvalidInputException naming {@code field} if {@code version} is below 1
   */
  public static void version(long version, String field) {
    if (version < 1) {
      throw new InvalidInputException(field, "must be at least 1 (was " + version + ")");
    }
  }

  /**
   * Checks a conditional write's expected version against the live entry's.
   *
   * @param live whether a live entry stands under the key
   * @param liveVersion its version; ignored when there is none
   * @param namespace the namespace name
   * @param key the entry's key
   * @param expected the version the write expects
   * @throws VersionConflictException if there is no live entry or its version differs
   */
  public static void requireVersion(String namespace, String key, long expected, boolean live, long liveVersion) {
    if (!live) {
      throw new VersionConflictException(namespace, key, expected, OptionalLong.empty());
    }
    if (liveVersion != expected) {
      throw new VersionConflictException(namespace, key, expected, OptionalLong.of(liveVersion));
    }
  }
}
