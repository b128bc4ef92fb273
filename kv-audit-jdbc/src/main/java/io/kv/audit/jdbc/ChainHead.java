package io.kv.audit.jdbc;

import java.util.Objects;

/**
 * The newest record of one chain: its sequence number and hash. Kept outside the database (a log
 * shipped elsewhere, a ticket), it lets a later check see that a chain lost its newest records,
 * which no check of the table alone can. Immutable and thread-safe.
 *
 * @param chain the chain's id
 * @param seq the sequence number of the chain's newest record
 * @param hash the hash of that record, 64 lowercase hex digits
 */
public record ChainHead(String chain, long seq, String hash) {
  /**
   * Checks the components.
   *
   * @param chain the chain's id
   * @param seq the sequence number of the chain's newest record
   * @param hash the hash of that record, 64 lowercase hex digits
   * @throws NullPointerException if {@code chain} or {@code hash} is null
   */
  public ChainHead {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(hash, "hash");
  }
}
