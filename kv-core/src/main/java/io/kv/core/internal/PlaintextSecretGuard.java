package io.kv.core.internal;

import io.kv.Capabilities;
import io.kv.KvStore;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.StateConflictException;

/**
 * In a stack without a key ring, refuses to declare a namespace secret: its values would be
 * stored in plaintext while the application believes them encrypted. Thread-safe.
 */
public final class PlaintextSecretGuard extends StackLayer {
  /** Guards namespace declarations of {@code delegate}. */
  public PlaintextSecretGuard(KvStore delegate) {
    super(delegate);
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new PlaintextSecretGuard(delegate);
  }

  @Override
  public Namespaces namespaces() {
    return namespaces(delegate().namespaces());
  }

  /** The delegate's, with secret values {@link Capabilities.SecretValues#REFUSED refused}. */
  @Override
  public Capabilities capabilities() {
    return delegate().capabilities().withSecretValues(Capabilities.SecretValues.REFUSED);
  }

  /**
   * The guard's namespace administration over {@code delegate}, without the layer: what a stack
   * uses, since entry operations have nothing to guard.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public static Namespaces namespaces(Namespaces delegate) {
    return new ForwardingNamespaces(delegate) {
      @Override
      public Namespace create(String name, NamespaceSettings settings) {
        refuseSecret(name, settings);
        return delegate().create(name, settings);
      }

      @Override
      public Namespace update(String name, NamespaceSettings settings) {
        refuseSecret(name, settings);
        return delegate().update(name, settings);
      }
    };
  }

  private static void refuseSecret(String name, NamespaceSettings settings) {
    if (settings != null && settings.secret()) {
      throw new StateConflictException(name, null, "namespace '" + name + "' is secret, but this store has no key ring"
          + " to encrypt it: build it with KvStores.builder(...).encryption(keyRing)");
    }
  }
}
