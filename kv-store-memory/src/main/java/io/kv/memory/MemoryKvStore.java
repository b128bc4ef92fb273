package io.kv.memory;

import io.kv.EntryRestorer;
import io.kv.InputRules;
import io.kv.KvStore;
import io.kv.Principal;
import io.kv.ValueRewriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The embedded default {@link KvStore}: everything in the heap of this process. Use it as an
 * in-process cache of configuration and secrets, or as the fake store of unit tests:
 *
 * <pre>{@code
 * KvStore store = MemoryKvStore.create();
 * MemoryKvStore store = MemoryKvStore.builder().clock(testClock).build();
 * }</pre>
 *
 * <h2>Performance</h2>
 * A read is a hash lookup without a lock and without allocation (entries with and without a TTL
 * are indexed apart, so a read of one with a TTL may probe both); an entry with a TTL also reads
 * the clock once, an entry without one never does. A key that is the very String object that was
 * written (a constant, say) is found without comparing characters. Writes to one namespace take
 * that namespace's lock, so conditional writes and bulk writes are atomic. Listing by prefix walks a
 * sorted key index from the prefix: O(log n + page size), plus any expired entries not yet
 * reclaimed in the range.
 *
 * <h2>Bulk writes</h2>
 * {@link #putAll} and {@link #deleteAll} are all-or-nothing (every input is checked before
 * anything is written) and serialized with every other write to the namespace. Readers do not
 * take the lock, so a concurrent reader may see a batch half applied ({@link
 * io.kv.Capabilities#isolatedBulkWrites()} is false).
 *
 * <h2>Transactions</h2>
 * {@link #commit} holds the namespace's lock from its compares to its last write, so it is
 * serialized with every other write there, and publishes its events, in write order, once every
 * write is in. Read isolation: {@link #getAll} and {@link #list}, which read several keys without
 * the lock, notice a transaction that was being installed while they read and read again under
 * the lock, so one such call sees all of a transaction or none of it. A single {@link #get} of
 * one key stays lock-free: two separate gets made while a transaction is being installed may see
 * its new value of one key and the old value of another; read the keys with one {@code getAll}
 * when they must agree.
 *
 * <h2>Expiry</h2>
 * An expired entry is invisible at once. Its memory is reclaimed lazily (a read or write that
 * meets it removes it when the namespace lock is free), by writes (each write reclaims a few due
 * entries of its namespace), and by a background sweep every {@link Builder#sweepInterval
 * sweepInterval} on one shared daemon thread, in small batches that never block readers. {@link
 * #purgeExpired()} reclaims everything due at once.
 *
 * <h2>Events</h2>
 * Listeners run synchronously on the writing thread, after the change and in version order per
 * key, while the namespace lock is held: keep them quick.
 *
 * <h2>Rewriting values</h2>
 * {@link #rewriteValues} (the {@link ValueRewriter} capability, which kv-core's re-encryption
 * uses) runs under the namespace lock and installs the entry with its rewritten history in one
 * step, so a reader sees the old entry or the new one; it publishes no event.
 *
 * <h2>Restoring entries</h2>
 * {@link #restore} (the {@link EntryRestorer} capability, which kv-core's import uses) installs an
 * entry with its version, timestamps and history under the namespace lock, in one step, and
 * publishes a {@code CREATED} or {@code UPDATED} event.
 *
 * <p>Thread-safe. {@link #close()} stops the background sweep; the store stays readable and
 * writable. Closing a view from {@link #as} does nothing: the sweep belongs to the store.
 */
public interface MemoryKvStore extends KvStore, ValueRewriter, EntryRestorer {

  /**
   * A store with the system UTC clock, default {@link InputRules} and a one-minute sweep.
   *
   * @return a store with the system UTC clock, default {@link InputRules} and a one-minute sweep
   */
  static MemoryKvStore create() {
    return builder().build();
  }

  /**
   * A builder for a store with another clock, limits or sweep interval.
   *
   * @return a new builder
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Removes every entry that has expired by now, and reports each as an {@link
   * io.kv.ChangeType#EXPIRED} event.
   *
   * @return how many entries were removed
   */
  int purgeExpired();

  /**
   * How many entries the store holds, counting expired entries not yet reclaimed.
   *
   * @return how many entries the store holds, counting expired entries not yet reclaimed
   */
  long size();

  @Override
  MemoryKvStore as(Principal principal);

  /**
   * Configures a {@link MemoryKvStore}. Each setter checks its argument at once and may be called
   * only once. Not thread-safe; the store it builds is.
   */
  final class Builder {
    /** How many changes the change log keeps unless {@link #changeLogSize} says otherwise. */
    public static final int DEFAULT_CHANGE_LOG_SIZE = 10_000;
    /** The largest change log a store may keep. */
    public static final int MAX_CHANGE_LOG_SIZE = 10_000_000;

    private Clock clock;
    private InputRules limits;
    private Duration sweepInterval;
    private int changeLogSize;

    private Builder() {}

    /**
     * The clock for timestamps and expiry; default {@link Clock#systemUTC()}. Tests pass a clock
     * they move, such as {@code io.kv.testkit.MutableClock}.
     *
     * @param clock the clock of expiry and timestamps
     * @return this builder
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

    /**
     * The input limits; default {@link InputRules#defaults()}.
     *
     * @param limits the input rules
     * @return this builder
     * @throws NullPointerException if {@code limits} is null
     * @throws IllegalStateException if limits were already set
     */
    public Builder limits(InputRules limits) {
      Objects.requireNonNull(limits, "limits");
      if (this.limits != null) {
        throw new IllegalStateException("limits were already set");
      }
      this.limits = limits;
      return this;
    }

    /**
     * How often the background sweep reclaims expired entries; default one minute. {@link
     * Duration#ZERO} turns the background sweep off (lazy reclaiming and {@link
     * #purgeExpired()} remain). The sweep thread starts only once an entry with a TTL is written.
     *
     * @param interval the time between two sweeps, or zero
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is negative, or positive but under 10 ms
     * @throws IllegalStateException if an interval was already set
     */
    public Builder sweepInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || (!interval.isZero() && interval.toMillis() < 10)) {
        throw new IllegalArgumentException("sweepInterval must be zero (off) or at least 10 ms");
      }
      if (this.sweepInterval != null) {
        throw new IllegalStateException("sweepInterval was already set");
      }
      this.sweepInterval = interval;
      return this;
    }

    /**
     * How many of its latest changes the store keeps for {@link
     * KvStore#subscribe(io.kv.ChangeFilter, long, io.kv.ChangeListener) subscribing from a
     * revision}; default {@value #DEFAULT_CHANGE_LOG_SIZE}. Resuming from a revision more than
     * this many changes behind the store's fails with {@link io.kv.RevisionCompactedException}.
     * The log holds one event (no value) per change.
     *
     * @param changes how many changes the log keeps, from 1 to {@value #MAX_CHANGE_LOG_SIZE}
     * @return this builder
     * @throws IllegalArgumentException if {@code changes} is out of range
     * @throws IllegalStateException if a size was already set
     */
    public Builder changeLogSize(int changes) {
      if (changes < 1 || changes > MAX_CHANGE_LOG_SIZE) {
        throw new IllegalArgumentException("changeLogSize must be from 1 to " + MAX_CHANGE_LOG_SIZE);
      }
      if (this.changeLogSize != 0) {
        throw new IllegalStateException("changeLogSize was already set");
      }
      this.changeLogSize = changes;
      return this;
    }

    /**
     * Builds the store. The builder may be reused; each call builds a new, empty store.
     *
     * @return a new, empty store
     */
    public MemoryKvStore build() {
      return PrincipalView.create(
          clock != null ? clock : Clock.systemUTC(),
          limits != null ? limits : InputRules.defaults(),
          sweepInterval != null ? sweepInterval : Duration.ofMinutes(1),
          changeLogSize != 0 ? changeLogSize : DEFAULT_CHANGE_LOG_SIZE);
    }
  }
}
