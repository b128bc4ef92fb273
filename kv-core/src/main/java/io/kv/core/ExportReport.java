package io.kv.core;

/**
 * What a {@link KvExport} wrote.
 *
 * @param namespaces how many namespace declarations it wrote
 * @param entries how many entries it wrote
 * @param historyRecords how many history records it wrote, over all entries
 * @param encryptedEntries how many entries of secret namespaces it wrote as stored at rest:
 *     encryption envelopes, with no plaintext
 * @param plaintextSecretEntries how many entries of secret namespaces it wrote in the clear (only
 *     with {@link KvExport.Builder#allowPlaintextSecrets(boolean) allowPlaintextSecrets(true)})
 */
public record ExportReport(int namespaces, long entries, long historyRecords, long encryptedEntries, long plaintextSecretEntries) {
  /**
   * Checks the counts.
   *
   * @param namespaces how many namespace declarations it wrote
   * @param entries how many entries it wrote
   * @param historyRecords how many history records it wrote, over all entries
   * @param encryptedEntries how many entries of secret namespaces it wrote as stored at rest:
   *     encryption envelopes, with no plaintext
   * @param plaintextSecretEntries how many entries of secret namespaces it wrote in the clear (only
   *     with {@link KvExport.Builder#allowPlaintextSecrets(boolean) allowPlaintextSecrets(true)})
   * @throws IllegalArgumentException if a count is negative, or more entries are counted as
   *     secret than were written
   */
  public ExportReport {
    if (namespaces < 0 || entries < 0 || historyRecords < 0 || encryptedEntries < 0 || plaintextSecretEntries < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    if (encryptedEntries + plaintextSecretEntries > entries) {
      throw new IllegalArgumentException("encryptedEntries + plaintextSecretEntries must not exceed entries");
    }
  }
}
