package io.kv.spi;

import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.InputRules;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The input of an {@link io.kv.EntryRestorer#restore}, checked against every rule that needs no
 * storage and normalised, as every backend takes it: timestamps truncated to the millisecond, an
 * empty history replaced by the entry's own record (written by the restoring principal at the
 * entry's {@code updatedAt}, without a reason), and the record of the entry's own version sharing
 * the entry's {@link Value} instance when the two are equal. What is left for the backend, under
 * its lock or in its transaction: {@link #requireUnexpired} by its clock, and keeping {@link
 * #history(int)} for the namespace's history depth.
 *
 * <p>Immutable and thread-safe.
 */
public final class RestoreInput {
  private final Entry entry;
  private final List<VersionRecord> history;

  private RestoreInput(Entry entry, List<VersionRecord> history) {
    this.entry = entry;
    this.history = history;
  }

  /**
   * Checks and normalises a restore's input.
   *
   * @param limits the backend's limits
   * @param principal who restores: the author of the record made for an empty history
   * @param entry the entry to restore
   * @param history the earlier versions
   * @return the checked input, ready for a backend to write
   * @throws NullPointerException if an argument or a history record is null
   * @throws InvalidInputException if the namespace, key, a value, the metadata or tags break
   *     {@code limits}; if the expiry falls after {@link Expiry#LATEST} (field {@code
   *     "expiresAt"}); if the history does not start with the entry's own version or its versions
   *     do not strictly decrease down to at least 1 (field {@code "history"})
   */
  public static RestoreInput check(InputRules limits, Principal principal, Entry entry, List<VersionRecord> history) {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(history, "history");
    limits.checkNamespace(entry.namespace());
    limits.checkKey(entry.key());
    limits.checkValue(entry.value());
    limits.checkOptions(WriteOptions.none().withMetadata(entry.metadata()).withTags(entry.tags()));
    Optional<Instant> expiresAt = entry.expiresAt().map(RestoreInput::millis);
    if (expiresAt.isPresent()) {
      Expiry.requireStorable(expiresAt.get().toEpochMilli());
    }
    Entry exact = new Entry(entry.namespace(), entry.key(), entry.value(), entry.version(), millis(entry.createdAt()),
        millis(entry.updatedAt()), expiresAt, entry.metadata(), entry.tags());
    return new RestoreInput(exact, records(limits, principal, exact, history));
  }

  private static List<VersionRecord> records(InputRules limits, Principal principal, Entry entry, List<VersionRecord> history) {
    if (history.isEmpty()) {
      ChangeType kind = entry.version() == 1 ? ChangeType.CREATED : ChangeType.UPDATED;
      return List.of(new VersionRecord(entry.version(), entry.value(), kind, principal, entry.updatedAt(), Optional.empty()));
    }
    List<VersionRecord> out = new ArrayList<>(history.size());
    long previous = entry.version() + 1;
    for (VersionRecord r : history) {
      Objects.requireNonNull(r, "history record");
      if (out.isEmpty() && r.version() != entry.version()) {
        throw new InvalidInputException("history",
            "must start with the record of the entry's own version " + entry.version() + " (was " + r.version() + ")");
      }
      if (r.version() >= previous || r.version() < 1) {
        throw new InvalidInputException("history",
            "versions must strictly decrease and be at least 1 (found " + r.version() + " after " + previous + ")");
      }
      limits.checkValue(r.value());
      previous = r.version();
      // The head shares the entry's value, as after a write, so a rewrite of values treats them as one copy.
      Value value = out.isEmpty() && r.value().equals(entry.value()) ? entry.value() : r.value();
      out.add(new VersionRecord(r.version(), value, r.change(), r.changedBy(), millis(r.changedAt()), r.reason()));
    }
    return Collections.unmodifiableList(out);
  }

  private static Instant millis(Instant instant) {
    return Instant.ofEpochMilli(instant.toEpochMilli());
  }

  /**
   * The entry to write, its timestamps truncated to the millisecond.
   *
   * @return the entry to write, its timestamps truncated to the millisecond
   */
  public Entry entry() {
    return entry;
  }

  /**
   * The entry's expiry in epoch milliseconds, or {@code none} if it has none.
   *
   * @param none what to answer for an entry without expiry
   * @return the entry's expiry in epoch milliseconds, or {@code none} if it has none
   */
  public long expiresAtMillis(long none) {
    return entry.expiresAt().map(Instant::toEpochMilli).orElse(none);
  }

  /**
   * The history to keep in a namespace that keeps {@code maxVersions} earlier versions, newest
   * first, trimmed by {@link HistoryWindow}; never empty, and its first record is the entry's own.
   *
   * @param maxVersions how many earlier versions to keep
   * @return the history to keep in a namespace that keeps {@code maxVersions} earlier versions,
   *     newest first, trimmed by {@link HistoryWindow}
   */
  public List<VersionRecord> history(int maxVersions) {
    return HistoryWindow.kept(history, maxVersions);
  }

  /**
   * Checks that the entry has not expired at {@code nowMillis}, the backend's clock's time.
   *
   * @param nowMillis the current time, in epoch milliseconds
   * @throws InvalidInputException naming {@code "expiresAt"} if it has
   */
  public void requireUnexpired(long nowMillis) {
    if (entry.expiresAt().isPresent()) {
      Expiry.requireFuture(entry.expiresAt().get().toEpochMilli(), nowMillis);
    }
  }
}
