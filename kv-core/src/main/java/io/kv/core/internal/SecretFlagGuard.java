package io.kv.core.internal;

import io.kv.KvStore;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.StateConflictException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Refuses to change a namespace's secret flag while it holds entries. Its entries were stored
 * encrypted or in the clear according to the old flag, and would be read according to the new
 * one: turning the flag on would make plaintext unreadable (and leave it unencrypted at rest),
 * turning it off would hand out envelopes as if they were values. Declaring a secret namespace
 * over entries written while it was undeclared is refused for the same reason. To change the
 * flag, copy the entries into a new namespace with the wanted setting.
 *
 * <p>The check and the change run under the write lock of {@code fence}, whose read lock the
 * {@link EncryptionLayer} holds from reading the flag to the end of each write, so no write of
 * this process can slip between them. Writers that bypass this stack (another process on the
 * same database, or the backend used directly) are not fenced: change the flag only while no
 * such writer uses the namespace.
 *
 * <p>Thread-safe.
 */
public final class SecretFlagGuard extends ForwardingNamespaces {
  private final KvStore store;
  private final ReentrantReadWriteLock fence;

  /**
   * Guards {@code delegate}, counting entries in {@code store}.
   *
   * @param delegate the namespace administration to guard
   * @param store the store whose entries {@code delegate} declares (for {@link KvStore#count})
   * @param fence held for reading by every write that encrypts according to the flag
   */
  public SecretFlagGuard(Namespaces delegate, KvStore store, ReentrantReadWriteLock fence) {
    super(delegate);
    this.store = Objects.requireNonNull(store, "store");
    this.fence = Objects.requireNonNull(fence, "fence");
  }

  /**
   * Declares a namespace.
   *
   * @throws StateConflictException if {@code settings} make it secret while it holds entries
   *     written before it was declared
   */
  @Override
  public Namespace create(String name, NamespaceSettings settings) {
    Objects.requireNonNull(settings, "settings");
    if (!settings.secret()) {
      return delegate().create(name, settings);
    }
    return fenced(name, () -> {
      refuseIfNotEmpty(name, "declare namespace '" + name + "' secret",
          "they were written unencrypted before it was declared");
      return delegate().create(name, settings);
    });
  }

  /**
   * Replaces a namespace's settings.
   *
   * @throws StateConflictException if {@code settings} change the secret flag while the namespace
   *     holds entries
   */
  @Override
  public Namespace update(String name, NamespaceSettings settings) {
    Objects.requireNonNull(settings, "settings");
    if (!flipsSecret(name, settings)) {
      return delegate().update(name, settings);
    }
    return fenced(name, () -> {
      if (flipsSecret(name, settings)) {
        refuseIfNotEmpty(name, "make namespace '" + name + "' " + (settings.secret() ? "secret" : "not secret"),
            settings.secret() ? "they are stored unencrypted" : "they are stored encrypted");
      }
      return delegate().update(name, settings);
    });
  }

  private boolean flipsSecret(String name, NamespaceSettings settings) {
    Optional<Namespace> current = delegate().get(name);
    // An undeclared namespace is left to the delegate, which reports it as not found.
    return current.isPresent() && current.get().settings().secret() != settings.secret();
  }

  private void refuseIfNotEmpty(String name, String change, String why) {
    long entries = store.count(name);
    if (entries > 0) {
      throw new StateConflictException(name, null, "cannot " + change + " while it holds " + entries
          + (entries == 1 ? " entry: " : " entries: ")
          + why + "; copy them into a new namespace with the wanted setting instead");
    }
  }

  private <T> T fenced(String name, Supplier<T> change) {
    if (fence.getReadHoldCount() > 0) {
      // Waiting for the write lock while this thread holds the read lock would never end.
      throw new StateConflictException(name, null,
          "the secret flag of namespace '" + name + "' cannot change from within a write (such as a change listener)");
    }
    fence.writeLock().lock();
    try {
      return change.get();
    } finally {
      fence.writeLock().unlock();
    }
  }
}
