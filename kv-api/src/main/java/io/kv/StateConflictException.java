package io.kv;

import java.util.Objects;

/**
 * An operation conflicts with what the store holds or how it was built, and was refused before it
 * changed anything: deleting a namespace that still holds entries with {@link
 * Namespaces.DeleteMode#REFUSE_IF_NOT_EMPTY}, changing the secret flag of a namespace that holds
 * entries, declaring a secret namespace in a store without encryption, or importing a file whose
 * content disagrees with the target. The message says what to do instead.
 */
public class StateConflictException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * @param namespace the namespace concerned
   * @param key the key concerned, or null when the conflict concerns the namespace as a whole
   * @param message what conflicts and what to do instead; must not contain a value
   * @throws NullPointerException if {@code namespace} or {@code message} is null
   */
  public StateConflictException(String namespace, String key, String message) {
    super(Objects.requireNonNull(namespace, "namespace"), key, Objects.requireNonNull(message, "message"), null);
  }
}
