package io.kv;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Namespace administration: declared namespaces carry {@link NamespaceSettings} (description,
 * owner, secret flag, default TTL, history depth).
 *
 * <p>Writing to a namespace that was never declared is allowed and behaves as a namespace with
 * {@link NamespaceSettings#defaults()}; kv-core can be configured to require declaration.
 * Implementations are thread-safe.
 *
 * <p>Declarations change rarely and are read on every entry operation of a layer stack, so
 * layers keep them in memory. {@link #watch} is how an implementation tells such a cache that a
 * declaration changed; an implementation that does not report changes (the default) leaves the
 * cache to re-read declarations on its own schedule.
 */
public interface Namespaces {
  /** What {@link #delete} does with a namespace that still holds entries. */
  enum DeleteMode {
    /** Delete the namespace together with its entries and their history. */
    CASCADE,
    /** Refuse with {@link StateConflictException} while the namespace holds live entries. */
    REFUSE_IF_NOT_EMPTY
  }

  /**
   * Declares a namespace.
   *
   * @param name the namespace name
   * @param settings the namespace's settings
   * @return the namespace as stored
   * @throws AlreadyExistsException if it is already declared
   * @throws InvalidInputException if the name is not a valid namespace name
   */
  Namespace create(String name, NamespaceSettings settings);

  /**
   * The declared namespace of that name, or empty.
   *
   * @param name the namespace name
   * @return the declared namespace of that name, or empty
   * @throws InvalidInputException if the name is not a valid namespace name
   */
  Optional<Namespace> get(String name);

  /**
   * Every declared namespace, sorted by name.
   *
   * @return every declared namespace, sorted by name
   */
  List<Namespace> list();

  /**
   * Replaces a namespace's settings. Existing entries keep their expiry; the new settings apply
   * to later writes, and a lower {@code maxVersions} trims history on the next write of each
   * entry.
   *
   * @param name the namespace name
   * @param settings the namespace's settings
   * @return the namespace as stored
   * @throws NotFoundException if it is not declared
   */
  Namespace update(String name, NamespaceSettings settings);

  /**
   * Deletes a declared namespace.
   *
   * @param name the namespace name
   * @param mode what to do with the entries of the namespace
   * @return whether it was declared
   * @throws StateConflictException with {@link DeleteMode#REFUSE_IF_NOT_EMPTY}, if it holds live
   *     entries
   */
  boolean delete(String name, DeleteMode mode);

  /**
   * Tells {@code listener} the name of every namespace whose declaration changes from now on
   * (declared, updated or deleted), after the change took effect, so that a cache of declarations
   * can drop what it holds. A store shared by several processes reports the changes of the others
   * as it learns of them (the JDBC store through its change feed), and changes made through any
   * view of this store, by any principal, are reported. The listener runs on the thread that made
   * or learned of the change, must be quick and must not throw; what it throws is caught and
   * logged. A name may be reported when nothing changed.
   *
   * <p>The default implementation reports nothing and returns empty. Forwarding implementations
   * should forward this call.
   *
   * @param listener told the name of each namespace whose declaration changed
   * @return a subscription that stops the reports, or empty when this implementation does not
   *     report changes (a caller then learns of a change only by reading the declaration again)
   * @throws NullPointerException if {@code listener} is null
   */
  default Optional<Subscription> watch(Consumer<String> listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    return Optional.empty();
  }
}
