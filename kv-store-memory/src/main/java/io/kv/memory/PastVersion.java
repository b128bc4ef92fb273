package io.kv.memory;

import io.kv.ChangeType;
import io.kv.Principal;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.VersionRecord;
import io.kv.internal.ValueBytes;
import java.time.Instant;
import java.util.Optional;

/**
 * An earlier version of an entry as the store keeps it: the parts of its {@link VersionRecord},
 * with the value's type and array and the time in milliseconds as fields of one object.
 * Immutable; {@link #record()} makes the public record when history is read.
 *
 * <p>Why not the record itself: a namespace that keeps versions (a secret one keeps ten) makes
 * one of these on every write, and each stays live until as many later writes of its key have
 * pushed it out. As a record it is up to four objects (the record, its {@code Value}, its {@code
 * Instant}, which the writes of one millisecond share, and the value's array); here it is two,
 * 16 to 40 bytes fewer, and the collector copies each one still live at a young collection.
 */
final class PastVersion {
  final long version;
  private final ValueType type;
  /** The value's own array, shared with the {@code Value} it came from; never written. */
  private final byte[] bytes;
  private final ChangeType change;
  private final Principal changedBy;
  /** When, in epoch milliseconds: the store keeps every time to the millisecond (a restore truncates). */
  private final long changedAt;
  private final Optional<String> reason;

  /** The version {@code version} of {@code value}, written at {@code changedAt}; the arguments are checked already. */
  PastVersion(long version, Value value, ChangeType change, Principal changedBy, Instant changedAt,
      Optional<String> reason) {
    this.version = version;
    this.type = value.type();
    this.bytes = ValueBytes.raw(value);
    this.change = change;
    this.changedBy = changedBy;
    this.changedAt = changedAt.toEpochMilli();
    this.reason = reason;
  }

  /** {@code r} as the store keeps it. */
  static PastVersion of(VersionRecord r) {
    return new PastVersion(r.version(), r.value(), r.change(), r.changedBy(), r.changedAt(), r.reason());
  }

  /** The public record of this version; its value shares this version's bytes (values are immutable). */
  VersionRecord record() {
    return new VersionRecord(version, ValueBytes.adopt(type, bytes), change, changedBy,
        Instant.ofEpochMilli(changedAt), reason);
  }
}
