package io.kv.spi;

import io.kv.EntryRestorer;
import io.kv.KvStore;
import io.kv.ValueRewriter;
import java.util.Objects;
import java.util.Optional;

/**
 * How a backend answers {@link KvStore#feature}: it offers each of kv's optional features
 * ({@link ValueRewriter}, {@link EntryRestorer}) that it implements itself, and nothing else. The
 * list of features kv defines lives here, once, so that every backend offers a new one the same
 * way.
 *
 * <p>Stateless and thread-safe.
 */
public final class Features {
  private Features() {}

  /**
   * {@code backend} as {@code type}, if {@code type} is one of kv's optional features and {@code
   * backend} implements it; empty otherwise. Asking for any other type (even {@link KvStore}
   * itself) answers empty: a feature is something a caller needs beyond the contract.
   *
   * @param <T> the feature type
   * @param type the feature's interface
   * @param backend the store beneath
   * @return {@code backend} as {@code type}, or empty
   * @throws NullPointerException if an argument is null
   */
  public static <T> Optional<T> of(Class<T> type, KvStore backend) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(backend, "backend");
    boolean known = type == ValueRewriter.class || type == EntryRestorer.class;
    return known && type.isInstance(backend) ? Optional.of(type.cast(backend)) : Optional.empty();
  }
}
