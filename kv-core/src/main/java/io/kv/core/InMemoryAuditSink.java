package io.kv.core;

import java.util.List;

/**
 * An {@link AuditSink} that keeps every record in memory, for tests: run operations, then assert
 * on {@link #records()}. It is unbounded, so do not use it in production. Thread-safe. Get one
 * from {@link AuditSinks#inMemory()}.
 */
public interface InMemoryAuditSink extends AuditSink {
  /**
   * A snapshot of the records kept so far, oldest first; an immutable list.
   *
   * @return a snapshot of the records kept so far, oldest first
   */
  List<AuditRecord> records();

  /** Forgets every record kept so far. */
  void clear();
}
