package io.kv.core;

import io.kv.ValueRewriter;

/**
 * Moves the encrypted values of secret namespaces to the primary key of a {@link KeyRing}: the
 * second step of a key rotation, after which the old key can leave the ring. It rewrites the
 * current value and every version in history of each entry in place, through the backend's
 * {@link ValueRewriter}: versions, timestamps, expiry, metadata and history records stay as they
 * were, and no change event is published, since no value changes.
 *
 * <p>It works on the backend itself, not on a layer stack: it reads envelopes, not values, and
 * needs the {@link ValueRewriter} the backend offers through {@link io.kv.KvStore#feature}, which
 * no layer offers (a near-cache and an application's forwarding decorator pass it on). Give it the same backend and
 * a ring holding every key the stored values use. Stores built over that backend may keep
 * serving meanwhile: each entry is rewritten atomically with respect to their writes, and what
 * they write meanwhile is already sealed under the primary key (if their ring has the same
 * primary).
 *
 * <p>A pass is safe to stop and run again: it skips values already under the primary key, so a
 * second pass after a complete one moves nothing. An entry it cannot move (a value that does not
 * decrypt with this ring) is logged with its namespace and key, counted in {@link
 * Reencryption#failed()}, and left as it was.
 *
 * <pre>{@code
 * KvStore backend = ...;                             // any KvStore offering a ValueRewriter
 * KeyRing ring = KeyRing.builder().add("2024", old).add("2025", current).primary("2025").build();
 * Reencryption r = KvStores.reencryptor(backend, ring).reencryptAll();
 * if (r.complete()) { ... rebuild the ring without "2024" ... }
 * }</pre>
 *
 * <p>{@link KvStores#reencryptor} makes one. Implementations are thread-safe; run one pass per namespace at a time (two concurrent passes
 * are correct but do the work twice).
 */
public interface Reencryptor {

  /**
   * Moves every entry of one secret namespace, with its history, to the primary key.
   *
   * @param namespace the secret namespace to re-encrypt
   * @return what was moved, and what failed
   * @throws NullPointerException if {@code namespace} is null
   * @throws io.kv.StateConflictException if {@code namespace} is not declared secret
   * @throws io.kv.InvalidInputException if {@code namespace} is not a valid namespace name
   * @throws io.kv.StorageException if the backend fails; run the pass again later
   */
  Reencryption reencrypt(String namespace);

  /**
   * Moves every entry of every secret namespace, with its history, to the primary key.
   *
   * @return what was moved, and what failed
   * @throws io.kv.StorageException if the backend fails; run the pass again later
   */
  Reencryption reencryptAll();
}
