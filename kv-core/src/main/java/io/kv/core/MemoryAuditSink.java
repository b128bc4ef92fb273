package io.kv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The sink of {@link AuditSinks#inMemory()}; a lock guards the list. */
final class MemoryAuditSink implements InMemoryAuditSink {
  private final List<AuditRecord> records = new ArrayList<>();

  @Override
  public void record(AuditRecord record) {
    Objects.requireNonNull(record, "record");
    synchronized (records) {
      records.add(record);
    }
  }

  @Override
  public List<AuditRecord> records() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }

  @Override
  public void clear() {
    synchronized (records) {
      records.clear();
    }
  }

  @Override
  public String toString() {
    synchronized (records) {
      return "InMemoryAuditSink[" + records.size() + " records]";
    }
  }
}
