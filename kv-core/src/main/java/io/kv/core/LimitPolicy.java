package io.kv.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The limits the limits layer enforces, for a whole store or for one namespace. Immutable and
 * thread-safe; start from {@link #defaults()} and change it with the {@code with...} methods.
 *
 * <h2>Store and namespace limits</h2>
 * A store has one {@code LimitPolicy}; a namespace may have its own, which replaces the store's
 * <em>wholesale</em> for every operation on that namespace: no field is inherited. Derive a
 * namespace's limits from the store's so that the fields it does not change carry over:
 *
 * <pre>{@code
 * LimitPolicy store = LimitPolicy.defaults().withMaxOperationsPerSecond(100);
 * LimitPolicy uploads = store.withMaxValueBytes(8 << 20).withMaxEntriesPerNamespace(10_000);
 * }</pre>
 *
 * <p>Wholesale replacement keeps one rule easy to state: the limits that apply to an operation
 * are exactly the {@code LimitPolicy} configured for its namespace, or else the store's.
 *
 * <h2>What each limit does</h2>
 * <ul>
 *   <li>{@link #maxKeyBytes()} and {@link #maxValueBytes()} refuse larger keys and values with an
 *       {@link io.kv.InvalidInputException} (field {@code "key"}, {@code "prefix"} or {@code
 *       "value"}). The limits layer can only tighten the backend's own {@link io.kv.InputRules}: a key
 *       or value the layer lets through is still checked by the backend.
 *   <li>{@link #minTtl()} and {@link #maxTtl()} bound the TTL of a write and the default TTL of a
 *       namespace, refused with an {@link io.kv.InvalidInputException} (field {@code "ttl"} or
 *       {@code "defaultTtl"}).
 *   <li>{@link #maxEntriesPerNamespace()} is a quota: a write that would create an entry in a
 *       namespace that already holds that many live entries fails with {@link
 *       QuotaExceededException}; writes to existing entries still pass.
 *   <li>{@link #maxOperationsPerSecond()} is a rate limit per principal: each call costs one token
 *       of a bucket that holds a second's worth of tokens and refills continuously; a call finding
 *       it empty fails with {@link RateLimitedException}.
 * </ul>
 *
 * @param maxKeyBytes the longest key (and listing prefix), in bytes of UTF-8; default {@value
 *     io.kv.InputRules#DEFAULT_MAX_KEY_BYTES}
 * @param maxValueBytes the largest value, in encoded bytes; default {@value
 *     io.kv.InputRules#DEFAULT_MAX_VALUE_BYTES} (1 MiB)
 * @param minTtl the shortest TTL a write or a namespace default may set; default one second
 * @param maxTtl the longest TTL a write or a namespace default may set; default none
 * @param maxEntriesPerNamespace the most live entries a namespace may hold; default none
 * @param maxOperationsPerSecond the most calls per second per principal; default none
 */
public record LimitPolicy(
    int maxKeyBytes,
    int maxValueBytes,
    Duration minTtl,
    Optional<Duration> maxTtl,
    OptionalLong maxEntriesPerNamespace,
    OptionalInt maxOperationsPerSecond) {

  /** The default shortest TTL: one second. */
  public static final Duration DEFAULT_MIN_TTL = Duration.ofSeconds(1);

  /**
   * The highest rate limit: one operation per nanosecond, the resolution the rate limiter keeps
   * time in.
   */
  public static final int MAX_OPERATIONS_PER_SECOND_LIMIT = 1_000_000_000;

  private static final LimitPolicy DEFAULTS = new LimitPolicy(
      io.kv.InputRules.DEFAULT_MAX_KEY_BYTES,
      io.kv.InputRules.DEFAULT_MAX_VALUE_BYTES,
      DEFAULT_MIN_TTL,
      Optional.empty(),
      OptionalLong.empty(),
      OptionalInt.empty());

  /**
   * Checks the components.
   *
   * @param maxKeyBytes the longest key (and listing prefix), in bytes of UTF-8; default {@value
   *     io.kv.InputRules#DEFAULT_MAX_KEY_BYTES}
   * @param maxValueBytes the largest value, in encoded bytes; default {@value
   *     io.kv.InputRules#DEFAULT_MAX_VALUE_BYTES} (1 MiB)
   * @param minTtl the shortest TTL a write or a namespace default may set; default one second
   * @param maxTtl the longest TTL a write or a namespace default may set; default none
   * @param maxEntriesPerNamespace the most live entries a namespace may hold; default none
   * @param maxOperationsPerSecond the most calls per second per principal; default none
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if a size is not positive, {@code minTtl} is not positive,
   *     {@code maxTtl} is shorter than {@code minTtl}, the quota is negative, or the rate is not
   *     between 1 and {@link #MAX_OPERATIONS_PER_SECOND_LIMIT}
   */
  public LimitPolicy {
    Objects.requireNonNull(minTtl, "minTtl");
    Objects.requireNonNull(maxTtl, "maxTtl");
    Objects.requireNonNull(maxEntriesPerNamespace, "maxEntriesPerNamespace");
    Objects.requireNonNull(maxOperationsPerSecond, "maxOperationsPerSecond");
    if (maxKeyBytes < 1) {
      throw new IllegalArgumentException("maxKeyBytes must be positive, was " + maxKeyBytes);
    }
    if (maxValueBytes < 1) {
      throw new IllegalArgumentException("maxValueBytes must be positive, was " + maxValueBytes);
    }
    if (minTtl.isNegative() || minTtl.isZero()) {
      throw new IllegalArgumentException("minTtl must be positive, was " + minTtl);
    }
    if (maxTtl.isPresent() && maxTtl.get().compareTo(minTtl) < 0) {
      throw new IllegalArgumentException("maxTtl must not be shorter than minTtl (" + minTtl + "), was " + maxTtl.get());
    }
    if (maxEntriesPerNamespace.isPresent() && maxEntriesPerNamespace.getAsLong() < 0) {
      throw new IllegalArgumentException(
          "maxEntriesPerNamespace must not be negative, was " + maxEntriesPerNamespace.getAsLong());
    }
    if (maxOperationsPerSecond.isPresent()
        && (maxOperationsPerSecond.getAsInt() < 1 || maxOperationsPerSecond.getAsInt() > MAX_OPERATIONS_PER_SECOND_LIMIT)) {
      throw new IllegalArgumentException("maxOperationsPerSecond must be between 1 and "
          + MAX_OPERATIONS_PER_SECOND_LIMIT + ", was " + maxOperationsPerSecond.getAsInt());
    }
  }

  /**
   * The defaults, which match {@link io.kv.InputRules#defaults()}: 512-byte keys, 1 MiB values, TTLs
   * of at least one second and no maximum, no quota, no rate limit.
   *
   * @return the defaults, which match {@link io.kv.InputRules#defaults()}
   */
  public static LimitPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * These limits with another longest key.
   *
   * @param maxKeyBytes the longest key (and listing prefix), in bytes of UTF-8; default {@value
   *     io.kv.InputRules#DEFAULT_MAX_KEY_BYTES}
   * @return these limits with another longest key
   * @throws IllegalArgumentException if {@code maxKeyBytes} is not positive
   */
  public LimitPolicy withMaxKeyBytes(int maxKeyBytes) {
    return new LimitPolicy(maxKeyBytes, maxValueBytes, minTtl, maxTtl, maxEntriesPerNamespace, maxOperationsPerSecond);
  }

  /**
   * These limits with another largest value.
   *
   * @param maxValueBytes the largest value, in encoded bytes; default {@value
   *     io.kv.InputRules#DEFAULT_MAX_VALUE_BYTES} (1 MiB)
   * @return these limits with another largest value
   * @throws IllegalArgumentException if {@code maxValueBytes} is not positive
   */
  public LimitPolicy withMaxValueBytes(int maxValueBytes) {
    return new LimitPolicy(maxKeyBytes, maxValueBytes, minTtl, maxTtl, maxEntriesPerNamespace, maxOperationsPerSecond);
  }

  /**
   * These limits with another shortest TTL.
   *
   * @param minTtl the shortest TTL a write or a namespace default may set; default one second
   * @return these limits with another shortest TTL
   * @throws NullPointerException if {@code minTtl} is null
   * @throws IllegalArgumentException if it is not positive, or longer than {@link #maxTtl()}
   */
  public LimitPolicy withMinTtl(Duration minTtl) {
    return new LimitPolicy(maxKeyBytes, maxValueBytes, minTtl, maxTtl, maxEntriesPerNamespace, maxOperationsPerSecond);
  }

  /**
   * These limits with a longest TTL.
   *
   * @param maxTtl the longest TTL a write or a namespace default may set; default none
   * @return these limits with a longest TTL
   * @throws NullPointerException if {@code maxTtl} is null
   * @throws IllegalArgumentException if it is shorter than {@link #minTtl()}
   */
  public LimitPolicy withMaxTtl(Duration maxTtl) {
    return new LimitPolicy(maxKeyBytes, maxValueBytes, minTtl, Optional.of(maxTtl), maxEntriesPerNamespace,
        maxOperationsPerSecond);
  }

  /**
   * These limits without a longest TTL.
   *
   * @return these limits without a longest TTL
   */
  public LimitPolicy withoutMaxTtl() {
    return new LimitPolicy(maxKeyBytes, maxValueBytes, minTtl, Optional.empty(), maxEntriesPerNamespace,
        maxOperationsPerSecond);
  }

  /**
   * These limits with a quota of live entries per namespace; 0 lets no entry be created.
   *
   * @param maxEntries the most live entries a namespace holds
   * @return these limits with a quota of live entries per namespace
   * @throws IllegalArgumentException if {@code maxEntries} is negative
   */
  public LimitPolicy withMaxEntriesPerNamespace(long maxEntries) {
    return new LimitPolicy(maxKeyBytes, maxValueBytes, minTtl, maxTtl, OptionalLong.of(maxEntries),
        maxOperationsPerSecond);
  }

  /**
   * These limits without a quota of entries per namespace.
   *
   * @return these limits without a quota of entries per namespace
   */
  public LimitPolicy withoutMaxEntriesPerNamespace() {
    return new LimitPolicy(maxKeyBytes, maxValueBytes, minTtl, maxTtl, OptionalLong.empty(), maxOperationsPerSecond);
  }

  /**
   * These limits with a rate limit per principal.
   *
   * @param operations the most operations per second for one principal
   * @return these limits with a rate limit per principal
   * @throws IllegalArgumentException if {@code operations} is not between 1 and {@link
   *     #MAX_OPERATIONS_PER_SECOND_LIMIT}
   */
  public LimitPolicy withMaxOperationsPerSecond(int operations) {
    return new LimitPolicy(maxKeyBytes, maxValueBytes, minTtl, maxTtl, maxEntriesPerNamespace,
        OptionalInt.of(operations));
  }

  /**
   * These limits without a rate limit.
   *
   * @return these limits without a rate limit
   */
  public LimitPolicy withoutMaxOperationsPerSecond() {
    return new LimitPolicy(maxKeyBytes, maxValueBytes, minTtl, maxTtl, maxEntriesPerNamespace, OptionalInt.empty());
  }
}
