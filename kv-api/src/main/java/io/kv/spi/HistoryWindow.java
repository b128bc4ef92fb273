package io.kv.spi;

import io.kv.VersionRecord;
import java.util.List;

/**
 * Which versions of an entry its history keeps, as every backend trims it: besides the current
 * version, the versions at most {@link io.kv.NamespaceSettings#maxVersions() maxVersions} below
 * it. The window is counted in version numbers, not in records: a history written by this store
 * has one record per version, so the two agree, but a restored history with gaps (versions 10, 5
 * and 3) keeps only the records inside the window (with {@code maxVersions} 3, version 10 alone),
 * exactly as the next write would trim it.
 *
 * <p>Stateless and thread-safe.
 */
public final class HistoryWindow {
  private HistoryWindow() {}

  /**
   * The oldest version the history of an entry at {@code version} keeps; may be zero or negative
   * when every earlier version fits.
   *
   * @param version the entry's current version
   * @param maxVersions how many earlier versions to keep
   * @return the oldest version the history of an entry at {@code version} keeps
   */
  public static long oldestKept(long version, int maxVersions) {
    return version - maxVersions;
  }

  /**
   * The records of {@code history} (newest first, its first record the current version's) that
   * the window keeps: a prefix of it.
   *
   * @param history the earlier versions
   * @param maxVersions how many earlier versions to keep
   * @return the records of {@code history} (newest first, its first record the current version's)
   *     that the window keeps
   * @throws NullPointerException if {@code history} is null
   * @throws IndexOutOfBoundsException if {@code history} is empty
   */
  public static List<VersionRecord> kept(List<VersionRecord> history, int maxVersions) {
    long oldest = oldestKept(history.get(0).version(), maxVersions);
    int n = 1;
    while (n < history.size() && history.get(n).version() >= oldest) {
      n++;
    }
    return n == history.size() ? history : history.subList(0, n);
  }
}
