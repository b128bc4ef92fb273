package io.kv.spi;

import io.kv.Subscription;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of a backend's {@link io.kv.Namespaces#watch}: register them with {@link #add},
 * and call {@link #changed} after each declaration change takes effect (and for each change the
 * backend learns of from elsewhere). What a listener throws is logged through {@link
 * System.Logger} and swallowed, so a faulty cache never fails a namespace change. Telling no
 * listener costs one volatile read.
 *
 * <p>Thread-safe.
 */
public final class NamespaceWatchers {
  private static final System.Logger LOG = System.getLogger(NamespaceWatchers.class.getName());

  private final CopyOnWriteArrayList<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  /** No listener yet. */
  public NamespaceWatchers() {}

  /**
   * Registers {@code listener}; what {@link io.kv.Namespaces#watch} of a backend that reports
   * changes returns.
   *
   * @param listener told the name of each namespace whose declaration changed
   * @return the subscription that ends the registration
   * @throws NullPointerException if {@code listener} is null
   */
  public Optional<Subscription> add(Consumer<String> listener) {
    Objects.requireNonNull(listener, "listener");
    // A wrapper per registration, so that the same listener registered twice is removed once.
    Consumer<String> own = listener::accept;
    listeners.add(own);
    return Optional.of(() -> listeners.remove(own));
  }

  /**
   * Tells every listener that the declaration of {@code namespace} changed.
   *
   * @param namespace the namespace whose declaration changed
   * @throws NullPointerException if {@code namespace} is null
   */
  public void changed(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    for (Consumer<String> l : listeners) {
      try {
        l.accept(namespace);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a namespace watcher failed on a change of namespace '" + namespace + "'", e);
      }
    }
  }
}
