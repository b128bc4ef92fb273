package io.kv.core.internal;

import io.kv.ForwardingKvStore;
import io.kv.KvStore;
import java.util.Objects;
import java.util.Optional;

/**
 * The base of kv's own layers: a {@link ForwardingKvStore} that offers none of the features of
 * the store beneath it. A layer overrides what its concern touches and nothing else.
 *
 * <p>{@link #as} rebuilds the layer over the delegate's view for that principal through {@link
 * #over}, so every layer of a view sees the same principal; state a layer keeps across
 * principals (an audit sink, rate buckets) is passed on to the copy.
 */
public abstract class StackLayer extends ForwardingKvStore {
  /** A layer over {@code delegate}. */
  protected StackLayer(KvStore delegate) {
    super(delegate);
  }

  /**
   * None: {@link io.kv.ValueRewriter} and {@link io.kv.EntryRestorer} write straight into the
   * backend, past what the layer does (encrypting, auditing, checking permissions and limits), so
   * reaching them through a stack would skip the stack. Re-encryption and an exact import take
   * the backend itself.
   */
  @Override
  public final <T> Optional<T> feature(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return Optional.empty();
  }
}
