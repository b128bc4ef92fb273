package io.kv.memory;

import io.kv.ChangeEvent;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.Principal;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.spi.TransactionChecks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link io.kv.KvStore#commit} on the memory store. A transaction is on one namespace, and every
 * write of that namespace holds its lock, so holding it for the whole transaction is the one
 * fixed lock order: compares see a state no writer changes under them, no writer sees part of a
 * transaction, and the events follow once every write is in. Stateless.
 */
final class Transactions {
  private Transactions() {}

  /** See {@link io.kv.KvStore#commit}. */
  static TransactionResult commit(SharedState state, Principal principal, String namespace, Transaction transaction) {
    TransactionChecks.inputs(state.limits, namespace, transaction);
    NamespaceTable s = state.tableFor(namespace);
    s.lock.lock();
    try {
      long now = state.clock.millis();
      TransactionChecks.requireCompares(namespace, transaction, key -> {
        Node n = state.live(s, key, now);
        return n == null ? 0 : n.entry.version();
      });
      // Every live node first: an expired one is reclaimed here, with its event, not amid the writes.
      List<Transaction.Write> writes = transaction.writes();
      Node[] current = new Node[writes.size()];
      for (int i = 0; i < current.length; i++) {
        current[i] = state.live(s, writes.get(i).key(), now);
      }
      Map<String, Entry> written = new LinkedHashMap<>();
      List<String> deleted = new ArrayList<>();
      List<ChangeEvent> events = new ArrayList<>(writes.size());
      s.transactionBegins();
      try {
        install(state, principal, s, writes, current, now, written, deleted, events);
      } finally {
        s.transactionEnds();
      }
      state.reclaimDue(s, now, SharedState.RECLAIM_PER_WRITE);
      // Under the lock, as every write of the memory store publishes, so events stay in version order per key.
      state.listeners.publish(events);
      return new TransactionResult(written, deleted);
    } finally {
      s.lock.unlock();
    }
  }

  /** Applies the writes of a transaction whose compares hold over their live nodes. Caller holds the lock. */
  private static void install(SharedState state, Principal principal, NamespaceTable s, List<Transaction.Write> writes,
      Node[] current, long now, Map<String, Entry> written, List<String> deleted, List<ChangeEvent> events) {
    Instant at = Instant.ofEpochMilli(now);
    for (int i = 0; i < current.length; i++) {
      Transaction.Write w = writes.get(i);
      Node cur = current[i];
      if (w.kind() == Transaction.Write.Kind.DELETE) {
        if (cur != null) {
          deleted.add(w.key());
          events.add(state.removeLogged(s, w.key(), null, cur, ChangeType.DELETED, at, principal));
        }
        continue;
      }
      Entry e = WritePath.stage(state, principal, s, w.key(), null, cur, w.value(), w.options(), ChangeType.UPDATED, now,
          WritePath.expiry(now, w.options(), s));
      written.put(w.key(), e);
      events.add(new ChangeEvent(cur == null ? ChangeType.CREATED : ChangeType.UPDATED, s.name, w.key(), e.version(), at,
          principal, e.revision()));
    }
  }
}
