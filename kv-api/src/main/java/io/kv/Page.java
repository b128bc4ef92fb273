package io.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing, sorted by key.
 *
 * @param entries the entries of this page, in key order
 * @param nextCursor present exactly when at least one more live entry follows; pass it to {@link
 *     ListOptions#after(String)} for the next page. Opaque: its content is the store's business.
 */
public record Page(List<Entry> entries, Optional<String> nextCursor) {
  /**
   * Checks and copies the components.
   *
   * @param entries the entries of this page, in key order
   * @param nextCursor present exactly when at least one more live entry follows; pass it to {@link
   *     ListOptions#after(String)} for the next page. Opaque: its content is the store's business.
   */
  public Page {
    entries = List.copyOf(entries);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }

  /**
   * Whether another page follows.
   *
   * @return whether another page follows
   */
  public boolean hasMore() {
    return nextCursor.isPresent();
  }
}
