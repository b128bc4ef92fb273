package io.kv.core;

import io.kv.LimitExceededException;
import java.util.Objects;

/**
 * A write would have created an entry in a namespace that already holds its quota of live
 * entries ({@link LimitPolicy#maxEntriesPerNamespace()}). Nothing was written. Writes to entries
 * that exist still pass; deleting entries, or their expiry, makes room again. {@link #namespace()}
 * names the namespace that is full.
 */
public class QuotaExceededException extends LimitExceededException {
  private static final long serialVersionUID = 1L;

  /** The name of the limit this exception reports: {@value}. */
  public static final String LIMIT = "maxEntriesPerNamespace";

  /** The quota of live entries that was reached. */
  private final long maxEntries;

  /**
   * @param namespace the namespace that is full
   * @param maxEntries its quota of live entries
   * @throws NullPointerException if {@code namespace} is null
   */
  public QuotaExceededException(String namespace, long maxEntries) {
    super(namespace, LIMIT, "namespace '" + Objects.requireNonNull(namespace, "namespace") + "' may hold at most "
        + maxEntries + " entries (" + LIMIT + "); delete entries before creating more");
    this.maxEntries = maxEntries;
  }

  /**
   * Its quota of live entries.
   *
   * @return its quota of live entries
   */
  public long maxEntries() {
    return maxEntries;
  }
}
