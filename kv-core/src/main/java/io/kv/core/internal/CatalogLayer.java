package io.kv.core.internal;

import io.kv.Capabilities;
import io.kv.KvStore;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.function.Supplier;

/**
 * The bottom layer of a stack: keeps the stack's {@link NamespaceCatalog} in step with the
 * namespace changes made through the stack, and owns the catalog's lifetime. Every namespace
 * change made through any layer above passes here on its way to the backend; once it returns, or
 * fails (it may have taken effect all the same), the catalog drops the namespace, so the next
 * operation of this process sees the change. Entry operations pass through untouched.
 *
 * <p>It also carries the namespace administration of the concerns that have nothing to do on the
 * entry path (history depth for secret namespaces, refusing secret namespaces without a key ring):
 * a stack applies them here as {@link Namespaces} decorators rather than as layers, so a get
 * passes through as few layers as there are concerns that act on it.
 *
 * <p>Closing the store this layer was built as closes the catalog; closing a principal view of it
 * ({@link #as}) leaves the catalog to the store. Thread-safe.
 */
public final class CatalogLayer extends StackLayer {
  private final NamespaceCatalog catalog;
  private final UnaryOperator<Namespaces> decorate;
  private final boolean refusesSecrets;
  private final boolean owner;
  private final Namespaces namespaces;

  /**
   * A layer over {@code delegate} that tells {@code catalog} of namespace changes and closes it
   * on {@link #close()}.
   *
   * @throws NullPointerException if an argument is null
   */
  public CatalogLayer(KvStore delegate, NamespaceCatalog catalog) {
    this(delegate, catalog, UnaryOperator.identity());
  }

  /**
   * A layer over {@code delegate} that tells {@code catalog} of namespace changes, closes it on
   * {@link #close()}, and hands out namespace administration decorated by {@code decorate}
   * (applied above the catalog's own, so that the catalog hears of every change).
   *
   * @throws NullPointerException if an argument is null
   */
  public CatalogLayer(KvStore delegate, NamespaceCatalog catalog, UnaryOperator<Namespaces> decorate) {
    this(delegate, catalog, decorate, false, true);
  }

  /**
   * As {@link #CatalogLayer(KvStore, NamespaceCatalog, UnaryOperator)}, for a stack that refuses
   * secret namespaces when {@code refusesSecrets} holds (its {@code decorate} refuses to declare
   * them): the layer then reports {@link Capabilities.SecretValues#REFUSED}, so that a caller
   * learns it from {@link #capabilities()} rather than from a failed declaration.
   *
   * @throws NullPointerException if an argument is null
   */
  public CatalogLayer(KvStore delegate, NamespaceCatalog catalog, UnaryOperator<Namespaces> decorate, boolean refusesSecrets) {
    this(delegate, catalog, decorate, refusesSecrets, true);
  }

  private CatalogLayer(
      KvStore delegate, NamespaceCatalog catalog, UnaryOperator<Namespaces> decorate, boolean refusesSecrets, boolean owner) {
    super(delegate);
    this.refusesSecrets = refusesSecrets;
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.decorate = Objects.requireNonNull(decorate, "decorate");
    this.owner = owner;
    this.namespaces = Objects.requireNonNull(decorate.apply(invalidating(delegate().namespaces(), catalog)), "decorated namespaces");
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new CatalogLayer(delegate, catalog, decorate, refusesSecrets, false);
  }

  /** The delegate's, with secret values {@link Capabilities.SecretValues#REFUSED refused} if this stack refuses them. */
  @Override
  public Capabilities capabilities() {
    Capabilities below = delegate().capabilities();
    return refusesSecrets ? below.withSecretValues(Capabilities.SecretValues.REFUSED) : below;
  }

  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  @Override
  public void close() {
    try {
      if (owner) {
        catalog.close();
      }
    } finally {
      delegate().close();
    }
  }

  /**
   * Namespace administration over {@code delegate} that makes {@code catalog} drop each name it
   * changes, once the change returned or failed: what this layer hands out below its decorations,
   * and what a stack whose bottom layer is another one uses there.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Namespaces invalidating(Namespaces delegate, NamespaceCatalog catalog) {
    return new Invalidating(delegate, Objects.requireNonNull(catalog, "catalog"));
  }

  private static final class Invalidating extends ForwardingNamespaces {
    private final NamespaceCatalog catalog;

    Invalidating(Namespaces delegate, NamespaceCatalog catalog) {
      super(delegate);
      this.catalog = catalog;
    }

    @Override
    public Namespace create(String name, NamespaceSettings settings) {
      return dropping(name, () -> delegate().create(name, settings));
    }

    @Override
    public Namespace update(String name, NamespaceSettings settings) {
      return dropping(name, () -> delegate().update(name, settings));
    }

    @Override
    public boolean delete(String name, DeleteMode mode) {
      return dropping(name, () -> delegate().delete(name, mode));
    }

    /** Runs a change of {@code name}; then, whatever came of it, the catalog drops the name. */
    private <T> T dropping(String name, Supplier<T> change) {
      try {
        return change.get();
      } finally {
        if (name != null) {
          catalog.invalidate(name);
        }
      }
    }
  }
}
