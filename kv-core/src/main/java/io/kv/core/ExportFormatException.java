package io.kv.core;

import io.kv.KvException;

/**
 * An export file that {@link KvImport} cannot read: not JSON Lines, not a kv export, a format
 * version this kv does not know, a line that breaks the format, or a file cut short. The message
 * names the line and what is wrong with it, and never quotes the file's content, which may hold
 * secrets. Nothing was imported.
 */
public class ExportFormatException extends KvException {
  private static final long serialVersionUID = 1L;

  /** The line of the file at fault. */
  private final long line;

  /**
   * @param line the number of the offending line, counting from 1
   * @param problem what is wrong with it; must not quote the file
   */
  public ExportFormatException(long line, String problem) {
    super("kv export file, line " + line + ": " + problem);
    this.line = line;
  }

  /**
   * The number of the offending line, counting from 1.
   *
   * @return the number of the offending line, counting from 1
   */
  public long line() {
    return line;
  }
}
