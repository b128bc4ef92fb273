package io.kv.core.internal;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.KvStore;
import io.kv.Subscription;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers change events on the application's executor instead of the writing thread. Each
 * subscription gets its own queue drained by one task at a time, so a listener still sees the
 * events of a key in version order and never runs concurrently with itself, while a slow listener
 * delays neither writers nor other listeners. What a listener throws is logged and dropped.
 *
 * <p>Thread-safe.
 */
public final class EventLayer extends StackLayer {
  private static final Logger LOG = LoggerFactory.getLogger(EventLayer.class);

  private final Executor executor;

  /** Delivers the events of {@code delegate} on {@code executor}. */
  public EventLayer(KvStore delegate, Executor executor) {
    super(delegate);
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new EventLayer(delegate, executor);
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    SerialDelivery delivery = new SerialDelivery(listener, executor);
    return delivery.over(delegate().subscribe(filter, delivery::enqueue));
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, long fromRevision, ChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    SerialDelivery delivery = new SerialDelivery(listener, executor);
    // Replayed and live events go through the one queue, so the listener sees them in order.
    return delivery.over(delegate().subscribe(filter, fromRevision, delivery::enqueue));
  }

  /** One subscription's queue: events in arrival order, at most one drain task at a time. */
  private static final class SerialDelivery {
    private final ChangeListener listener;
    private final Executor executor;
    private final Queue<ChangeEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    volatile boolean closed;

    SerialDelivery(ChangeListener listener, Executor executor) {
      this.listener = listener;
      this.executor = executor;
    }

    /** The registration that stops this delivery and then {@code inner}. */
    Subscription over(Subscription inner) {
      return () -> {
        closed = true;
        inner.close();
      };
    }

    void enqueue(ChangeEvent event) {
      queue.add(event);
      schedule();
    }

    private void schedule() {
      if (draining.compareAndSet(false, true)) {
        try {
          executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
          draining.set(false);
          LOG.warn("event executor refused delivery; {} event(s) wait for the next change", queue.size(), e);
        }
      }
    }

    private void drain() {
      try {
        ChangeEvent e;
        while (!closed && (e = queue.poll()) != null) {
          try {
            listener.onChange(e);
          } catch (RuntimeException ex) {
            LOG.warn("change listener failed on {} of '{}/{}' version {}", e.type(), e.namespace(), e.key(), e.version(), ex);
          }
        }
      } finally {
        draining.set(false);
      }
      // An event may have arrived after the last poll but before the flag was cleared.
      if (!closed && !queue.isEmpty()) {
        schedule();
      }
    }
  }
}
