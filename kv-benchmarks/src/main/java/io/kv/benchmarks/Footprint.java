package io.kv.benchmarks;

import io.kv.Value;
import io.kv.memory.MemoryKvStore;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.openjdk.jol.info.GraphLayout;

/**
 * The memory-bytes row: retained heap per entry of the memory store beside a {@code
 * ConcurrentHashMap<String, byte[]>} of the same data (10^4 keys of 20 characters, values of 100
 * bytes). Not a timing, so not a JMH benchmark: it walks each structure's object graph with JOL's
 * {@link GraphLayout} and divides what {@code n} entries add to an empty one by {@code n}, so the
 * fixed cost of an empty store (its clock, limits, locks) does not count.
 *
 * <p>Both hold the same key String objects and each its own copy of every value array, as a
 * store given a value does. Run it with {@code -Djdk.attach.allowAttachSelf=true} so JOL can
 * read exact object sizes from the running VM.
 */
public final class Footprint {
  private static final int KEY_COUNT = 10_000;

  private Footprint() {}

  /**
   * Measures both and writes {@code kv_bytes_per_entry} and {@code baseline_bytes_per_entry} as
   * a properties file at {@code args[0]}.
   *
   * @throws IOException if the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Footprint <output.properties>");
      System.exit(2);
      return;
    }
    String[] keys = Data.keys(KEY_COUNT);
    double kv = storeBytesPerEntry(keys);
    double map = mapBytesPerEntry(keys);
    try (Writer w = Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8)) {
      w.write(String.format(Locale.ROOT, "entries=%d%nkv_bytes_per_entry=%.1f%nbaseline_bytes_per_entry=%.1f%n",
          KEY_COUNT, kv, map));
    }
    System.out.printf(Locale.ROOT, "memory-bytes: store %.1f B/entry, ConcurrentHashMap<String, byte[]> %.1f B/entry, ratio %.2f%n",
        kv, map, kv / map);
  }

  private static double storeBytesPerEntry(String[] keys) {
    try (MemoryKvStore store = MemoryKvStore.builder().clock(Clock.systemUTC()).build()) {
      // One entry first, so the namespace itself is part of the empty size.
      store.put(MemoryBenchmark.NAMESPACE, "warm/up", Value.binary(new byte[1]));
      store.delete(MemoryBenchmark.NAMESPACE, "warm/up");
      long empty = GraphLayout.parseInstance(store).totalSize();
      for (int i = 0; i < keys.length; i++) {
        store.put(MemoryBenchmark.NAMESPACE, keys[i], Value.binary(Data.valueBytes(i)));
      }
      long full = GraphLayout.parseInstance(store).totalSize();
      return (full - empty) / (double) keys.length;
    }
  }

  private static double mapBytesPerEntry(String[] keys) {
    ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();
    long empty = GraphLayout.parseInstance(map).totalSize();
    for (int i = 0; i < keys.length; i++) {
      map.put(keys[i], Data.valueBytes(i));
    }
    long full = GraphLayout.parseInstance(map).totalSize();
    return (full - empty) / (double) keys.length;
  }
}
