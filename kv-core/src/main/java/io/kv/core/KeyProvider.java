package io.kv.core;

import java.util.Optional;

/**
 * Where master keys come from when they do not come from an environment variable: a secrets
 * manager, a KMS-decrypted file, a vault. An application implements it and passes it to {@link
 * MasterKeys#fromProvider(KeyProvider, String)}, which validates what it returns, once, while the
 * key ring is built; kv never calls it while serving requests.
 *
 * <pre>{@code
 * KeyProvider vault = id -> Optional.ofNullable(vaultClient.read("kv/master-keys/" + id));
 * KeyRing ring = KeyRing.builder()
 *     .add("2025-06", MasterKeys.fromProvider(vault, "2025-06"))
 *     .primary("2025-06")
 *     .build();
 * }</pre>
 *
 * <p>Implementations must be safe to call from the thread that builds the key ring; they should
 * not log the keys they return.
 */
@FunctionalInterface
public interface KeyProvider {
  /**
   * The master key with id {@code keyId}, as standard base64 (RFC 4648 section 4, padding
   * optional, surrounding whitespace ignored) of exactly 32 bytes; empty if this provider holds
   * no key by that id. An exception it throws propagates to the caller of {@link
   * MasterKeys#fromProvider}.
   *
   * @param keyId the id of the key, as given to {@link MasterKeys#fromProvider}
   * @return the master key with id {@code keyId}, as standard base64 (RFC 4648 section 4, padding
   *     optional, surrounding whitespace ignored) of exactly 32 bytes
   */
  Optional<String> base64Key(String keyId);
}
