package io.kv;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of an entry in its history: the value it held, who wrote it, when and why.
 * Its {@link #toString()} never shows the value's content.
 *
 * @param version the entry version this record describes
 * @param value the value of that version
 * @param change how that version came about ({@link ChangeType#CREATED}, {@link
 *     ChangeType#UPDATED}, {@link ChangeType#ROTATED} or {@link ChangeType#ROLLED_BACK})
 * @param changedBy who wrote it
 * @param changedAt when it was written
 * @param reason the reason given with the write, if any; it follows the rule of {@link
 *     WriteOptions#reason()}
 */
public record VersionRecord(
    long version, Value value, ChangeType change, Principal changedBy, Instant changedAt, Optional<String> reason) {
  /**
   * Checks the components.
   *
   * @param version the entry version this record describes
   * @param value the value of that version
   * @param change how that version came about ({@link ChangeType#CREATED}, {@link
   *     ChangeType#UPDATED}, {@link ChangeType#ROTATED} or {@link ChangeType#ROLLED_BACK})
   * @param changedBy who wrote it
   * @param changedAt when it was written
   * @param reason the reason given with the write, if any; it follows the rule of {@link
   *     WriteOptions#reason()}
   * @throws NullPointerException if a component is null
   * @throws InvalidInputException if the reason breaks the rule of {@link WriteOptions#reason()}
   *     (field {@code "reason"})
   */
  public VersionRecord {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(changedBy, "changedBy");
    Objects.requireNonNull(changedAt, "changedAt");
    Objects.requireNonNull(reason, "reason");
    if (reason.isPresent()) {
      FreeText.check(reason.get(), "reason", WriteOptions.MAX_REASON_LENGTH);
    }
  }
}
