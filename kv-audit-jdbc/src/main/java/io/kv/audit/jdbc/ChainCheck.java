package io.kv.audit.jdbc;

import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;

/** Walks the rows of one chain in sequence order and names the first that does not verify. */
final class ChainCheck {
  private ChainCheck() {}

  /**
   * The first problem of {@code rows}, all of one chain in ascending sequence order.
   *
   * @param fromStart whether the first row is the chain's oldest; if so it must be the START row
   *     or a row an anchor names, otherwise it is the base of a partial check
   * @param anchors the sequence number each anchor names for this chain, and the previous hash
   *     it gives for that row
   */
  static Optional<AuditTamper> check(List<Row> rows, boolean fromStart, NavigableMap<Long, String> anchors,
      MessageDigest sha256) {
    Set<String> hashes = new HashSet<>();
    for (Row r : rows) {
      hashes.add(r.hash());
    }
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      Row next = i + 1 < rows.size() ? rows.get(i + 1) : null;
      if (i == 0) {
        Optional<AuditTamper> start = fromStart ? start(r, anchors) : Optional.empty();
        if (start.isPresent()) {
          return start;
        }
        if (!r.computeHash(sha256).equals(r.hash())) {
          // A successor that links to this row's predecessor says the row was slipped in.
          boolean inserted = next != null && next.prevHash().equals(r.prevHash());
          return problem(r, r.seq(), inserted ? AuditTamper.Kind.INSERTED : AuditTamper.Kind.ALTERED);
        }
        continue;
      }
      Row prev = rows.get(i - 1);
      if (r.seq() != prev.seq() + 1) {
        return problem(r, prev.seq() + 1, AuditTamper.Kind.DELETED);
      }
      boolean intact = r.computeHash(sha256).equals(r.hash());
      if (!r.prevHash().equals(prev.hash())) {
        if (i >= 2 && r.prevHash().equals(rows.get(i - 2).hash())) {
          return problem(r, prev.seq(), AuditTamper.Kind.INSERTED);
        }
        if (hashes.contains(r.prevHash())) {
          return problem(r, r.seq(), AuditTamper.Kind.REORDERED);
        }
        // Links to no row present: the row before it was removed (and the rest renumbered),
        // unless the link itself was edited.
        return problem(r, intact ? r.seq() - 1 : r.seq(), intact ? AuditTamper.Kind.DELETED : AuditTamper.Kind.ALTERED);
      }
      if (!intact) {
        boolean inserted = next != null && next.prevHash().equals(prev.hash());
        return problem(r, r.seq(), inserted ? AuditTamper.Kind.INSERTED : AuditTamper.Kind.ALTERED);
      }
    }
    return Optional.empty();
  }

  private static Optional<AuditTamper> start(Row first, NavigableMap<Long, String> anchors) {
    if (first.seq() == 0) {
      return first.kind().equals(Row.START) && first.prevHash().equals(Row.GENESIS)
          ? Optional.empty() : problem(first, 0, AuditTamper.Kind.ALTERED);
    }
    // The nearest anchor at or after the first row: rows before an anchor's row are the ones a
    // purge had marked for deletion (it writes the anchor first), so they may still be there.
    var anchor = anchors.ceilingEntry(first.seq());
    if (anchor == null) {
      return problem(first, first.seq() - 1, AuditTamper.Kind.DELETED);
    }
    if (anchor.getKey() == first.seq() && !anchor.getValue().equals(first.prevHash())) {
      return problem(first, first.seq(), AuditTamper.Kind.ALTERED);
    }
    return Optional.empty();
  }

  private static Optional<AuditTamper> problem(Row r, long seq, AuditTamper.Kind kind) {
    return Optional.of(new AuditTamper(r.chain(), seq, kind));
  }
}
