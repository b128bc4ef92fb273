package io.kv.memory;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread, shared by every memory store in the process, that reclaims expired entries.
 * A task holds its store weakly: a store that is dropped without {@code close()} is still
 * collected, and its task then cancels itself.
 */
final class Sweeper {
  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

  private Sweeper() {}

  private static final class Holder {
    static final ScheduledThreadPoolExecutor EXECUTOR = newExecutor();

    private static ScheduledThreadPoolExecutor newExecutor() {
      ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "kv-memory-sweeper");
        t.setDaemon(true);
        return t;
      });
      e.setRemoveOnCancelPolicy(true);
      return e;
    }
  }

  /** Runs {@code sweep} on {@code target} every {@code interval} until the result is cancelled. */
  static <T> Future<?> schedule(T target, ToIntFunction<T> sweep, Duration interval) {
    WeakReference<T> ref = new WeakReference<>(target);
    Future<?>[] handle = new Future<?>[1];
    Runnable task = () -> {
      T t = ref.get();
      if (t == null) {
        synchronized (handle) {
          handle[0].cancel(false);
        }
        return;
      }
      try {
        sweep.applyAsInt(t);
      } catch (RuntimeException e) {
        LOG.warn("expiry sweep failed; it will run again", e);
      }
    };
    long millis = interval.toMillis();
    synchronized (handle) {
      handle[0] = Holder.EXECUTOR.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
      return handle[0];
    }
  }
}
