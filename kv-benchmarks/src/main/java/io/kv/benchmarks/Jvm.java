package io.kv.benchmarks;

/**
 * The JVM options of every fork that measures nanoseconds: a fixed heap of {@value #HEAP_SIZE},
 * touched in full at start-up. A heap that grows during a run takes fresh memory from the
 * operating system, and the first write to each page is a page fault: measured on the secret put
 * pair, iterations of one fork ranged from 330 to 1,600 ns while the collector grew the heap from
 * 2 to 4 GB, and ran at 540-570 ns on a fixed, touched heap. Kv and its baseline run with the
 * same options.
 */
final class Jvm {
  static final String HEAP_SIZE = "3g";
  static final String MIN_HEAP = "-Xms" + HEAP_SIZE;
  static final String MAX_HEAP = "-Xmx" + HEAP_SIZE;
  static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

  private Jvm() {}
}
