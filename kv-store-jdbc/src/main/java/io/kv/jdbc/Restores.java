package io.kv.jdbc;

import io.kv.ChangeEvent;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.InvalidInputException;
import io.kv.Principal;
import io.kv.VersionRecord;
import io.kv.spi.RestoreInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link io.kv.EntryRestorer#restore} on the JDBC store, its input checked by {@link
 * RestoreInput}: one transaction that locks the entry's row, writes the entry over it as given,
 * replaces its history with the given records (those the namespace's {@link
 * io.kv.spi.HistoryWindow} keeps) and appends one {@code CREATED} or {@code UPDATED} row to the change
 * log. The record of the entry's own version goes into the entry row; the history table gets it
 * too only when its value or time differs from the entry's, so that it comes back as given.
 * Stateless.
 */
final class Restores {
  private Restores() {}

  /**
   * Writes a checked restore in one transaction under the key's stripe, and publishes its event
   * once it committed.
   *
   * @throws InvalidInputException if the entry has expired by the store's clock; nothing is written
   * @throws io.kv.StorageException if the database fails; nothing is written
   */
  static void restore(StoreState state, Principal principal, RestoreInput input) {
    Db db = state.db;
    Entry entry = input.entry();
    String namespace = entry.namespace();
    String key = entry.key();
    state.commits.run(() -> state.locks.lock(namespace, key), Tx.Op.of("restore of", namespace, key), c -> {
      long now = state.clock.millis();
      input.requireUnexpired(now);
      Db.WriteDefaults settings = db.writeDefaults(c, namespace);
      Db.Current cur = db.lock(c, namespace, key);
      List<ChangeEvent> events = new ArrayList<>(2);
      try (Db.Writes w = db.new Writes(c)) {
        Db.Current live = cur;
        if (cur != null && cur.expiredAt(now)) {
          EntryWrites.expireInPlace(w, namespace, key, cur, events);
          live = null;
        } else if (cur != null && cur.hasHistory()) {
          w.dropHistory(namespace, key);
        }
        List<VersionRecord> records = input.history(settings.maxVersions());
        VersionRecord head = records.get(0);
        long historyFrom = Db.NO_HISTORY;
        if (!head.value().equals(entry.value()) || !head.changedAt().equals(entry.updatedAt())) {
          w.record(namespace, key, head);
          historyFrom = head.version();
        }
        for (VersionRecord r : records.subList(1, records.size())) {
          w.record(namespace, key, r);
          historyFrom = r.version();
        }
        w.writeEntry(entry, cur == null ? 0 : cur.version(), entry.value(),
            new Db.Head(head.change(), head.changedBy(), head.reason()), historyFrom);
        ChangeType kind = live == null ? ChangeType.CREATED : ChangeType.UPDATED;
        long revision = w.change(namespace, key, entry.version(), kind, principal, now);
        events.add(new ChangeEvent(kind, namespace, key, entry.version(), Instant.ofEpochMilli(now), principal, revision));
        w.flush();
      }
      return new Commits.Done<>(null, events);
    });
  }
}
