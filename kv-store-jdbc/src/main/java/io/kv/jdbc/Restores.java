package io.kv.jdbc;

import io.kv.ChangeEvent;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.InvalidInputException;
import io.kv.Principal;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link io.kv.EntryRestorer#restore} on the JDBC store: one transaction that locks the entry's
 * row, writes the entry over it as given, replaces its history with the given records (as many
 * as the namespace keeps) and appends one {@code CREATED} or {@code UPDATED} row to the change
 * log. The record of the entry's own version goes into the entry row; the history table gets it
 * too only when its value or time differs from the entry's, so that it comes back as given.
 * Stateless.
 */
final class Restores {
  private Restores() {}

  /** A restore whose input passed every check that needs no database: what to write. */
  record Checked(Entry entry, long expiresAt, List<VersionRecord> history) {}

  /**
   * Checks {@code entry} and {@code history} against the limits and the form {@link
   * io.kv.EntryRestorer} asks for, and truncates their timestamps to the millisecond. An empty
   * history becomes the entry's own record, as written by {@code principal}.
   *
   * @throws NullPointerException if an argument or a record is null
   * @throws InvalidInputException if a limit or the form of the history is broken
   */
  static Checked check(InputRules limits, Principal principal, Entry entry, List<VersionRecord> history) {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(history, "history");
    limits.checkNamespace(entry.namespace());
    limits.checkKey(entry.key());
    limits.checkValue(entry.value());
    limits.checkOptions(WriteOptions.none().withMetadata(entry.metadata()).withTags(entry.tags()));
    Entry exact = new Entry(entry.namespace(), entry.key(), entry.value(), entry.version(), millis(entry.createdAt()),
        millis(entry.updatedAt()), entry.expiresAt().map(Restores::millis), entry.metadata(), entry.tags());
    long expiresAt = exact.expiresAt().map(Instant::toEpochMilli).orElse(Db.NO_EXPIRY);
    if (expiresAt != Db.NO_EXPIRY && expiresAt > JdbcStore.MAX_EXPIRY) {
      throw new InvalidInputException("expiresAt", "must not be after 9999-12-31T23:59:59.999Z");
    }
    return new Checked(exact, expiresAt, records(limits, principal, exact, history));
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
      out.add(new VersionRecord(r.version(), r.value(), r.change(), r.changedBy(), millis(r.changedAt()), r.reason()));
    }
    return out;
  }

  /**
   * Writes a checked restore in one transaction; the caller holds the key's stripe and publishes
   * the returned events once this returns.
   *
   * @throws InvalidInputException if the entry has expired by the store's clock; nothing is written
   * @throws io.kv.StorageException if the database fails; nothing is written
   */
  static List<ChangeEvent> restore(StoreState state, Principal principal, Checked checked) {
    Db db = state.db;
    Entry entry = checked.entry();
    String namespace = entry.namespace();
    String key = entry.key();
    return state.tx.run(Tx.Op.of("restore of", namespace, key), c -> {
      long now = state.clock.millis();
      if (checked.expiresAt() != Db.NO_EXPIRY && checked.expiresAt() <= now) {
        throw new InvalidInputException("expiresAt", "must be after the store's current time: the entry has already expired");
      }
      Db.Settings settings = db.settings(c, namespace);
      Db.Current cur = db.lock(c, namespace, key);
      List<ChangeEvent> events = new ArrayList<>(2);
      try (Db.Writes w = db.new Writes(c)) {
        Db.Current live = cur;
        if (cur != null && cur.expiredAt(now)) {
          JdbcStore.expireInPlace(w, namespace, key, cur, events);
          live = null;
        } else if (cur != null && cur.hasHistory()) {
          w.dropHistory(namespace, key);
        }
        List<VersionRecord> records = checked.history();
        VersionRecord head = records.get(0);
        long historyFrom = Db.NO_HISTORY;
        if (!head.value().equals(entry.value()) || !head.changedAt().equals(entry.updatedAt())) {
          w.record(namespace, key, head);
          historyFrom = head.version();
        }
        // Kept as a write keeps them: the versions from head - maxVersions up to the head.
        long oldest = entry.version() - settings.maxVersions();
        for (VersionRecord r : records.subList(1, records.size())) {
          if (r.version() < oldest) {
            break;
          }
          w.record(namespace, key, r);
          historyFrom = r.version();
        }
        w.writeEntry(entry, cur == null ? 0 : cur.version(), entry.value(),
            new Db.Head(head.change(), head.changedBy(), head.reason()), historyFrom);
        ChangeType kind = live == null ? ChangeType.CREATED : ChangeType.UPDATED;
        w.change(namespace, key, entry.version(), kind, principal, now);
        events.add(new ChangeEvent(kind, namespace, key, entry.version(), Instant.ofEpochMilli(now), principal));
        w.flush();
      }
      return events;
    });
  }

  private static Instant millis(Instant instant) {
    return Instant.ofEpochMilli(instant.toEpochMilli());
  }
}
