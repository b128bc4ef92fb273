package io.kv.micrometer;

import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Times the namespace operations of a {@link TimedKvStore}, tagged with the namespace they name
 * ({@code none} for {@link #list()}); {@link #watch} forwards untimed, since it is a registration.
 * A {@code get} that finds nothing and a {@code delete} of no namespace end {@code not_found}. Thread-safe as its delegate.
 */
final class TimedNamespaces implements Namespaces {
  private final Namespaces delegate;
  private final OperationTimers timers;

  TimedNamespaces(Namespaces delegate, OperationTimers timers) {
    this.delegate = delegate;
    this.timers = timers;
  }

  @Override
  public Namespace create(String name, NamespaceSettings settings) {
    return timers.time(Operation.NAMESPACE_CREATE, name, () -> delegate.create(name, settings));
  }

  @Override
  public Optional<Namespace> get(String name) {
    return timers.time(Operation.NAMESPACE_GET, name, () -> delegate.get(name), Optional::isPresent);
  }

  @Override
  public List<Namespace> list() {
    return timers.time(Operation.NAMESPACE_LIST, null, delegate::list);
  }

  @Override
  public Namespace update(String name, NamespaceSettings settings) {
    return timers.time(Operation.NAMESPACE_UPDATE, name, () -> delegate.update(name, settings));
  }

  @Override
  public boolean delete(String name, DeleteMode mode) {
    return timers.time(Operation.NAMESPACE_DELETE, name, () -> delegate.delete(name, mode), Boolean::booleanValue);
  }

  @Override
  public Optional<Subscription> watch(Consumer<String> listener) {
    return delegate.watch(listener);
  }
}
