package io.kv;

import java.util.function.UnaryOperator;

/**
 * An optional backend capability: replaces the stored bytes of an entry's value in place, in its
 * current version and in every version its history holds, without making a new version. kv-core
 * uses it to re-encrypt secrets under a new master key ({@code io.kv.core.Reencryptor}); nothing
 * else should need it.
 *
 * <p>A rewrite is not a change of the entry: versions, timestamps, expiry, metadata, tags and the
 * principal and reason of each history record stay as they were, no {@link ChangeEvent} is
 * published, and readers see either every old value or every new one of the entry, never a mix
 * of a new current value with an old history record of the same version. A backend that caches
 * values (a near-cache) must invalidate the entry as part of the rewrite.
 *
 * <p>Implementations are thread-safe, and a rewrite is atomic with respect to every other write
 * of the same entry: it runs under the same lock or in the same transaction as a write would.
 */
public interface ValueRewriter {

  /**
   * Atomically replaces the value of the live entry under {@code key}, and the value of every
   * record of its history, with what {@code rewrite} returns for it. Where {@code rewrite}
   * returns a value equal to the one it was given, that value is left as it was; when it does so
   * for every value, nothing is written at all. If {@code rewrite} throws, nothing is written and
   * the exception propagates.
   *
   * <p>{@code rewrite} runs while the entry is locked: it must be quick and must not call the
   * store. It may be called once per stored copy of a value (a backend may keep the current value
   * and the history record of the same version apart), so it must not count its calls to learn
   * what changed: use the result.
   *
   * @param namespace the entry's namespace
   * @param key the entry's key
   * @param rewrite maps a stored value to the value to store instead; never returns null
   * @return how many versions got a new value (the current version counts once, even if the
   *     backend stores it twice); 0 if the entry is absent or expired, or nothing changed
   * @throws NullPointerException if an argument is null, or {@code rewrite} returns null
   * @throws InvalidInputException if the namespace or key is not valid, or a rewritten value is
   *     over the store's value size limit; nothing is written
   * @throws StorageException if the backend fails; nothing is written
   */
  int rewriteValues(String namespace, String key, UnaryOperator<Value> rewrite);
}
