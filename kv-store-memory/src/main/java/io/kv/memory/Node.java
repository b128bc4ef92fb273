package io.kv.memory;

import io.kv.Entry;
import io.kv.VersionRecord;
import java.util.List;
import java.util.Optional;

/**
 * One live version of an entry as the store holds it. Immutable: a write installs a new node. The
 * {@code Optional} a read returns is made once here, so a read allocates nothing.
 */
final class Node {
  static final long NO_EXPIRY = Long.MAX_VALUE;

  final Entry entry;
  final Optional<Entry> present;
  /** Expiry in epoch milliseconds, or {@link #NO_EXPIRY}. */
  final long expiresAt;
  /** Newest first; the head describes {@link #entry} itself. */
  final List<VersionRecord> history;

  Node(Entry entry, long expiresAt, List<VersionRecord> history) {
    this.entry = entry;
    this.present = Optional.of(entry);
    this.expiresAt = expiresAt;
    this.history = history;
  }

  boolean expiredAt(long nowMillis) {
    return nowMillis >= expiresAt;
  }
}
