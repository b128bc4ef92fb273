package io.kv.jdbc;

import io.kv.ChangeEvent;
import io.kv.spi.ChangeListeners;
import io.kv.spi.NamespaceWatchers;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one sequence every write of the JDBC store goes through: take the stripes of the keys it
 * touches, run it in one transaction, publish the events it produced once that committed, and
 * only then release the stripes. Publishing before the release is what keeps this instance's
 * events in version order per key; publishing after the commit is what keeps a listener from
 * hearing of a change that was rolled back. A change to a namespace's declaration is told to the
 * namespace watchers too before the release, so that no write under the same stripes sees the
 * namespace's settings as they were. Thread-safe.
 */
@SuppressWarnings("try") // the held stripes are released by try-with-resources
final class Commits {
  /**
   * What a committed write produced: its result and the events to publish.
   *
   * @param result what the operation returns to its caller
   * @param events the events of the change, in the order they happened
   * @param declarationChanged the namespace whose declaration changed, for the namespace watchers
   */
  record Done<T>(T result, List<ChangeEvent> events, Optional<String> declarationChanged) {
    /** A result with the events of entry changes only. */
    Done(T result, List<ChangeEvent> events) {
      this(result, events, Optional.empty());
    }

    /** A result that changed nothing listeners hear of. */
    static <T> Done<T> silent(T result) {
      return new Done<>(result, List.of());
    }
  }

  /**
   * A cheaper form of a write tried first under the same stripes (one statement on PostgreSQL):
   * what it committed, or null when the transaction must decide. It may throw the exception the
   * transaction would throw.
   */
  @FunctionalInterface
  interface Shortcut<T> {
    Done<T> attempt();
  }

  private final Tx tx;
  private final ChangeListeners listeners;
  private final NamespaceWatchers namespaceWatchers;

  Commits(Tx tx, ChangeListeners listeners, NamespaceWatchers namespaceWatchers) {
    this.tx = tx;
    this.listeners = listeners;
    this.namespaceWatchers = namespaceWatchers;
  }

  /**
   * Under the stripes {@code lock} takes, runs {@code work} in one transaction and publishes its
   * events once it committed.
   *
   * @throws io.kv.StorageException if the database fails; nothing is written or published
   */
  <T> T run(Supplier<KeyLocks.Held> lock, Tx.Op what, Tx.Work<Done<T>> work) {
    return run(lock, null, what, work);
  }

  /**
   * Like {@link #run(Supplier, Tx.Op, Tx.Work)}, trying {@code shortcut} first when there is one
   * (it may be null).
   */
  <T> T run(Supplier<KeyLocks.Held> lock, Shortcut<T> shortcut, Tx.Op what, Tx.Work<Done<T>> work) {
    try (KeyLocks.Held held = lock.get()) {
      Done<T> done = shortcut == null ? null : shortcut.attempt();
      if (done == null) {
        done = tx.run(what, work);
      }
      listeners.publish(done.events());
      done.declarationChanged().ifPresent(namespaceWatchers::changed);
      return done.result();
    }
  }
}
