package io.kv.jdbc;

import io.kv.Entry;
import io.kv.Value;
import io.kv.VersionRecord;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@link io.kv.ValueRewriter#rewriteValues} on the JDBC store: one transaction that locks the
 * entry's row, rewrites the current value and every history record in place, and writes no
 * version, no change row and no event. Stateless.
 */
final class Rewrites {
  private Rewrites() {}

  /**
   * Rewrites the values of one entry under its stripe; the caller checked the input. Returns how
   * many versions changed.
   */
  static int rewrite(StoreState state, String namespace, String key, UnaryOperator<Value> rewrite) {
    Db db = state.db;
    return state.commits.run(() -> state.locks.lock(namespace, key), Tx.Op.of("rewrite of", namespace, key), c -> {
      long now = state.clock.millis();
      Entry entry = state.reads.lockedEntry(c, namespace, key);
      if (entry == null || entry.isExpiredAt(Instant.ofEpochMilli(now))) {
        return Commits.Done.silent(0);
      }
      List<VersionRecord> records = state.reads.historyRecords(c, namespace, key);
      // The entry and the history record of its version hold the same value: rewrite it once,
      // so both keep the same bytes after a rewrite that is not deterministic (a fresh IV).
      Map<Value, Value> once = new HashMap<>();
      UnaryOperator<Value> apply = v -> once.computeIfAbsent(v, old -> {
        Value nv = Objects.requireNonNull(rewrite.apply(old), "rewrite returned null");
        state.limits.checkValue(nv);
        return nv;
      });
      Set<Long> changed = new HashSet<>();
      Value newValue = apply.apply(entry.value());
      if (!newValue.equals(entry.value())) {
        changed.add(entry.version());
        try (PreparedStatement ps = c.prepareStatement(db.sql.rewriteEntryValue)) {
          ps.setString(1, newValue.type().name());
          ps.setBytes(2, newValue.bytes());
          ps.setString(3, namespace);
          db.setKey(ps, 4, key);
          ps.setLong(5, entry.version());
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement(db.sql.rewriteHistoryValue)) {
        boolean any = false;
        for (VersionRecord r : records) {
          Value v = apply.apply(r.value());
          if (!v.equals(r.value())) {
            changed.add(r.version());
            ps.setString(1, v.type().name());
            ps.setBytes(2, v.bytes());
            ps.setString(3, namespace);
            db.setKey(ps, 4, key);
            ps.setLong(5, r.version());
            ps.addBatch();
            any = true;
          }
        }
        if (any) {
          ps.executeBatch();
        }
      }
      return Commits.Done.silent(changed.size());
    });
  }
}
