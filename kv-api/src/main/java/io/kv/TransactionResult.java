package io.kv;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a committed {@link Transaction} did.
 *
 * @param written the entries the put, create and update writes produced, by key in write order,
 *     as {@link KvStore#put} would return them (plaintext through an encrypting stack)
 * @param deleted the keys whose live entry a delete removed, in write order
 */
public record TransactionResult(Map<String, Entry> written, List<String> deleted) {
  /**
   * Copies both, keeping their order.
   *
   * @param written the written entries by key, in write order
   * @param deleted the deleted keys, in write order
   * @throws NullPointerException if an argument or an element is null
   */
  public TransactionResult {
    Objects.requireNonNull(written, "written");
    Map<String, Entry> copy = new LinkedHashMap<>();
    written.forEach((k, e) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(e, "entry")));
    written = Collections.unmodifiableMap(copy);
    deleted = List.copyOf(deleted);
  }
}
