package io.kv.testkit;

import io.kv.ForwardingKvStore;
import io.kv.KvStore;

/**
 * A decorator as an application might write one around a kv store (to add metrics or tracing,
 * say): written against kv-api alone, on {@link ForwardingKvStore}, overriding nothing, so every
 * call is forwarded, {@link #feature} included. Tests wrap a store in it to check that kv treats
 * the decorator as the store it wraps, asking for capabilities and features instead of testing
 * classes.
 *
 * <p>Thread-safe as far as the wrapped store is.
 */
public final class ForwardingAppStore extends ForwardingKvStore {
  /**
   * A decorator over {@code inner}.
   *
   * @param inner the store to forward to
   * @throws NullPointerException if {@code inner} is null
   */
  public ForwardingAppStore(KvStore inner) {
    super(inner);
  }

  @Override
  protected KvStore over(KvStore view) {
    return new ForwardingAppStore(view);
  }
}
