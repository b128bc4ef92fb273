package io.kv.core;

import io.kv.KvException;
import java.util.Objects;

/**
 * An {@link AuditSink} failed to record an operation, and the audit layer was configured with
 * {@link AuditFailurePolicy#FAIL_OPERATION}. The sink's exception is the cause.
 *
 * <p>Records are written after the operation ran, so whether the operation took effect depends on
 * what it was: a read's result was withheld, but a write, delete, rotation, rollback or namespace
 * change has already happened. {@link #operationTookEffect()} tells which; a caller that retries
 * a write should re-read first. {@link #namespace()} and {@link #key()} are those of the record.
 */
public class AuditFailedException extends KvException {
  private static final long serialVersionUID = 1L;

  /** The operation whose record could not be written. */
  private final AuditAction action;
  /** Whether the operation took effect before its record failed. */
  private final boolean tookEffect;

  /**
   * @param record the record the sink failed to keep
   * @param cause what the sink threw
   * @throws NullPointerException if an argument is null
   */
  public AuditFailedException(AuditRecord record, Throwable cause) {
    super(Objects.requireNonNull(record, "record").namespace().orElse(null), record.key().orElse(null), message(record),
        Objects.requireNonNull(cause, "cause"));
    this.action = record.action();
    this.tookEffect = record.success() && record.action().changesData();
  }

  private static String message(AuditRecord record) {
    Objects.requireNonNull(record, "record");
    String where = record.namespace().map(ns -> " of '" + ns + record.key().map(k -> "/" + k).orElse("") + "'").orElse("");
    String outcome = !record.success() ? "the operation failed"
        : record.action().changesData() ? "the operation took effect" : "its result was withheld";
    return "audit sink failed to record " + record.action() + where + " by " + record.principal().name() + "; " + outcome;
  }

  /**
   * The action of the record that could not be kept.
   *
   * @return the action of the record that could not be kept
   */
  public AuditAction action() {
    return action;
  }

  /**
   * Whether the operation changed stored data although this exception was thrown: true for a
   * successful write, delete, rotation, rollback or namespace change, false for a read or a
   * failed operation.
   *
   * @return whether the operation changed stored data although this exception was thrown
   */
  public boolean operationTookEffect() {
    return tookEffect;
  }
}
