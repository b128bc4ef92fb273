package io.kv.core;

import io.kv.InputRules;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.ValueRewriter;
import io.kv.core.internal.AuditLayer;
import io.kv.core.internal.CatalogLayer;
import io.kv.core.internal.EncryptionLayer;
import io.kv.core.internal.EventLayer;
import io.kv.core.internal.LimitLayer;
import io.kv.core.internal.NamespaceCatalog;
import io.kv.core.internal.NamespaceLayer;
import io.kv.core.internal.PermissionLayer;
import io.kv.core.internal.PlaintextSecretGuard;
import io.kv.core.internal.ReencryptionPass;
import io.kv.core.internal.TickedClock;
import io.kv.core.internal.VersioningLayer;
import io.kv.spi.BuilderChecks;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * Builds the kv layer stack over a backend. Each layer is one concern; the builder puts the
 * layers a configuration uses in one fixed order, and leaves out the others, so an unused feature
 * costs nothing:
 *
 * <pre>
 * caller
 *   -&gt; audit          one record per operation: action, who, namespace, key, success, time
 *                     (only with audit(...))
 *   -&gt; permissions    kv-namespace:*, kv-entry:*, kv-secret:rotate; deny by default
 *                     (only with permissions(...))
 *   -&gt; limits         key and value size, TTL range, entries per namespace, operations per second
 *   -&gt; namespaces     refuse undeclared namespaces       (only with requireDeclaredNamespaces())
 *   -&gt; versioning     history for secret namespaces
 *   -&gt; encryption     AES-256-GCM for secret namespaces          (only with encryption(...);
 *                     without it, declaring a secret namespace is refused)
 *   -&gt; events         listeners on the application's executor   (only with eventExecutor(...))
 *   -&gt; backend        memory, JDBC, or your own KvStore
 * </pre>
 *
 * <p>The layers that depend on a namespace's declaration (is it secret? declared?) read it from
 * one in-memory catalog of the stack, never from the backend during an entry operation. A
 * namespace change made through the stack is seen by the next operation; one the backend reports
 * through {@link io.kv.Namespaces#watch} (the memory store's own, and on the JDBC store with a
 * near-cache, other instances' through the change feed) as soon as it is reported; any other
 * within {@link #DEFAULT_NAMESPACE_REFRESH} (see {@link Builder#namespaceRefresh}).
 *
 * <p>The limits layer is always present, since its defaults ({@link LimitPolicy#defaults()}) hold
 * a rule of their own: a TTL of at least one second. Versioning is always present, since a
 * secret namespace always keeps history; like the refusal of secret namespaces without a key ring,
 * it acts on namespace administration only, so it decorates that at the bottom of the stack and
 * adds nothing to an entry operation. The backend itself applies a namespace's default
 * TTL and hides expired entries.
 *
 * <p>A builder is not thread-safe; each setting is checked at once and may be given only once.
 * The store it builds is thread-safe and its configuration cannot change.
 */
public final class KvStores {
  /** How often a stack re-reads namespace declarations by default: {@code PT10S}. */
  public static final Duration DEFAULT_NAMESPACE_REFRESH = NamespaceCatalog.DEFAULT_REFRESH_INTERVAL;

  private KvStores() {}

  /**
   * A builder of a layer stack over {@code backend}.
   *
   * @param backend the store beneath
   * @return a new builder
   * @throws NullPointerException if {@code backend} is null
   */
  public static Builder builder(KvStore backend) {
    return new Builder(backend);
  }

  /**
   * A re-encryption pass over {@code backend}: moves every value of secret namespaces (and their
   * history) to {@code keyRing}'s primary key. Run it after making a new key primary; it is safe
   * to stop and run again. The pass rewrites through the {@link ValueRewriter} that {@code
   * backend} offers as a {@link KvStore#feature feature}: a memory or JDBC store, a near-cache
   * over one, or an application's decorator that forwards {@code feature}; a layer stack offers
   * none.
   *
   * @param backend the store beneath
   * @param keyRing the master keys
   * @return a re-encryption pass over {@code backend}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code backend} offers no {@link ValueRewriter}
   */
  public static Reencryptor reencryptor(KvStore backend, KeyRing keyRing) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(keyRing, "keyRing");
    ValueRewriter rewriter = backend.feature(ValueRewriter.class).orElseThrow(() -> new IllegalArgumentException(
        "re-encryption needs a store that offers the ValueRewriter feature (a backend, not a layer stack)"));
    return new ReencryptionPass(backend, rewriter, keyRing.material());
  }

  /** Configures the layer stack. See {@link KvStores} for the order of the layers. */
  public static final class Builder {
    private static final InputRules NAME_RULES = InputRules.defaults().withMaxNamespaceLength(Integer.MAX_VALUE);

    private final KvStore backend;
    private Clock clock;
    private LimitPolicy limits;
    private final Map<String, LimitPolicy> namespaceLimits = new LinkedHashMap<>();
    private boolean requireDeclared;
    private Integer secretHistory;
    private Executor eventExecutor;
    private AuditSink auditSink;
    private AuditFailurePolicy auditFailurePolicy;
    private PermissionPolicy permissions;
    private KeyRing keyRing;
    private Duration namespaceRefresh;

    private Builder(KvStore backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * The clock of rate limits and audit records; default {@link Clock#systemUTC()}. Give the
     * backend the same clock. Without one, the records of successful reads take their time from
     * a clock that a daemon thread advances every millisecond (see {@link #audit(AuditSink)});
     * with one, every record reads this clock.
     *
     * @param clock the clock of the stack (audit records, rate limits)
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if a clock was already set
     */
    public Builder clock(Clock clock) {
      this.clock = BuilderChecks.once(this.clock, Objects.requireNonNull(clock, "clock"), "clock");
      return this;
    }

    /**
     * The limits of every namespace without limits of its own; default {@link
     * LimitPolicy#defaults()}.
     *
     * @param limits the limits of every namespace without limits of its own
     * @return this builder
     * @throws NullPointerException if {@code limits} is null
     * @throws IllegalStateException if store limits were already set
     */
    public Builder limits(LimitPolicy limits) {
      this.limits = BuilderChecks.once(this.limits, Objects.requireNonNull(limits, "limits"), "limits");
      return this;
    }

    /**
     * The limits of one namespace, replacing the store's wholesale (derive them from the store's
     * to keep the other fields).
     *
     * @param namespace the namespace the limits apply to
     * @param limits the limits of that namespace
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws io.kv.InvalidInputException if {@code namespace} is not a valid namespace name
     * @throws IllegalStateException if that namespace's limits were already set
     */
    public Builder limits(String namespace, LimitPolicy limits) {
      NAME_RULES.checkNamespace(namespace);
      Objects.requireNonNull(limits, "limits");
      if (namespaceLimits.putIfAbsent(namespace, limits) != null) {
        throw new IllegalStateException("limits of namespace '" + namespace + "' were already set");
      }
      return this;
    }

    /**
     * Refuses every entry operation on a namespace that was not declared with {@code
     * namespaces().create(...)}, with a {@link io.kv.NotFoundException}. Off by default: an
     * undeclared namespace behaves as one with {@link NamespaceSettings#defaults()}.
     *
     * @return this builder
     * @throws IllegalStateException if it was already requested
     */
    public Builder requireDeclaredNamespaces() {
      if (requireDeclared) {
        throw new IllegalStateException("requireDeclaredNamespaces() was already called");
      }
      requireDeclared = true;
      return this;
    }

    /**
     * How many earlier versions a secret namespace keeps when it is declared without a number of
     * its own; default 10.
     *
     * @param versions how many earlier versions a secret namespace keeps
     * @return this builder
     * @throws IllegalArgumentException if {@code versions} is not between 1 and {@value
     *     NamespaceSettings#MAX_VERSIONS_LIMIT}
     * @throws IllegalStateException if it was already set
     */
    public Builder secretHistory(int versions) {
      if (versions < 1 || versions > NamespaceSettings.MAX_VERSIONS_LIMIT) {
        throw new IllegalArgumentException("secretHistory must be between 1 and " + NamespaceSettings.MAX_VERSIONS_LIMIT);
      }
      this.secretHistory = BuilderChecks.once(this.secretHistory, versions, "secretHistory");
      return this;
    }

    /**
     * Delivers change events on {@code executor} instead of the writing thread, one task at a time
     * per subscription, in order. Without it, listeners run on the writing thread.
     *
     * @param executor runs the listeners
     * @return this builder
     * @throws NullPointerException if {@code executor} is null
     * @throws IllegalStateException if an executor was already set
     */
    public Builder eventExecutor(Executor executor) {
      this.eventExecutor = BuilderChecks.once(this.eventExecutor, Objects.requireNonNull(executor, "executor"), "eventExecutor");
      return this;
    }

    /**
     * Records every operation in {@code sink}: action, principal, namespace, key, success or the
     * kind of error, time; never a value. See {@link AuditSinks} for the built-in sinks.
     *
     * <p>Time of records: a change's and a failure's record read the system clock when the
     * operation completes (or the {@link #clock(Clock) clock} given). A successful read's record,
     * unless a clock was given, reads a millisecond that a daemon thread ({@code kv-ticked-clock})
     * refreshes every millisecond while reads are audited and that stops after a second without
     * one: never after the read, normally a millisecond or two before it. Reads are most of what
     * a store serves, and a system clock read costs about as much as a cached read itself.
     *
     * @param sink receives the audit records
     * @return this builder
     * @throws NullPointerException if {@code sink} is null
     * @throws IllegalStateException if a sink was already set
     */
    public Builder audit(AuditSink sink) {
      this.auditSink = BuilderChecks.once(this.auditSink, Objects.requireNonNull(sink, "sink"), "audit sink");
      return this;
    }

    /**
     * What happens when the audit sink throws; default {@link
     * AuditFailurePolicy#LOG_AND_CONTINUE}. Needs {@link #audit(AuditSink)}.
     *
     * @param policy what to do when the audit sink throws
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     * @throws IllegalStateException if a policy was already set
     */
    public Builder auditFailurePolicy(AuditFailurePolicy policy) {
      this.auditFailurePolicy = BuilderChecks.once(this.auditFailurePolicy, Objects.requireNonNull(policy, "policy"), "auditFailurePolicy");
      return this;
    }

    /**
     * Checks every operation against {@code policy}, denying what it does not allow with a
     * {@link io.kv.PermissionDeniedException}. See {@link Grants} for the built-in policy.
     *
     * @param policy who may do what
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     * @throws IllegalStateException if a policy was already set
     */
    public Builder permissions(PermissionPolicy policy) {
      this.permissions = BuilderChecks.once(this.permissions, Objects.requireNonNull(policy, "policy"), "permissions");
      return this;
    }

    /**
     * Encrypts the values of secret namespaces with AES-256-GCM under keys derived from {@code
     * keyRing}'s primary master key; values written under its other keys stay readable. Without
     * it, declaring a secret namespace is refused. The envelope (format, type, key id, IV, tag) adds up to 95
     * bytes to a stored value, so give the backend's
     * {@link io.kv.InputRules#maxValueBytes()} that much room above the limit of this stack.
     *
     * @param keyRing the master keys
     * @return this builder
     * @throws NullPointerException if {@code keyRing} is null
     * @throws IllegalStateException if a key ring was already set
     */
    public Builder encryption(KeyRing keyRing) {
      this.keyRing = BuilderChecks.once(this.keyRing, Objects.requireNonNull(keyRing, "keyRing"), "encryption");
      return this;
    }

    /**
     * How often the stack re-reads every namespace declaration from the backend (one {@link
     * io.kv.Namespaces#list()} on a background thread), which bounds how long a change that
     * neither passed through this stack nor was reported by the backend goes unseen; default
     * {@link KvStores#DEFAULT_NAMESPACE_REFRESH}. {@link Duration#ZERO} turns the re-reading off.
     *
     * @param interval the time between two re-reads
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is negative
     * @throws IllegalStateException if it was already set
     */
    public Builder namespaceRefresh(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("namespaceRefresh must not be negative, was " + interval);
      }
      this.namespaceRefresh = BuilderChecks.once(this.namespaceRefresh, interval, "namespaceRefresh");
      return this;
    }

    /**
     * Builds the stack. Each call builds a new stack over the same backend.
     *
     * @return the stack
     * @throws IllegalStateException if an audit failure policy was set without an audit sink
     */
    public KvStore build() {
      if (auditFailurePolicy != null && auditSink == null) {
        throw new IllegalStateException("auditFailurePolicy needs an audit sink: call audit(...)");
      }
      Clock c = clock != null ? clock : Clock.systemUTC();
      NamespaceCatalog catalog = NamespaceCatalog.caching(backend.namespaces(),
          namespaceRefresh != null ? namespaceRefresh : DEFAULT_NAMESPACE_REFRESH);
      // Versioning and the plaintext guard act on namespace administration only: they decorate
      // it at the bottom of the stack instead of being layers that every get passes through.
      int history = secretHistory != null ? secretHistory : VersioningLayer.DEFAULT_SECRET_HISTORY;
      boolean encrypting = keyRing != null;
      UnaryOperator<Namespaces> administration = ns -> {
        Namespaces versioned = VersioningLayer.namespaces(ns, history);
        return encrypting ? versioned : PlaintextSecretGuard.namespaces(versioned);
      };
      KvStore store;
      if (encrypting && eventExecutor == null) {
        // The encryption layer is the bottom one: it carries the catalog's duties itself, one
        // layer fewer on every get of the deployed configuration.
        store = new EncryptionLayer(backend, keyRing.material(), catalog,
            ns -> administration.apply(CatalogLayer.invalidating(ns, catalog)));
      } else {
        store = new CatalogLayer(backend, catalog, administration, !encrypting);
        if (eventExecutor != null) {
          store = new EventLayer(store, eventExecutor);
        }
        if (encrypting) {
          store = new EncryptionLayer(store, keyRing.material(), catalog);
        }
      }
      if (requireDeclared) {
        store = new NamespaceLayer(store, catalog);
      }
      store = new LimitLayer(store, c, limits != null ? limits : LimitPolicy.defaults(), Map.copyOf(namespaceLimits));
      if (permissions != null) {
        store = new PermissionLayer(store, permissions);
      }
      if (auditSink != null) {
        store = new AuditLayer(store, auditSink,
            auditFailurePolicy != null ? auditFailurePolicy : AuditFailurePolicy.LOG_AND_CONTINUE, c,
            clock != null ? clock : TickedClock.shared());
      }
      return store;
    }
  }
}
