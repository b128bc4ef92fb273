package io.kv;

import java.util.Objects;

/**
 * What a store guarantees beyond the contract every store keeps, and how it treats the values of
 * secret namespaces. A store that decorates another (a layer, or an application's own wrapper
 * that forwards its calls) reports what it wraps, changed only where the decorator changes it:
 * this is how a caller such as an import learns what a store does, without testing its class.
 *
 * @param atomicBulkWrites whether {@link KvStore#putAll} and {@link KvStore#deleteAll} are
 *     all-or-nothing: when one key of the batch is refused, none is written
 * @param isolatedBulkWrites whether readers never see a bulk write half applied; when false, a
 *     concurrent reader may see some keys of a batch written and others not yet
 * @param persistent whether entries survive the process
 * @param secretValues what the store does with the values of {@link NamespaceSettings#secret()
 *     secret} namespaces
 */
public record Capabilities(boolean atomicBulkWrites, boolean isolatedBulkWrites, boolean persistent, SecretValues secretValues) {

  /** What a store does with the values of secret namespaces. */
  public enum SecretValues {
    /**
     * Stores them as it is given them and returns them as stored: a backend. Beneath an
     * encrypting stack, what it holds for a secret namespace are encryption envelopes.
     */
    AS_GIVEN,
    /**
     * Encrypts them before they reach the store beneath and decrypts them on the way back: a
     * layer stack with encryption. What it returns is plaintext.
     */
    ENCRYPTED,
    /**
     * Refuses to declare a namespace secret, having no key to encrypt with: a layer stack without
     * encryption. It would store the values of a secret namespace declared elsewhere as given.
     */
    REFUSED
  }

  /**
   * @param atomicBulkWrites whether {@link KvStore#putAll} and {@link KvStore#deleteAll} are
   *     all-or-nothing: when one key of the batch is refused, none is written
   * @param isolatedBulkWrites whether readers never see a bulk write half applied; when false, a
   *     concurrent reader may see some keys of a batch written and others not yet
   * @param persistent whether entries survive the process
   * @param secretValues what the store does with the values of {@link NamespaceSettings#secret()
   *     secret} namespaces
   * @throws NullPointerException if {@code secretValues} is null
   */
  public Capabilities {
    Objects.requireNonNull(secretValues, "secretValues");
  }

  /**
   * The capabilities of a backend, which stores secret values {@link SecretValues#AS_GIVEN as given}.
   *
   * @param atomicBulkWrites whether {@link KvStore#putAll} and {@link KvStore#deleteAll} are
   *     all-or-nothing: when one key of the batch is refused, none is written
   * @param isolatedBulkWrites whether readers never see a bulk write half applied; when false, a
   *     concurrent reader may see some keys of a batch written and others not yet
   * @param persistent whether entries survive the process
   */
  public Capabilities(boolean atomicBulkWrites, boolean isolatedBulkWrites, boolean persistent) {
    this(atomicBulkWrites, isolatedBulkWrites, persistent, SecretValues.AS_GIVEN);
  }

  /**
   * These capabilities with {@code secretValues} instead: what a decorator that changes how
   * secret values are treated reports over its delegate's.
   *
   * @param secretValues what the store does with the values of {@link NamespaceSettings#secret()
   *     secret} namespaces
   * @return these capabilities with {@code secretValues} instead
   * @throws NullPointerException if {@code secretValues} is null
   */
  public Capabilities withSecretValues(SecretValues secretValues) {
    return new Capabilities(atomicBulkWrites, isolatedBulkWrites, persistent, secretValues);
  }
}
