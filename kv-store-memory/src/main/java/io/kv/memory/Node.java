package io.kv.memory;

import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.spi.HistoryWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One live version of an entry as the store holds it. Immutable: a write installs a new node. The
 * {@code Optional} a read returns is made once here, so a read allocates nothing.
 *
 * <p>The history record of the node's own version is not stored as a record: the entry already
 * holds its version, value and time, and the node adds how it came about, who wrote it and why.
 * {@link #head()} builds the record when history is asked for, so a write to a namespace that keeps
 * no earlier versions allocates no history at all. Only a restored node whose own record says
 * something the entry does not (another value or time) keeps that record as given.
 */
final class Node {
  static final long NO_EXPIRY = Long.MAX_VALUE;

  final Entry entry;
  /** {@code entry.value()}, kept here for a write that records this version in history without loading the entry. */
  private final Value value;
  final Optional<Entry> present;
  /** Expiry in epoch milliseconds, or {@link #NO_EXPIRY}. */
  final long expiresAt;
  /** How {@link #entry} came about. */
  final ChangeType change;
  /** Who wrote {@link #entry}. */
  final Principal changedBy;
  /** The reason given with the write of {@link #entry}. */
  final Optional<String> reason;
  /** The record of {@link #entry}'s version when it cannot be derived from the entry; else null. */
  private final VersionRecord ownRecord;
  /**
   * The earlier versions the namespace keeps, newest first; empty if none. An array, not a list:
   * a write copies it, and every level of indirection is a cache miss for a key that was not
   * touched lately. Never changed after construction.
   */
  private final PastVersion[] earlier;
  /**
   * Whether {@link #earlier} holds exactly the versions just below the entry's, newest first
   * ({@code version - 1}, {@code version - 2}, ...), as every write leaves it: then which of them
   * the next write keeps follows from their number, without reading a record, a cache miss for
   * a key not touched lately. A restored history may have gaps.
   */
  private final boolean consecutive;

  /** No earlier versions. */
  static final PastVersion[] NONE = new PastVersion[0];

  /**
   * The node a write installs.
   *
   * @param earlier the earlier versions to keep, newest first, never changed afterwards
   */
  Node(Entry entry, long expiresAt, ChangeType change, Principal changedBy, Optional<String> reason,
      PastVersion[] earlier, boolean consecutive) {
    this(entry, expiresAt, change, changedBy, reason, null, earlier, consecutive);
  }

  private Node(Entry entry, long expiresAt, ChangeType change, Principal changedBy, Optional<String> reason,
      VersionRecord ownRecord, PastVersion[] earlier, boolean consecutive) {
    this.entry = entry;
    this.value = entry.value();
    this.present = Optional.of(entry);
    this.expiresAt = expiresAt;
    this.change = change;
    this.changedBy = changedBy;
    this.reason = reason;
    this.ownRecord = ownRecord;
    this.earlier = earlier;
    this.consecutive = consecutive;
  }

  /**
   * A node with a history given whole, newest first, as a restore or a rewrite of values has it.
   * Its first record must describe {@code entry}'s version.
   */
  static Node withHistory(Entry entry, long expiresAt, List<VersionRecord> history) {
    VersionRecord own = history.get(0);
    if (own.version() != entry.version()) {
      throw new IllegalArgumentException("history must start with version " + entry.version());
    }
    // The entry's own value object, not just an equal one: a rewrite of values treats the two as one copy.
    boolean derivable = own.value() == entry.value() && own.changedAt().equals(entry.updatedAt());
    PastVersion[] earlier = new PastVersion[history.size() - 1];
    boolean consecutive = true;
    for (int j = 0; j < earlier.length; j++) {
      earlier[j] = PastVersion.of(history.get(j + 1));
      consecutive &= earlier[j].version == entry.version() - 1 - j;
    }
    return new Node(entry, expiresAt, own.change(), own.changedBy(), own.reason(), derivable ? null : own, earlier,
        consecutive);
  }

  /** The history record of {@link #entry}'s own version. */
  VersionRecord head() {
    if (ownRecord != null) {
      return ownRecord;
    }
    return new VersionRecord(entry.version(), entry.value(), change, changedBy, entry.updatedAt(), reason);
  }

  /** The whole history: {@link #head()}, then the earlier versions kept. */
  List<VersionRecord> history() {
    if (earlier.length == 0) {
      return List.of(head());
    }
    List<VersionRecord> h = new ArrayList<>(earlier.length + 1);
    h.add(head());
    for (PastVersion p : earlier) {
      h.add(p.record());
    }
    return Collections.unmodifiableList(h);
  }

  /**
   * The records a write on top of {@code cur} keeps as its earlier versions: {@code cur}'s history,
   * cut to the {@link HistoryWindow} of the new version. {@code cur} may be null (a create).
   */
  static PastVersion[] earlierAfter(Node cur, int maxVersions) {
    if (cur == null || maxVersions == 0) {
      return NONE;
    }
    return earlierAfter(cur, maxVersions, cur.entry.version(), cur.entry.updatedAt());
  }

  /**
   * {@link #earlierAfter(Node, int)} of a live {@code cur} whose entry's version and update time
   * the caller holds (a {@link NamespaceTable.Slot} keeps them): it does not load the entry, a
   * cache miss for a key not written lately.
   */
  static PastVersion[] earlierAfter(Node cur, int maxVersions, long version, Instant updatedAt) {
    // Keep in step with consecutiveAfter.
    if (maxVersions == 0) {
      return NONE;
    }
    PastVersion head = cur.ownRecord != null ? PastVersion.of(cur.ownRecord)
        : new PastVersion(version, cur.value, cur.change, cur.changedBy, updatedAt, cur.reason);
    return earlierAfter(head, cur.earlier, cur.consecutive, version, maxVersions);
  }

  /**
   * The records a write of version {@code version + 1} keeps as its earlier versions, given the
   * current version's record ({@code head}), its earlier records ({@code old}, newest first) and
   * whether those are {@link #consecutive}; {@code maxVersions} is positive. Reads {@code old}'s
   * records only when they are not consecutive.
   */
  static PastVersion[] earlierAfter(PastVersion head, PastVersion[] old, boolean consecutive, long version,
      int maxVersions) {
    long oldest = HistoryWindow.oldestKept(version + 1, maxVersions);
    int keep = old.length;
    if (consecutive) {
      // Versions version - 1 down to version - length: the window keeps those at or above
      // version + 1 - maxVersions, the first maxVersions - 1 of them.
      keep = Math.min(keep, maxVersions - 1);
    } else {
      // Versions fall towards the end, so only the records that leave the window are read.
      while (keep > 0 && old[keep - 1].version < oldest) {
        keep--;
      }
    }
    PastVersion[] h = new PastVersion[keep + 1];
    h[0] = head;
    System.arraycopy(old, 0, h, 1, keep);
    return h;
  }

  /** The earlier versions kept, newest first; never to be changed. */
  PastVersion[] earlier() {
    return earlier;
  }

  /** Whether {@link #earlier()} holds exactly the versions just below the entry's, newest first. */
  boolean consecutive() {
    return consecutive;
  }

  /**
   * Whether the records {@link #earlierAfter} gives for a write of version {@code cur}'s + 1 on
   * top of {@code cur} are consecutive: none (no earlier versions kept), or {@code cur}'s own
   * record and a prefix of its earlier ones.
   */
  static boolean consecutiveAfter(Node cur, int maxVersions) {
    return cur == null || maxVersions == 0 || cur.consecutive;
  }

  boolean expiredAt(long nowMillis) {
    return nowMillis >= expiresAt;
  }
}
