package io.kv.core;

/** What the audit layer does when its {@link AuditSink} throws while recording an operation. */
public enum AuditFailurePolicy {
  /**
   * The caller gets an {@link AuditFailedException} whose cause is what the sink threw.
   *
   * <p>A record is written after the operation ran, because it states the outcome. So for a read
   * the result is withheld, but for a write, delete, rotation, rollback or namespace change the
   * change <em>has already taken effect</em> when the exception is thrown ({@link
   * AuditFailedException#operationTookEffect()} says so). When the operation itself failed, the
   * caller gets the operation's exception, with the {@link AuditFailedException} added to it as
   * a {@linkplain Throwable#getSuppressed() suppressed} exception.
   */
  FAIL_OPERATION,

  /**
   * The sink's exception is logged through SLF4J, at ERROR level to the logger {@code
   * io.kv.core.internal.AuditLayer}, together with the record that was lost (no value is ever
   * logged: records hold none), and the operation's result, or its exception, reaches the caller
   * as if the record had been written. This follows the rule that audit sinks never break a store
   * operation.
   */
  LOG_AND_CONTINUE
}
