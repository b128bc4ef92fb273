package io.kv.core.internal;

import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** The base of a layer's view of namespace administration: forwards each call to {@link #delegate}. */
public abstract class ForwardingNamespaces implements Namespaces {
  private final Namespaces delegate;

  /** A view over {@code delegate}. */
  protected ForwardingNamespaces(Namespaces delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The next layer down. */
  protected final Namespaces delegate() {
    return delegate;
  }

  @Override
  public Namespace create(String name, NamespaceSettings settings) {
    return delegate.create(name, settings);
  }

  @Override
  public Optional<Namespace> get(String name) {
    return delegate.get(name);
  }

  @Override
  public List<Namespace> list() {
    return delegate.list();
  }

  @Override
  public Namespace update(String name, NamespaceSettings settings) {
    return delegate.update(name, settings);
  }

  @Override
  public boolean delete(String name, DeleteMode mode) {
    return delegate.delete(name, mode);
  }

  @Override
  public Optional<Subscription> watch(Consumer<String> listener) {
    return delegate.watch(listener);
  }
}
