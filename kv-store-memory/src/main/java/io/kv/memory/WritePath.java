package io.kv.memory;

import io.kv.ChangeEvent;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.Principal;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.spi.EntryChecks;
import io.kv.spi.Expiry;
import io.kv.spi.WriteTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The steps every entry write of the memory store takes with its namespace's lock held: a new
 * version on top of the current one, a delete, the version check, the expiry a write sets. Each
 * publishes its event before the caller releases the lock, which keeps events in version order
 * per key. Static, so that the hot write path reaches them without a field load; stateless.
 */
final class WritePath {
  private WritePath() {}

  /** Writes a new version on top of {@code cur} (null for a create), looking its slot up. */
  static Entry install(SharedState state, Principal principal, NamespaceTable s, String key, Node cur, Value value,
      WriteOptions options, ChangeType change, long now, long expiresAt) {
    return install(state, principal, s, key, null, cur, value, options, change, now, expiresAt);
  }

  /** Writes a new version on top of {@code cur} (null for a create); {@code slot} is its slot, or null. */
  static Entry install(SharedState state, Principal principal, NamespaceTable s, String key, NamespaceTable.Slot slot,
      Node cur, Value value, WriteOptions options, ChangeType change, long now, long expiresAt) {
    Entry entry = stage(state, principal, s, key, slot, cur, value, options, change, now, expiresAt);
    // Published before reclaiming, whose expiries take later revisions: a namespace's events go in revision order.
    if (!state.listeners.isEmpty()) {
      state.listeners.publish(new ChangeEvent(cur == null ? ChangeType.CREATED : change, s.name, key, entry.version(),
          changedAt(entry, now), principal, entry.revision()));
    }
    state.reclaimDue(s, now, SharedState.RECLAIM_PER_WRITE);
    return entry;
  }

  /**
   * What {@link #install} does except reclaiming and publishing: a transaction publishes its
   * events only once all of its writes are in. The write is logged under its revision.
   */
  static Entry stage(SharedState state, Principal principal, NamespaceTable s, String key, NamespaceTable.Slot slot,
      Node cur, Value value, WriteOptions options, ChangeType change, long now, long expiresAt) {
    ChangeType kind = cur == null ? ChangeType.CREATED : change;
    long version = cur == null ? 1 : cur.entry.version() + 1;
    Instant at = cur == null ? s.instantAt(now) : stamp(s, cur.entry.updatedAt().toEpochMilli(), now);
    int maxVersions = s.settings().maxVersions();
    PastVersion[] earlier = Node.earlierAfter(cur, maxVersions);
    Entry entry;
    synchronized (state.log) {
      long revision = state.log.next(s);
      entry = new Entry(s.name, key, value, version, cur == null ? at : cur.entry.createdAt(), at,
          expiresAt == Node.NO_EXPIRY ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expiresAt)),
          options.metadata(), options.tags(), revision);
      s.replace(key, slot, cur, new Node(entry, expiresAt, kind, principal, options.reason(), earlier,
          Node.consecutiveAfter(cur, maxVersions)));
      state.log.append(revision, kind, s.name, key, version, changedAt(entry, now), principal);
    }
    if (expiresAt != Node.NO_EXPIRY) {
      state.sweepNeeded();
    }
    return entry;
  }

  /**
   * Writes a new version without an expiry on top of the live entry in slot {@code i} of the fast
   * index, which holds the node slot of {@code key}: what {@link #install} does for that case,
   * without looking the key up again. The slot has the current version and times, and what
   * history carries forward; the current node is read only for history, and only when the write
   * before this one left no record in the slot.
   */
  static Entry overwrite(SharedState state, Principal principal, NamespaceTable s, int i, String key, Value value,
      WriteOptions options, ChangeType change, long now) {
    NamespaceTable.Slot slot = s.fast.nodeSlotAt(i);
    int maxVersions = s.settings().maxVersions();
    long version = slot.version() + 1;
    PastVersion[] earlier;
    if (maxVersions == 0) {
      earlier = Node.NONE;
    } else if (slot.head() != null) {
      // Everything from the slot: the current node is not loaded.
      earlier = Node.earlierAfter(slot.head(), slot.earlier(), slot.consecutive(), slot.version(), maxVersions);
    } else {
      earlier = Node.earlierAfter(slot.node(), maxVersions, slot.version(), slot.updatedAtInstant());
    }
    boolean consecutive = maxVersions == 0 || slot.consecutive();
    Instant at = stamp(s, slot.updatedAt(), now);
    Entry entry;
    ChangeEvent event;
    synchronized (state.log) {
      long revision = state.log.next(s);
      entry = new Entry(s.name, key, value, version, slot.createdAt(), at, Optional.empty(), options.metadata(),
          options.tags(), revision);
      s.replaceInFast(i, new Node(entry, Node.NO_EXPIRY, change, principal, options.reason(), earlier, consecutive));
      event = state.log.append(revision, change, s.name, key, version, changedAt(entry, now), principal);
    }
    if (maxVersions > 0) {
      // The record the next write of this key puts into history, made while its parts are at hand.
      slot.setHead(new PastVersion(version, value, change, principal, at, options.reason()));
    }
    state.listeners.publish(event);
    state.reclaimDue(s, now, SharedState.RECLAIM_PER_WRITE);
    return entry;
  }

  /**
   * {@code now} as the time of the change that wrote {@code entry}: its update time, the very
   * object, unless the clock stepped back since the previous version (see {@link WriteTimes}), so
   * that a write does not allocate a second {@code Instant} for its event.
   */
  private static Instant changedAt(Entry entry, long now) {
    Instant updated = entry.updatedAt();
    return updated.toEpochMilli() == now ? updated : Instant.ofEpochMilli(now);
  }

  /**
   * The updatedAt of a version written at {@code now} over one written at {@code previous} (epoch
   * ms), by {@link WriteTimes}: the clock may have stepped back since.
   */
  private static Instant stamp(NamespaceTable s, long previous, long now) {
    return s.instantAt(WriteTimes.updatedAt(now, previous));
  }

  /** Deletes the live entry {@code cur} of {@code key}. */
  static void remove(SharedState state, Principal principal, NamespaceTable s, String key, Node cur, long now) {
    state.listeners.publish(state.removeLogged(s, key, null, cur, ChangeType.DELETED, Instant.ofEpochMilli(now), principal));
  }

  /** The live node of {@code key}, if its version is {@code expectedVersion}. */
  static Node requireVersion(SharedState state, NamespaceTable s, String key, long expectedVersion, long now) {
    Node cur = state.live(s, key, now);
    EntryChecks.requireVersion(s.name, key, expectedVersion, cur != null, cur == null ? 0 : cur.entry.version());
    return cur;
  }

  /**
   * The expiry a write sets, in epoch milliseconds, or {@link Node#NO_EXPIRY}: from the write's
   * own TTL, else from the namespace's default TTL.
   */
  static long expiry(long now, WriteOptions options, NamespaceTable s) {
    Optional<Duration> ttl = Expiry.ttl(options, s.settings().defaultTtl());
    return ttl.isEmpty() ? Node.NO_EXPIRY : Expiry.at(now, ttl.get());
  }
}
