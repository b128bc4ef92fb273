package io.kv.core.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The system's UTC clock to the millisecond, read from a field that a daemon thread refreshes
 * every {@code tick} while the clock is in use: a read is a load, where a read of the system
 * clock costs tens of nanoseconds on a virtual machine. The audit layer times a read's record
 * with it, which would otherwise cost about as much as the read itself.
 *
 * <h2>What a reading promises</h2>
 * It is never after the system clock at the moment of the read (the thread stores what it read,
 * and time moves on); it is behind by at most the tick plus however long the thread waited to be
 * scheduled, normally a millisecond or two. Readings never go backwards while the thread runs,
 * even if the system clock is stepped back.
 *
 * <h2>Thread</h2>
 * The thread ({@code kv-ticked-clock}, a daemon) starts on the first read and stops once no read
 * happened for {@code idleTicks} ticks in a row (a second, for the shared clock); the next read
 * then reads the system clock itself and starts it again. So an application that stops reading
 * has no thread left behind. Readers keep it running by setting a flag they only read while it
 * is set: a read writes no shared memory, save once per idle period.
 *
 * <p>Thread-safe.
 */
public final class TickedClock extends Clock {
  private static final TickedClock SHARED = new TickedClock(TimeUnit.MILLISECONDS.toNanos(1), 1000);

  private final long tickNanos;
  private final int idleTicks;
  private final Object lock = new Object();
  /** The last millisecond the thread read, with its Instant; null while the thread is not running. */
  private volatile Tick now;
  /** Set by readers, cleared by the thread once per idle period. */
  private volatile boolean used;
  /** Whether a thread runs; guarded by {@link #lock}. */
  private boolean running;

  TickedClock(long tickNanos, int idleTicks) {
    if (tickNanos <= 0 || idleTicks <= 0) {
      throw new IllegalArgumentException("tick and idle ticks must be positive");
    }
    this.tickNanos = tickNanos;
    this.idleTicks = idleTicks;
  }

  /**
   * The clock every stack of this class loader shares, ticking every millisecond and stopping
   * after a second without a read.
   *
   * @return the shared clock
   */
  public static TickedClock shared() {
    return SHARED;
  }

  /** A millisecond and its Instant, made by the thread once per tick, so that readers share them. */
  private record Tick(long millis, Instant instant) {
    static Tick of(long millis) {
      return new Tick(millis, Instant.ofEpochMilli(millis));
    }
  }

  @Override
  public long millis() {
    return tick().millis;
  }

  /** The reading as an Instant, the same object for every read of one tick: a read allocates nothing. */
  @Override
  public Instant instant() {
    return tick().instant;
  }

  private Tick tick() {
    Tick t = now;
    if (t == null) {
      return start();
    }
    if (!used) {
      used = true;
    }
    return t;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /**
   * This clock in UTC, which is the only zone it has: its readings are instants, and a zone would
   * change none of them.
   *
   * @throws UnsupportedOperationException if {@code zone} is not UTC
   */
  @Override
  public Clock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    if (zone.normalized().equals(ZoneOffset.UTC)) {
      return this;
    }
    throw new UnsupportedOperationException("a ticked clock is in UTC, not " + zone);
  }

  /** Whether the thread runs now; for tests. */
  boolean running() {
    synchronized (lock) {
      return running;
    }
  }

  /** Reads the system clock and starts the thread unless another reader just did. */
  private Tick start() {
    Tick t = Tick.of(System.currentTimeMillis());
    synchronized (lock) {
      if (!running) {
        running = true;
        used = true;
        now = t;
        Thread thread = new Thread(this::run, "kv-ticked-clock");
        thread.setDaemon(true);
        thread.start();
      }
    }
    return t;
  }

  private void run() {
    int idle = 0;
    while (true) {
      LockSupport.parkNanos(this, tickNanos);
      long millis = System.currentTimeMillis();
      if (millis > now.millis) {
        now = Tick.of(millis);
      }
      if (++idle < idleTicks) {
        continue;
      }
      idle = 0;
      synchronized (lock) {
        if (!used) {
          // A reader that loaded the old value just before this still gets a reading within the
          // bound; the next one reads the system clock and starts a thread again.
          now = null;
          running = false;
          return;
        }
        used = false;
      }
    }
  }

  @Override
  public String toString() {
    return "TickedClock[tick=" + tickNanos + "ns]";
  }
}
