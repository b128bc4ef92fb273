package io.kv.micrometer;

import io.kv.KvStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;

/**
 * Times every operation of a {@link KvStore} with the Micrometer timer {@value #OPERATIONS},
 * tagged {@code operation} ({@code get}, {@code put}, {@code compareAndSet}, {@code
 * namespaces.create}, ...), {@code namespace} and {@code outcome}:
 *
 * <pre>{@code
 * KvStore store = KvMetrics.timed(KvStores.builder()...build(), registry);
 * }</pre>
 *
 * <p>The outcome is {@code success}; {@code not_found} for a {@code NotFoundException}, and for a
 * {@code get} that finds nothing or a {@code delete} that deletes nothing; {@code conflict} for a
 * version conflict, an existing key or namespace, or a state conflict; {@code denied} for a
 * permission denied; {@code error} for everything else (invalid input, limits, storage failures).
 * Namespace operations ({@link KvStore#namespaces()}) are timed too, and so are the views {@link
 * KvStore#as as(principal)} returns, into the same timers. Subscribing, closing and asking for
 * features or capabilities are not timed.
 *
 * <p>At most {@link #DEFAULT_MAX_NAMESPACES} namespaces (or the number given) get a {@code
 * namespace} tag of their own, the first ones used; operations on any other namespace are tagged
 * {@code other}, so that namespaces named after unbounded input cannot grow the registry without
 * bound. Operations that name no namespace ({@code namespaces().list()}) are tagged {@code none}.
 *
 * <p>Put the timing outermost, around the whole stack, to time what callers see. The timers cost
 * one map lookup per call once registered. Stateless; the stores it returns are thread-safe.
 */
public final class KvMetrics {
  /** The name of the operation timer. */
  public static final String OPERATIONS = OperationTimers.NAME;
  /** How many namespaces get a tag of their own unless told otherwise. */
  public static final int DEFAULT_MAX_NAMESPACES = 100;

  private KvMetrics() {}

  /**
   * {@code store} with each operation timed into {@code registry}, with at most {@link
   * #DEFAULT_MAX_NAMESPACES} namespaces tagged by name.
   *
   * @param store the store to time
   * @param registry where the timers go
   * @return a store that forwards to {@code store} and times each operation; closing it closes
   *     {@code store}
   * @throws NullPointerException if an argument is null
   */
  public static KvStore timed(KvStore store, MeterRegistry registry) {
    return timed(store, registry, DEFAULT_MAX_NAMESPACES, Tags.empty());
  }

  /**
   * {@code store} with each operation timed into {@code registry}, with at most {@code
   * maxNamespaces} namespaces tagged by name, and {@code tags} on every timer (to tell two
   * stores apart, for example).
   *
   * @param store the store to time
   * @param registry where the timers go
   * @param maxNamespaces how many namespaces get a tag of their own; zero tags all {@code other}
   * @param tags tags added to every timer
   * @return a store that forwards to {@code store} and times each operation; closing it closes
   *     {@code store}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code maxNamespaces} is negative
   */
  public static KvStore timed(KvStore store, MeterRegistry registry, int maxNamespaces, Iterable<Tag> tags) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(tags, "tags");
    if (maxNamespaces < 0) {
      throw new IllegalArgumentException("maxNamespaces must not be negative");
    }
    return new TimedKvStore(store, new OperationTimers(registry, Tags.of(tags), maxNamespaces));
  }
}
