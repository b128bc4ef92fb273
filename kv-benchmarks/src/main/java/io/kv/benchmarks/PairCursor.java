package io.kv.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * An index into parallel arrays (a key and its value) for one benchmark thread, wrapping around
 * at the end. JMH creates one per thread; not thread-safe.
 */
@State(Scope.Thread)
public class PairCursor {
  private int index;

  /** The next index below {@code length}. */
  int next(int length) {
    int i = index;
    if (i >= length) {
      i = 0;
    }
    index = i + 1;
    return i;
  }
}
