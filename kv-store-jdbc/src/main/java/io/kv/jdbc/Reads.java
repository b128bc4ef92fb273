package io.kv.jdbc;

import io.kv.Entry;
import io.kv.VersionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads of one store, their texts in {@link Statements}, their row mapping in {@link Db}:
 * each runs one statement on a connection in autocommit mode, or on the caller's transaction
 * where it takes a {@link Connection}. Only entries live at the store's clock are
 * read, except by the reads a write makes of the row it locks. Input is checked by the caller.
 * Thread-safe.
 */
final class Reads {
  private final StoreState state;
  private final Db db;

  Reads(StoreState state) {
    this.state = state;
    this.db = state.db;
  }

  /** The live entry under {@code key}. */
  Optional<Entry> get(String namespace, String key) {
    return state.tx.read(() -> Tx.Op.of("get", namespace, key), c -> {
      try (PreparedStatement ps = c.prepareStatement(db.sql.get)) {
        ps.setString(1, namespace);
        db.setKey(ps, 2, key);
        ps.setLong(3, state.clock.millis());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(db.entry(namespace, rs)) : Optional.empty();
        }
      }
    });
  }

  /** The live entries under {@code keys} (not empty), by key, in no particular order. */
  Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    return state.tx.read(Tx.Op.of("getAll in", namespace), c -> {
      Map<String, Entry> out = new HashMap<>();
      long now = state.clock.millis();
      db.eachByKey(c, db.sql.liveEntriesByKey, namespace, keys, now, rs -> {
        Entry e = db.entry(namespace, rs);
        out.put(e.key(), e);
      });
      return out;
    });
  }

  /**
   * Up to {@code max} live entries in key order whose keys start with {@code prefix} (below
   * {@code upper}, the first key that does not, if there is one) and, if {@code after} is given,
   * come after it, with the revision they are as of.
   */
  Listing list(String namespace, String prefix, Optional<String> upper, Optional<String> after, int max) {
    return state.tx.read(Tx.Op.of("list of", namespace), c -> {
      // Before the rows: everything up to it is then in them (Revisions says why not after).
      long revision = state.revisions.settled(c);
      try (PreparedStatement ps = c.prepareStatement(db.sql.listPage(after.isPresent(), upper.isPresent()))) {
        int i = 1;
        ps.setString(i++, namespace);
        db.setKey(ps, i++, after.orElse(prefix));
        if (upper.isPresent()) {
          db.setKey(ps, i++, upper.get());
        }
        ps.setLong(i++, state.clock.millis());
        ps.setInt(i, max);
        List<Entry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(db.entry(namespace, rs));
          }
        }
        return new Listing(out, revision);
      }
    });
  }

  /** A page of rows and the revision it is as of. */
  record Listing(List<Entry> rows, long revision) {}

  /** How many live entries {@code namespace} holds. */
  long count(String namespace) {
    return state.tx.read(Tx.Op.of("count of", namespace), c -> {
      try (PreparedStatement ps = c.prepareStatement(db.sql.count)) {
        ps.setString(1, namespace);
        ps.setLong(2, state.clock.millis());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  /** The live entry's versions, newest first; empty if there is no live entry. */
  List<VersionRecord> history(String namespace, String key) {
    return state.tx.read(Tx.Op.of("history", namespace, key), c -> {
      try (PreparedStatement ps = c.prepareStatement(db.sql.history)) {
        long now = state.clock.millis();
        for (int i = 0; i < 6; i += 3) {
          ps.setString(i + 1, namespace);
          db.setKey(ps, i + 2, key);
          ps.setLong(i + 3, now);
        }
        List<VersionRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            // A record the history table holds of the current version comes first and stands for it.
            VersionRecord r = Db.record(rs, 2);
            if (out.isEmpty() || out.get(out.size() - 1).version() != r.version()) {
              out.add(r);
            }
          }
        }
        return List.copyOf(out);
      }
    });
  }

  /** In the caller's transaction: the entry row under {@code key}, expired or not, locked; null if absent. */
  Entry lockedEntry(Connection c, String namespace, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(db.sql.lockedEntry)) {
      ps.setString(1, namespace);
      db.setKey(ps, 2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? db.entry(namespace, rs) : null;
      }
    }
  }

  /** In the caller's transaction: every record the history table holds of {@code key}, newest first. */
  List<VersionRecord> historyRecords(Connection c, String namespace, String key) throws SQLException {
    List<VersionRecord> records = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(db.sql.historyRecords)) {
      ps.setString(1, namespace);
      db.setKey(ps, 2, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          records.add(Db.record(rs, 1));
        }
      }
    }
    return records;
  }
}
