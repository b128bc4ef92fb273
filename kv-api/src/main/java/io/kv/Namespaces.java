package io.kv;

import java.util.List;
import java.util.Optional;

/**
 * Namespace administration: declared namespaces carry {@link NamespaceSettings} (description,
 * owner, secret flag, default TTL, history depth).
 *
 * <p>Writing to a namespace that was never declared is allowed and behaves as a namespace with
 * {@link NamespaceSettings#defaults()}; kv-core can be configured to require declaration.
 * Implementations are thread-safe.
 */
public interface Namespaces {
  /** What {@link #delete} does with a namespace that still holds entries. */
  enum DeleteMode {
    /** Delete the namespace together with its entries and their history. */
    CASCADE,
    /** Refuse with {@link IllegalStateException} while the namespace holds live entries. */
    REFUSE_IF_NOT_EMPTY
  }

  /**
   * Declares a namespace.
   *
   * @return the namespace as stored
   * @throws AlreadyExistsException if it is already declared
   * @throws InvalidInputException if the name is not a valid namespace name
   */
  Namespace create(String name, NamespaceSettings settings);

  /**
   * The declared namespace of that name, or empty.
   *
   * @throws InvalidInputException if the name is not a valid namespace name
   */
  Optional<Namespace> get(String name);

  /** Every declared namespace, sorted by name. */
  List<Namespace> list();

  /**
   * Replaces a namespace's settings. Existing entries keep their expiry; the new settings apply
   * to later writes, and a lower {@code maxVersions} trims history on the next write of each
   * entry.
   *
   * @return the namespace as stored
   * @throws NotFoundException if it is not declared
   */
  Namespace update(String name, NamespaceSettings settings);

  /**
   * Deletes a declared namespace.
   *
   * @return whether it was declared
   * @throws IllegalStateException with {@link DeleteMode#REFUSE_IF_NOT_EMPTY}, if it holds live
   *     entries
   */
  boolean delete(String name, DeleteMode mode);
}
