package io.kv.benchmarks;

import io.kv.Value;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Random;

/**
 * The keys and values every benchmark uses, so that rows compare like with like: keys of 20
 * characters spread over {@value #GROUPS} prefixes, 100-byte values, and one fixed random order
 * of visit.
 *
 * <p>Key {@code i} is {@code app/GGG/entryNNNNNNN}, with {@code GGG = i % 50} and {@code NNNNNNN =
 * i / 50}: every group prefix holds {@code n / 50} keys, so a page of 100 under one prefix is full
 * at 10^4 keys and at 10^6 alike. Stateless and thread-safe.
 */
final class Data {
  /** How many key prefixes ({@code app/000/} to {@code app/049/}) the keys are spread over. */
  static final int GROUPS = 50;

  /** The length of every value, in bytes. */
  static final int VALUE_BYTES = 100;

  /** The seed of every shuffle, so runs visit keys in the same order. */
  private static final long SEED = 42;

  private Data() {}

  /** The {@code n} keys, in insertion order. */
  static String[] keys(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("key count must be positive, was " + n);
    }
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = String.format(Locale.ROOT, "app/%03d/entry%07d", i % GROUPS, i / GROUPS);
    }
    return keys;
  }

  /** The prefix of group {@code g}, such as {@code app/007/}. */
  static String groupPrefix(int g) {
    return String.format(Locale.ROOT, "app/%03d/", g);
  }

  /**
   * {@code items} in a fixed random order, a new array of the same objects. Visiting keys in an
   * order unrelated to the one they were written in keeps a structure that happens to be laid
   * out in insertion order in memory from looking faster than it is.
   */
  static <T> T[] shuffled(T[] items) {
    T[] copy = items.clone();
    Collections.shuffle(Arrays.asList(copy), new Random(SEED));
    return copy;
  }

  /**
   * {@code keys} again, each a new String object equal to the original: what a caller that builds
   * its keys at run time passes, so a lookup must compare characters.
   */
  static String[] equalCopies(String[] keys) {
    String[] copies = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      copies[i] = new String(keys[i].toCharArray());
    }
    return copies;
  }

  /** {@value #VALUE_BYTES} printable ASCII bytes that differ with {@code i}. */
  static byte[] valueBytes(int i) {
    byte[] b = new byte[VALUE_BYTES];
    Random r = new Random(SEED + i);
    for (int j = 0; j < b.length; j++) {
      b[j] = (byte) ('a' + r.nextInt(26));
    }
    return b;
  }

  /** A binary value of {@value #VALUE_BYTES} bytes, for entry {@code i}. */
  static Value value(int i) {
    return Value.binary(valueBytes(i));
  }
}
