package io.kv.core.internal;

import io.kv.Namespace;
import io.kv.Namespaces;
import io.kv.Subscription;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace declarations of one layer stack, kept in memory: the one place from which the
 * layers learn whether a namespace is declared and whether it is secret, so that an entry
 * operation never reads a declaration from the backend (on the JDBC store, a query per operation).
 *
 * <h2>Staying current</h2>
 * A declaration is read from the backend once, on first use, and then kept until it is dropped:
 * <ul>
 *   <li>at once, by {@link #invalidate}, which the stack calls after every namespace change made
 *       through it (any principal view);
 *   <li>when the backend reports a change through {@link Namespaces#watch}: the memory store
 *       reports its own changes at once, the JDBC store behind a near-cache also reports changes
 *       made by other instances on the same database, within the change feed's bound;
 *   <li>by a background refresh that re-reads every declaration ({@link Namespaces#list()}, one
 *       query) every {@code refreshInterval}, for changes the backend does not report (another
 *       instance without a change feed, or SQL run by hand). That interval bounds how long such a
 *       change goes unseen.
 * </ul>
 * A load that overlaps a change to any namespace is not kept, so a value read before a change
 * never outlives it.
 *
 * <p>Undeclared namespaces are remembered too (an entry operation on one is common). At most
 * {@value #MAX_KNOWN} names are kept; past that, everything is dropped and read again as needed.
 *
 * <p>A lookup of the namespace looked up last reads two fields and writes none, so readers on
 * several threads share nothing that is written. Thread-safe.
 */
public final class NamespaceCatalog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceCatalog.class);

  /** How often declarations are re-read by default. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(10);
  /** How many namespace names are kept at most. */
  static final int MAX_KNOWN = 4096;

  /** One background thread for every catalog of the process; it only runs the refreshes. */
  private static final class Refresher {
    static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kv-namespace-refresh");
      t.setDaemon(true);
      return t;
    });
  }

  /** What is known of one namespace; {@code valid} turns false when it is dropped. */
  static final class Known {
    final String name;
    final Optional<Namespace> declared;
    final boolean secret;
    volatile boolean valid = true;

    Known(String name, Optional<Namespace> declared) {
      this.name = name;
      this.declared = declared;
      this.secret = declared.isPresent() && declared.get().settings().secret();
    }
  }

  private final Namespaces source;
  private final boolean caching;
  private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
  /** Bumped by every drop; a load that saw it move keeps nothing. */
  private final AtomicLong generation = new AtomicLong();
  private volatile Known last;
  private final Optional<Subscription> watch;
  private final ScheduledFuture<?> refresh;

  private NamespaceCatalog(Namespaces source, boolean caching, Duration refreshInterval) {
    this.source = Objects.requireNonNull(source, "source");
    this.caching = caching;
    if (!caching) {
      this.watch = Optional.empty();
      this.refresh = null;
      return;
    }
    Weakly weakly = new Weakly(this);
    this.watch = source.watch(weakly);
    weakly.subscription = watch.orElse(null);
    if (refreshInterval.isZero()) {
      this.refresh = null;
    } else {
      long nanos = refreshInterval.toNanos();
      this.refresh = Refresher.EXECUTOR.scheduleWithFixedDelay(weakly, nanos, nanos, TimeUnit.NANOSECONDS);
      weakly.refresh = refresh;
    }
  }

  /**
   * The backend's reports and the refresh reach a catalog through a weak reference, so a stack
   * that is dropped without being closed does not live on through its backend or the refresh
   * thread; the first report or refresh after it is collected ends both.
   */
  private static final class Weakly implements Consumer<String>, Runnable {
    private final WeakReference<NamespaceCatalog> catalog;
    volatile Subscription subscription;
    volatile Future<?> refresh;

    Weakly(NamespaceCatalog catalog) {
      this.catalog = new WeakReference<>(catalog);
    }

    @Override
    public void accept(String namespace) {
      NamespaceCatalog c = catalog.get();
      if (c != null) {
        c.invalidate(namespace);
      } else {
        end();
      }
    }

    @Override
    public void run() {
      NamespaceCatalog c = catalog.get();
      if (c != null) {
        c.refresh();
      } else {
        end();
      }
    }

    private void end() {
      Subscription s = subscription;
      if (s != null) {
        s.close();
      }
      Future<?> f = refresh;
      if (f != null) {
        f.cancel(false);
      }
    }
  }

  /**
   * A catalog over {@code source} that keeps declarations in memory, re-reading them every
   * {@code refreshInterval} ({@link Duration#ZERO}: never; then only changes made through the
   * stack or reported by the backend are seen). Close it to stop the refresh.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code refreshInterval} is negative
   */
  public static NamespaceCatalog caching(Namespaces source, Duration refreshInterval) {
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    if (refreshInterval.isNegative()) {
      throw new IllegalArgumentException("refreshInterval must not be negative, was " + refreshInterval);
    }
    return new NamespaceCatalog(source, true, refreshInterval);
  }

  /**
   * A catalog that keeps nothing and asks {@code source} on every lookup: for a layer built on its
   * own, outside {@link io.kv.core.KvStores}.
   *
   * @throws NullPointerException if {@code source} is null
   */
  public static NamespaceCatalog direct(Namespaces source) {
    return new NamespaceCatalog(source, false, Duration.ZERO);
  }

  /**
   * The declaration of {@code namespace}, or empty if it is not declared.
   *
   * @throws NullPointerException if {@code namespace} is null
   * @throws io.kv.InvalidInputException if it is not a valid namespace name (from the backend)
   */
  public Optional<Namespace> get(String namespace) {
    return lookup(namespace).declared;
  }

  /** Whether {@code namespace} is declared secret; as {@link #get} for what it throws. */
  public boolean secret(String namespace) {
    return lookup(namespace).secret;
  }

  /** Whether {@code namespace} is declared; as {@link #get} for what it throws. */
  public boolean declared(String namespace) {
    return lookup(namespace).declared.isPresent();
  }

  private Known lookup(String namespace) {
    Known k = last;
    // Identity before equals, in this method's own bytecode: for a caller that passes the same
    // String object each time the JIT leaves String.equals out of the compiled hot path (as
    // PrincipalView.get in the memory store), so that a stack's get stays small enough to inline.
    if (k != null && (k.name == namespace || k.name.equals(namespace)) && k.valid) {
      return k;
    }
    return slowLookup(namespace);
  }

  private Known slowLookup(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (!caching) {
      return new Known(namespace, source.get(namespace));
    }
    Known k = known.get(namespace);
    if (k == null || !k.valid) {
      k = load(namespace);
    }
    if (last != k) {
      last = k;
    }
    return k;
  }

  private Known load(String namespace) {
    long seen = generation.get();
    Known k = new Known(namespace, source.get(namespace));
    if (known.size() >= MAX_KNOWN) {
      invalidateAll();
    }
    known.put(namespace, k);
    // A drop that happened since the read may concern this very value: do not keep it. Checked
    // after the put, so a drop either sees the value in the map or is seen here.
    if (generation.get() != seen) {
      k.valid = false;
      known.remove(namespace, k);
    }
    return k;
  }

  /** Drops what is known of {@code namespace}; the next lookup reads it again. */
  public void invalidate(String namespace) {
    generation.incrementAndGet();
    Known k = known.remove(namespace);
    if (k != null) {
      k.valid = false;
    }
  }

  private void invalidateAll() {
    generation.incrementAndGet();
    for (String name : known.keySet()) {
      invalidate(name);
    }
  }

  /**
   * Re-reads every declaration and drops the names whose declaration changed. Runs in the
   * background every refresh interval; public for tests and for callers that know a change
   * happened behind the store's back.
   */
  public void refresh() {
    if (!caching || known.isEmpty()) {
      return;
    }
    List<Namespace> all;
    try {
      all = source.list();
    } catch (RuntimeException e) {
      LOG.warn("cannot re-read namespace declarations; keeping those known", e);
      return;
    }
    Map<String, Namespace> byName = new HashMap<>();
    for (Namespace n : all) {
      byName.put(n.name(), n);
    }
    for (Known k : known.values()) {
      if (!Objects.equals(k.declared.orElse(null), byName.get(k.name))) {
        invalidate(k.name);
      }
    }
  }

  /** Stops the background refresh and the backend's reports. Idempotent. */
  @Override
  public void close() {
    if (refresh != null) {
      refresh.cancel(false);
    }
    watch.ifPresent(Subscription::close);
  }
}
