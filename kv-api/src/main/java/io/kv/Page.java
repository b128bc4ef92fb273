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
 * @param revision the store's revision as of the listing ({@link KvStore#revision()}): a caller
 *     that subscribes {@link KvStore#subscribe(ChangeFilter, long, ChangeListener) from it} is
 *     told of every later change and of none the page already shows; 0 when not known
 */
public record Page(List<Entry> entries, Optional<String> nextCursor, long revision) {
  /**
   * Checks and copies the components.
   *
   * @param entries the entries of this page, in key order
   * @param nextCursor present exactly when at least one more live entry follows; pass it to {@link
   *     ListOptions#after(String)} for the next page. Opaque: its content is the store's business.
   * @param revision the store's revision as of the listing; 0 when not known
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code revision} is negative
   */
  public Page {
    entries = List.copyOf(entries);
    Objects.requireNonNull(nextCursor, "nextCursor");
    if (revision < 0) {
      throw new IllegalArgumentException("revision must not be negative");
    }
  }

  /**
   * A page whose revision is not known (revision 0).
   *
   * @param entries the entries of this page, in key order
   * @param nextCursor present exactly when at least one more live entry follows
   * @throws NullPointerException if a component is null
   */
  public Page(List<Entry> entries, Optional<String> nextCursor) {
    this(entries, nextCursor, 0L);
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
