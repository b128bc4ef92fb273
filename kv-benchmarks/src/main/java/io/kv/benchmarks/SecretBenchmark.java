package io.kv.benchmarks;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Value;
import io.kv.memory.MemoryKvStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A secret namespace through the layer stack (over the memory store) beside the least a program
 * that encrypts its own values with the JDK must do: AES-256-GCM with a {@link Cipher} it keeps,
 * over a {@link ConcurrentHashMap} of the sealed bytes.
 *
 * <p>Rows: secret-get ({@link #stackGet} over {@link #jdkGet}) and secret-put ({@link #stackPut}
 * over {@link #jdkPut}); 10^4 keys, 100-byte values. For information: {@link
 * #stackPutOneVersion}, the same put into a secret namespace that keeps one earlier version
 * instead of the default ten, what the history's size costs. The baseline binds each key to its
 * value as associated data, as the stack does (the stack binds the namespace and an envelope
 * header too), and stores IV, ciphertext and tag in one array. Each encryption draws a fresh 12-byte IV from a
 * {@link SecureRandom}. JMH creates and drives instances of this class.
 *
 * <p>Three forks: with GCM's ~430 ns in every operation, the spread between forks (about 10%,
 * from how each JVM compiles and lays out the cipher) is the size of kv's own share, and two
 * forks left a full run's secret-get anywhere from 1.17x to 1.53x. The put pair also runs longer
 * iterations: see {@link #stackPut}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {Jvm.MIN_HEAP, Jvm.MAX_HEAP, Jvm.PRE_TOUCH})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
public class SecretBenchmark {
  static final String SECRET_NAMESPACE = "s";
  private static final int KEY_COUNT = 10_000;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  /** Warm-up and measurement iterations of the put pair, and their length in seconds. */
  static final int PUT_ITERATIONS = 4;
  static final int PUT_SECONDS = 2;

  private String[] order;
  private byte[][] plain;
  private Value[] values;
  private MemoryKvStore backend;
  private KvStore stack;
  private ConcurrentHashMap<String, byte[]> sealed;
  private SecretKey aesKey;

  /**
   * The cipher and IV source of one benchmark thread: a {@link Cipher} is not thread-safe, and
   * reusing one is what a careful program does ({@code Cipher.getInstance} costs microseconds).
   */
  @State(Scope.Thread)
  public static class Jdk {
    Cipher cipher;
    SecureRandom random;

    /**
     * Makes the cipher.
     *
     * @throws GeneralSecurityException if the JDK has no AES/GCM
     */
    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
      cipher = Cipher.getInstance("AES/GCM/NoPadding");
      random = new SecureRandom();
    }
  }

  /**
   * Declares the secret namespace through the stack and writes every key through it; seals the
   * same values for the baseline map.
   *
   * @throws GeneralSecurityException if the JDK has no AES/GCM
   */
  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    String[] keys = Data.keys(KEY_COUNT);
    backend = MemoryKvStore.builder().clock(Clock.systemUTC()).build();
    stack = Stacks.encrypting(backend);
    stack.namespaces().create(SECRET_NAMESPACE, NamespaceSettings.defaults().withSecret(true));

    byte[] keyBytes = new byte[32];
    new SecureRandom().nextBytes(keyBytes);
    aesKey = new SecretKeySpec(keyBytes, "AES");
    Jdk jdk = new Jdk();
    jdk.setUp();
    sealed = new ConcurrentHashMap<>();
    plain = new byte[KEY_COUNT][];
    values = new Value[KEY_COUNT];
    for (int i = 0; i < KEY_COUNT; i++) {
      plain[i] = Data.valueBytes(i);
      values[i] = Value.binary(plain[i]);
      stack.put(SECRET_NAMESPACE, keys[i], values[i]);
      sealed.put(keys[i], seal(jdk, keys[i], plain[i]));
    }
    order = Data.shuffled(keys);
    plain = Data.shuffled(plain);
    values = Data.shuffled(values);
    Entry e = Checks.hit(stack.get(SECRET_NAMESPACE, order[0]), order[0]);
    if (!e.value().equals(values[0])) {
      throw new IllegalStateException("the stack did not return the value written");
    }
    if (Checks.hit(backend.get(SECRET_NAMESPACE, order[0]), order[0]).value().equals(values[0])) {
      throw new IllegalStateException("the secret namespace stored a plaintext value");
    }
  }

  /**
   * A second stack over its own memory store, whose secret namespace keeps one earlier version,
   * written like the main one. JMH creates it only for {@link #stackPutOneVersion}.
   */
  @State(Scope.Benchmark)
  public static class OneVersion {
    MemoryKvStore backend;
    KvStore stack;

    /** Declares the namespace and writes every key through the stack. */
    @Setup(Level.Trial)
    public void setUp(SecretBenchmark bench) {
      backend = MemoryKvStore.builder().clock(Clock.systemUTC()).build();
      stack = Stacks.encrypting(backend);
      stack.namespaces().create(SECRET_NAMESPACE, NamespaceSettings.defaults().withSecret(true).withMaxVersions(1));
      for (int i = 0; i < bench.order.length; i++) {
        stack.put(SECRET_NAMESPACE, bench.order[i], bench.values[i]);
      }
    }

    /** Closes the backend. */
    @TearDown(Level.Trial)
    public void tearDown() {
      backend.close();
    }
  }

  /** Closes the backend. */
  @TearDown(Level.Trial)
  public void tearDown() {
    backend.close();
  }

  private byte[] seal(Jdk jdk, String key, byte[] value) throws GeneralSecurityException {
    byte[] iv = new byte[IV_BYTES];
    jdk.random.nextBytes(iv);
    byte[] out = new byte[IV_BYTES + value.length + TAG_BITS / 8];
    System.arraycopy(iv, 0, out, 0, IV_BYTES);
    jdk.cipher.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, iv));
    jdk.cipher.updateAAD(key.getBytes(StandardCharsets.UTF_8));
    jdk.cipher.doFinal(value, 0, value.length, out, IV_BYTES);
    return out;
  }

  /**
   * Baseline: the sealed bytes from the map, opened with the thread's {@link Cipher}.
   *
   * @throws GeneralSecurityException if authentication fails (it does not)
   */
  @Benchmark
  public byte[] jdkGet(Cursor cursor, Jdk jdk) throws GeneralSecurityException {
    String key = cursor.next(order);
    byte[] bytes = sealed.get(key);
    jdk.cipher.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
    jdk.cipher.updateAAD(key.getBytes(StandardCharsets.UTF_8));
    return jdk.cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
  }

  /** {@code get} of a secret namespace's entry through the stack: read and decrypt. */
  @Benchmark
  public Optional<Entry> stackGet(Cursor cursor) {
    return stack.get(SECRET_NAMESPACE, cursor.next(order));
  }

  /**
   * Baseline: seal the value under a fresh IV and put the bytes into the map.
   *
   * @throws GeneralSecurityException if the cipher refuses (it does not)
   */
  @Benchmark
  @Warmup(iterations = PUT_ITERATIONS, time = PUT_SECONDS, timeUnit = TimeUnit.SECONDS)
  @Measurement(iterations = PUT_ITERATIONS, time = PUT_SECONDS, timeUnit = TimeUnit.SECONDS)
  public byte[] jdkPut(PairCursor cursor, Jdk jdk) throws GeneralSecurityException {
    int i = cursor.next(order.length);
    return sealed.put(order[i], seal(jdk, order[i], plain[i]));
  }

  /**
   * {@code put} into a secret namespace through the stack: encrypt, version, store. Iterations of
   * {@value #PUT_SECONDS} s, warmed up as many: every put keeps the version it replaces (a secret
   * namespace keeps 10), so the collector copies live history on each young collection, in
   * pauses of tens of milliseconds that 1-second iterations catch a varying number of. Its
   * baseline runs the same iterations.
   */
  @Benchmark
  @Warmup(iterations = PUT_ITERATIONS, time = PUT_SECONDS, timeUnit = TimeUnit.SECONDS)
  @Measurement(iterations = PUT_ITERATIONS, time = PUT_SECONDS, timeUnit = TimeUnit.SECONDS)
  public Entry stackPut(PairCursor cursor) {
    int i = cursor.next(order.length);
    return stack.put(SECRET_NAMESPACE, order[i], values[i]);
  }

  /**
   * For information: {@link #stackPut} into a secret namespace that keeps one earlier version
   * rather than ten, beside the same baseline; the difference is what ten versions of 10^4 keys
   * cost a put (their ciphertexts stay live, so the store's lines a put touches spread over a
   * heap several times larger, and each young collection copies them).
   */
  @Benchmark
  @Warmup(iterations = PUT_ITERATIONS, time = PUT_SECONDS, timeUnit = TimeUnit.SECONDS)
  @Measurement(iterations = PUT_ITERATIONS, time = PUT_SECONDS, timeUnit = TimeUnit.SECONDS)
  public Entry stackPutOneVersion(PairCursor cursor, OneVersion one) {
    int i = cursor.next(order.length);
    return one.stack.put(SECRET_NAMESPACE, order[i], values[i]);
  }
}
