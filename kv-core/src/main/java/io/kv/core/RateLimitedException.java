package io.kv.core;

import io.kv.LimitExceededException;
import java.util.Objects;

/**
 * A principal made more calls than its rate limit allows ({@link
 * LimitPolicy#maxOperationsPerSecond()}); the call was refused before it reached the store, so
 * nothing was read or changed. Calls are allowed again as the principal's bucket refills, at the
 * configured rate.
 */
public class RateLimitedException extends LimitExceededException {
  private static final long serialVersionUID = 1L;

  /** The name of the limit this exception reports: {@value}. */
  public static final String LIMIT = "maxOperationsPerSecond";

  /** The name of the principal that was slowed down. */
  private final String principal;
  /** The rate limit that was reached, in operations per second. */
  private final int maxOperationsPerSecond;

  /**
   * @param principal the name of the principal that was refused
   * @param maxOperationsPerSecond the rate it is allowed
   * @throws NullPointerException if {@code principal} is null
   */
  public RateLimitedException(String principal, int maxOperationsPerSecond) {
    super(LIMIT, "principal '" + Objects.requireNonNull(principal, "principal") + "' may make at most "
        + maxOperationsPerSecond + " calls per second (" + LIMIT + "); retry later");
    this.principal = principal;
    this.maxOperationsPerSecond = maxOperationsPerSecond;
  }

  /**
   * The name of the principal that was refused.
   *
   * @return the name of the principal that was refused
   */
  public String principal() {
    return principal;
  }

  /**
   * The rate it is allowed, in calls per second.
   *
   * @return the rate it is allowed, in calls per second
   */
  public int maxOperationsPerSecond() {
    return maxOperationsPerSecond;
  }
}
