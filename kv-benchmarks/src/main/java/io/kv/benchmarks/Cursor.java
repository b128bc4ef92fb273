package io.kv.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The position of one benchmark thread in an array of keys (or prefixes). Each thread has its
 * own, so threads never contend on it; a second thread starts far from the first, so two threads
 * do not read the same key at the same moment.
 *
 * <p>JMH creates one per thread; not thread-safe.
 */
@State(Scope.Thread)
public class Cursor {
  private int index;

  /** Places the cursor of thread {@code t} at {@code t * 7919}, wrapped to the array it walks. */
  @Setup(Level.Trial)
  public void place(ThreadParams thread) {
    index = thread.getThreadIndex() * 7919;
  }

  /** The next item, wrapping around at the end. */
  <T> T next(T[] items) {
    int i = index;
    if (i >= items.length) {
      i = i % items.length;
    }
    index = i + 1;
    return items[i];
  }
}
