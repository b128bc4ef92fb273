package io.kv.core;

import java.util.Objects;
import org.slf4j.LoggerFactory;

/** The audit sinks kv provides. Every sink returned is thread-safe. */
public final class AuditSinks {
  /** The logger name of {@link #slf4j()}. */
  public static final String DEFAULT_LOGGER = "io.kv.audit";

  private AuditSinks() {}

  /**
   * A sink that logs each record as one line at INFO level to the SLF4J logger {@value
   * #DEFAULT_LOGGER}, as {@code key=value} pairs:
   *
   * <pre>
   * time=2030-01-01T00:00:00Z principal=alice action=WRITE namespace=app key=db/host outcome=success
   * time=2030-01-01T00:00:00Z principal=bob action=READ namespace=app key=db/host outcome=failure error=PermissionDeniedException
   * </pre>
   *
   * Absent fields are left out. A field that holds anything other than letters, digits and {@code
   * . _ - / : @ +} is quoted, with {@code "}, {@code \} and control characters escaped, so a line
   * cannot be forged through a key or a principal name. The line holds no value, since a record
   * holds none.
   *
   * @return a sink that logs each record as one line at INFO level to the SLF4J logger {@value
   *     #DEFAULT_LOGGER}, as {@code key=value} pairs
   */
  public static AuditSink slf4j() {
    return slf4j(DEFAULT_LOGGER);
  }

  /**
   * Like {@link #slf4j()}, to the logger named {@code loggerName}.
   *
   * @param loggerName the name of the logger to write to
   * @return a sink that logs each record to that logger
   * @throws NullPointerException if {@code loggerName} is null
   * @throws IllegalArgumentException if {@code loggerName} is blank
   */
  public static AuditSink slf4j(String loggerName) {
    Objects.requireNonNull(loggerName, "loggerName");
    if (loggerName.isBlank()) {
      throw new IllegalArgumentException("loggerName must not be blank");
    }
    return new Slf4jAuditSink(LoggerFactory.getLogger(loggerName));
  }

  /**
   * A new, empty sink that keeps records in memory, for tests.
   *
   * @return a new, empty sink that keeps records in memory, for tests
   */
  public static InMemoryAuditSink inMemory() {
    return new MemoryAuditSink();
  }
}
