package io.kv.benchmarks;

import io.kv.Entry;
import io.kv.Page;
import java.util.Optional;

/**
 * Checks made before measuring: a benchmark of misses or of short pages would look fast and
 * mean nothing. Stateless.
 */
final class Checks {
  private Checks() {}

  /** {@code found} is a hit, or an {@link IllegalStateException} naming {@code key}. */
  static Entry hit(Optional<Entry> found, String key) {
    return found.orElseThrow(() -> new IllegalStateException("the store lost " + key));
  }

  /** {@code page} holds {@code size} entries, or an {@link IllegalStateException}. */
  static Page fullPage(Page page, int size) {
    if (page.entries().size() != size) {
      throw new IllegalStateException("a page held " + page.entries().size() + " entries, not " + size);
    }
    return page;
  }
}
