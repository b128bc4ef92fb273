package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kv.DecryptionException;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Stored ciphertext that was altered, or moved to another key or namespace, never reads back:
 * every read of it through an encrypting layer stack (get, getAll, list, history) fails with
 * {@link DecryptionException}, whose message names the namespace and key and shows no part of the
 * value. The suite seals one value of each type under four keys of two secret namespaces, then,
 * writing through the backend beneath the stack, replaces a stored envelope with:
 *
 * <ul>
 *   <li>every single-byte change: each byte XORed with each of the eight single-bit masks and
 *       with {@code 0xFF} (with {@code -Dkv.tamper.exhaustive=true}, with each of the 255
 *       non-zero masks);
 *   <li>every truncation, from the end and from the start, down to nothing;
 *   <li>extensions: a byte appended or prepended, a second tag's worth of bytes appended;
 *   <li>every move: each envelope copied under each other key of either namespace, and each pair
 *       of entries with their stored bytes swapped.
 * </ul>
 *
 * Before and after, the untouched envelopes read back as written, so the suite would notice a
 * stack that fails every read. It publishes what it tried with {@link SuiteFigures}.
 *
 * <p>A subclass gives the backend and the stack over it:
 *
 * <pre>{@code
 * class MemoryTamperedCiphertextTest extends TamperedCiphertextSuite {
 *   protected KvStore newBackend(MutableClock clock) { return MemoryKvStore.builder().clock(clock).build(); }
 *   protected KvStore newStack(KvStore backend, MutableClock clock) { return KvStores.builder(backend)...build(); }
 *   protected String subject() { return "memory + stack"; }
 * }
 * }</pre>
 *
 * <p>Not thread-safe; one instance runs all its tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TamperedCiphertextSuite {
  private static final String SUITE = "tampered-ciphertext";
  private static final String SECRET = "s3cr3t-tamper-9f2c";
  private static final List<String> NAMESPACES = List.of("vault", "keys");
  private static final List<String> KEYS = List.of("db/password", "api/token");
  private static final List<Value> VALUES = List.of(
      Value.string(SECRET),
      Value.json("{\"password\":\"" + SECRET + "\"}"),
      Value.binary(SECRET.getBytes(StandardCharsets.UTF_8)),
      Value.string(SECRET + SECRET));

  private final Map<String, Long> figures = new LinkedHashMap<>();
  private MutableClock clock;
  private KvStore backend;
  private KvStore stack;
  /** The slots (namespace, key) and the plaintext and envelope each holds, in one order. */
  private final List<Slot> slots = new ArrayList<>();

  private record Slot(String namespace, String key, Value plaintext, Value envelope) {}

  /** For subclasses. */
  protected TamperedCiphertextSuite() {
    for (String name : List.of("byte changes", "truncations", "extensions", "moves", "swaps", "reads refused")) {
      figures.put(name, 0L);
    }
  }

  /**
   * A new, empty backend whose time comes from {@code clock}. The suite closes it.
   *
   * @param clock the source of time
   * @return a new, empty backend whose time comes from {@code clock}
   */
  protected abstract KvStore newBackend(MutableClock clock);

  /**
   * A layer stack over {@code backend} that encrypts secret namespaces and allows any principal
   * everything. The suite closes it before the backend.
   *
   * @param backend the store beneath
   * @param clock the source of time
   * @return a layer stack over {@code backend} that encrypts secret namespaces and allows any
   *     principal everything
   */
  protected abstract KvStore newStack(KvStore backend, MutableClock clock);

  /**
   * What the suite runs on, for the published figures, such as {@code "memory + stack"}.
   *
   * @return what the suite runs on, for the published figures, such as {@code "memory + stack"}
   */
  protected abstract String subject();

  /** Seals one value under each key of each namespace, and remembers the stored envelopes. */
  @BeforeEach
  protected final void seal() {
    clock = MutableClock.at(KvStoreContract.START);
    backend = newBackend(clock);
    stack = newStack(backend, clock);
    slots.clear();
    int i = 0;
    for (String ns : NAMESPACES) {
      stack.namespaces().create(ns, NamespaceSettings.defaults().withSecret(true).withMaxVersions(2));
      for (String key : KEYS) {
        Value plaintext = VALUES.get(i++ % VALUES.size());
        stack.put(ns, key, plaintext);
        slots.add(new Slot(ns, key, plaintext, backend.get(ns, key).orElseThrow().value()));
      }
    }
    assertIntact();
  }

  /** Checks the untouched envelopes still open, then closes the stack and the backend. */
  @AfterEach
  protected final void closeAll() {
    try {
      assertIntact();
    } finally {
      stack.close();
      backend.close();
    }
  }

  /** Publishes what the suite tried. */
  @AfterAll
  protected final void publish() {
    SuiteFigures.publish(SUITE, subject(), figures);
  }

  private static boolean exhaustive() {
    return Boolean.getBoolean("kv.tamper.exhaustive");
  }

  // ---------------------------------------------------------------- the mutations

  @Test
  void everySingleByteChangeFailsToDecrypt() {
    int[] masks = exhaustive() ? range(1, 256) : new int[] {1, 2, 4, 8, 16, 32, 64, 128, 0xFF};
    for (Slot s : slots) {
      byte[] bytes = s.envelope().bytes();
      for (int at = 0; at < bytes.length; at++) {
        for (int mask : masks) {
          byte[] changed = bytes.clone();
          changed[at] ^= (byte) mask;
          assertRefused(s, changed, "byte " + at + " ^ " + mask, "byte changes");
        }
      }
      restore(s);
    }
  }

  @Test
  void everyTruncationFailsToDecrypt() {
    for (Slot s : slots) {
      byte[] bytes = s.envelope().bytes();
      for (int length = 0; length < bytes.length; length++) {
        assertRefused(s, Arrays.copyOf(bytes, length), "first " + length + " bytes", "truncations");
        assertRefused(s, Arrays.copyOfRange(bytes, bytes.length - length, bytes.length), "last " + length + " bytes",
            "truncations");
      }
      restore(s);
    }
  }

  @Test
  void extensionsFailToDecrypt() {
    for (Slot s : slots) {
      byte[] bytes = s.envelope().bytes();
      for (int b : new int[] {0, 1, 0x7F, 0xFF}) {
        byte[] appended = Arrays.copyOf(bytes, bytes.length + 1);
        appended[bytes.length] = (byte) b;
        assertRefused(s, appended, "appended " + b, "extensions");
        byte[] prepended = new byte[bytes.length + 1];
        prepended[0] = (byte) b;
        System.arraycopy(bytes, 0, prepended, 1, bytes.length);
        assertRefused(s, prepended, "prepended " + b, "extensions");
      }
      byte[] doubledTag = Arrays.copyOf(bytes, bytes.length + 16);
      System.arraycopy(bytes, bytes.length - 16, doubledTag, bytes.length, 16);
      assertRefused(s, doubledTag, "tag appended again", "extensions");
      restore(s);
    }
  }

  @Test
  void everyEnvelopeCopiedUnderAnotherKeyOrNamespaceFailsToDecrypt() {
    for (Slot from : slots) {
      for (Slot to : slots) {
        if (from != to) {
          assertRefused(to, from.envelope().bytes(), "copied from " + from.namespace() + "/" + from.key(), "moves");
          restore(to);
        }
      }
    }
  }

  @Test
  void everySwapOfTwoEntriesFailsToDecryptBoth() {
    for (int i = 0; i < slots.size(); i++) {
      for (int j = i + 1; j < slots.size(); j++) {
        Slot a = slots.get(i);
        Slot b = slots.get(j);
        write(a, b.envelope().bytes());
        write(b, a.envelope().bytes());
        assertReadsRefused(a, "swapped with " + b.namespace() + "/" + b.key());
        assertReadsRefused(b, "swapped with " + a.namespace() + "/" + a.key());
        count("swaps");
        restore(a);
        restore(b);
      }
    }
  }

  // ---------------------------------------------------------------- checks

  /** Stores {@code bytes} in place of {@code slot}'s envelope, with a fresh history, beneath the stack. */
  private void write(Slot slot, byte[] bytes) {
    backend.delete(slot.namespace(), slot.key());
    backend.put(slot.namespace(), slot.key(), Value.binary(bytes));
  }

  private void restore(Slot slot) {
    write(slot, slot.envelope().bytes());
  }

  private void assertRefused(Slot slot, byte[] bytes, String what, String figure) {
    write(slot, bytes);
    assertReadsRefused(slot, what);
    count(figure);
  }

  /** Every read of {@code slot} through the stack fails with a DecryptionException that shows no value. */
  private void assertReadsRefused(Slot slot, String what) {
    String ns = slot.namespace();
    String key = slot.key();
    List<Supplier<Object>> reads = List.of(
        () -> stack.get(ns, key),
        () -> stack.getAll(ns, List.of(key)),
        () -> stack.list(ns, ListOptions.prefix(key)),
        () -> stack.history(ns, key));
    for (Supplier<Object> read : reads) {
      Throwable thrown = catchThrowable(read::get);
      assertThat(thrown).as("%s/%s: %s", ns, key, what).isInstanceOf(DecryptionException.class);
      assertThat(thrown.getMessage()).as("%s/%s: %s", ns, key, what)
          .contains(ns).contains(key)
          .doesNotContain(SECRET)
          .doesNotContain(Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
      assertThat(String.valueOf(thrown.getCause())).doesNotContain(SECRET);
      count("reads refused");
    }
  }

  /** Every slot holds its own envelope, and the stack opens it to the value written. */
  private void assertIntact() {
    for (Slot s : slots) {
      assertThat(backend.get(s.namespace(), s.key()).orElseThrow().value()).isEqualTo(s.envelope());
      assertThat(stack.get(s.namespace(), s.key()).orElseThrow().value()).isEqualTo(s.plaintext());
    }
  }

  private void count(String figure) {
    figures.merge(figure, 1L, Long::sum);
  }

  private static int[] range(int from, int to) {
    int[] out = new int[to - from];
    for (int i = 0; i < out.length; i++) {
      out[i] = from + i;
    }
    return out;
  }
}
