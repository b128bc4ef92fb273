package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.AlreadyExistsException;
import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.DecryptionException;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.InvalidInputException;
import io.kv.KvException;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.NotFoundException;
import io.kv.Subscription;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An operation that fails leaves the store as it was: the entry, its version, its history and
 * the namespace's count are what they were, and no listener hears a change. Checked through an
 * encrypting layer stack over a backend, for failures found before the write (conflicts, absent
 * versions, values over the limit) and for a stack restarted with the wrong master key, whose
 * key ring cannot open what the first stack sealed.
 *
 * <p>A subclass gives the backend and the stack; each test gets a new, empty backend:
 *
 * <pre>{@code
 * class MemoryFailedWriteTest extends FailedWriteContract {
 *   protected KvStore newBackend(MutableClock clock) {
 *     return MemoryKvStore.builder().clock(clock).build();
 *   }
 *   protected KvStore newStack(KvStore backend, MutableClock clock, String keyId, byte[] masterKey) {
 *     String base64 = Base64.getEncoder().encodeToString(masterKey);
 *     return KvStores.builder(backend).clock(clock)
 *         .encryption(KeyRing.of(keyId, MasterKeys.fromBase64(base64))).build();
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class FailedWriteContract {
  /** Where the clock of every test starts. */
  public static final Instant START = KvStoreContract.START;

  private static final String NS = "vault";
  private static final String KEY = "db/password";
  private static final byte[] FIRST_KEY = masterKey(1);
  private static final byte[] OTHER_KEY = masterKey(2);

  private MutableClock clock;
  private KvStore backend;
  private final List<KvStore> stacks = new ArrayList<>();
  private final List<ChangeEvent> heard = new CopyOnWriteArrayList<>();

  /** For subclasses. */
  protected FailedWriteContract() {}

  /**
   * A new, empty backend whose time comes from {@code clock}. The suite closes it.
   *
   * @param clock the source of time
   * @return a new, empty backend whose time comes from {@code clock}
   */
  protected abstract KvStore newBackend(MutableClock clock);

  /**
   * A layer stack over {@code backend} whose key ring holds one master key, {@code masterKey} (32
   * bytes) under {@code keyId}, with the stack's default value size limit ({@link
   * InputRules#DEFAULT_MAX_VALUE_BYTES}) and its listeners called on the writing thread. The suite
   * closes it, then the backend.
   *
   * @param backend the store beneath
   * @param clock the source of time
   * @param keyId the master key id
   * @param masterKey the master key bytes
   * @return a layer stack over {@code backend} whose key ring holds one master key, {@code
   *     masterKey} (32 bytes) under {@code keyId}, with the stack's default value size limit
   *     ({@link InputRules#DEFAULT_MAX_VALUE_BYTES}) and its listeners called on the writing thread
   */
  protected abstract KvStore newStack(KvStore backend, MutableClock clock, String keyId, byte[] masterKey);

  private static byte[] masterKey(int seed) {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (seed * 31 + i * 7);
    }
    return key;
  }

  /** Opens the backend and writes two versions of one secret through a first stack. */
  @BeforeEach
  protected final void writeTwoVersions() {
    clock = MutableClock.at(START);
    backend = newBackend(clock);
    KvStore first = stack("k1", FIRST_KEY);
    first.namespaces().create(NS, NamespaceSettings.defaults().withSecret(true).withMaxVersions(5));
    first.put(NS, KEY, Value.string("first-secret"));
    clock.advance(Duration.ofSeconds(1));
    first.put(NS, KEY, Value.string("second-secret"));
    clock.advance(Duration.ofSeconds(1));
  }

  /** Closes the stacks, then the backend. */
  @AfterEach
  protected final void closeAll() {
    stacks.forEach(KvStore::close);
    if (backend != null) {
      backend.close();
    }
  }

  private KvStore stack(String keyId, byte[] masterKey) {
    KvStore s = newStack(backend, clock, keyId, masterKey);
    stacks.add(s);
    return s;
  }

  /** A stack restarted with another master key under the same id: it cannot open what is stored. */
  private KvStore wrongMasterKey() {
    return stack("k1", OTHER_KEY);
  }

  /** A stack whose ring lacks the key id the stored values name. */
  private KvStore missingKeyId() {
    return stack("k2", OTHER_KEY);
  }

  private KvStore rightKey() {
    return stack("k1", FIRST_KEY);
  }

  /** What the backend holds for the entry, as stored (envelopes), and how many entries there are. */
  private record Stored(Optional<Entry> entry, List<VersionRecord> history, long count) {}

  private Stored stored() {
    return new Stored(backend.get(NS, KEY), backend.history(NS, KEY), backend.count(NS));
  }

  /** Asserts that {@code failing}, run on {@code through}, throws {@code expected} and changes nothing. */
  private void assertFailsAndChangesNothing(KvStore through, Class<? extends KvException> expected, Consumer<KvStore> failing) {
    Stored before = stored();
    assertThat(before.entry()).isPresent();
    Subscription below = backend.subscribe(ChangeFilter.all(), heard::add);
    Subscription above = through.subscribe(ChangeFilter.all(), heard::add);
    try {
      assertThatThrownBy(() -> failing.accept(through)).isInstanceOf(expected);
    } finally {
      above.close();
      below.close();
    }
    assertThat(stored()).isEqualTo(before);
    assertThat(heard).as("events heard").isEmpty();
  }

  private static Value tooLarge() {
    return Value.binary(new byte[InputRules.DEFAULT_MAX_VALUE_BYTES + 1]);
  }

  // ---------------------------------------------------------------- a ring that cannot open the value

  @Test
  void rollbackToAVersionTheRingCannotOpenWritesNothing() {
    assertFailsAndChangesNothing(wrongMasterKey(), DecryptionException.class, s -> s.rollback(NS, KEY, 1, WriteOptions.none()));
  }

  @Test
  void rollbackToAVersionSealedUnderAKeyIdTheRingLacksWritesNothing() {
    assertFailsAndChangesNothing(missingKeyId(), DecryptionException.class, s -> s.rollback(NS, KEY, 1, WriteOptions.none()));
  }

  @Test
  void rollbackStillWorksWithTheRightKey() {
    Entry back = rightKey().rollback(NS, KEY, 1, WriteOptions.none());

    assertThat(back.value()).isEqualTo(Value.string("first-secret"));
    assertThat(back.version()).isEqualTo(3);
    assertThat(rightKey().get(NS, KEY).orElseThrow().value()).isEqualTo(Value.string("first-secret"));
  }

  @Test
  void compareAndSetOnAStaleVersionWritesNothingWhateverTheKey() {
    assertFailsAndChangesNothing(wrongMasterKey(), VersionConflictException.class,
        s -> s.compareAndSet(NS, KEY, 1, Value.string("third-secret")));
  }

  @Test
  void createOverALiveEntryWritesNothingWhateverTheKey() {
    assertFailsAndChangesNothing(missingKeyId(), AlreadyExistsException.class, s -> s.create(NS, KEY, Value.string("x")));
  }

  @Test
  void deleteIfVersionOnAStaleVersionDeletesNothing() {
    assertFailsAndChangesNothing(wrongMasterKey(), VersionConflictException.class, s -> s.deleteIfVersion(NS, KEY, 1));
  }

  // ---------------------------------------------------------------- refused before the write

  @Test
  void rollbackToAVersionHistoryLacksWritesNothing() {
    assertFailsAndChangesNothing(rightKey(), NotFoundException.class, s -> s.rollback(NS, KEY, 9, WriteOptions.none()));
  }

  @Test
  void rotateToAValueOverTheLimitWritesNothing() {
    assertFailsAndChangesNothing(rightKey(), InvalidInputException.class, s -> s.rotate(NS, KEY, tooLarge(), WriteOptions.none()));
  }

  @Test
  void updateToAValueOverTheLimitWritesNothing() {
    assertFailsAndChangesNothing(rightKey(), InvalidInputException.class, s -> s.update(NS, KEY, tooLarge()));
  }

  @Test
  void putAllWithOneValueOverTheLimitWritesNoneOfIt() {
    Map<String, Value> batch = new LinkedHashMap<>();
    batch.put(KEY, Value.string("third-secret"));
    batch.put("db/other", tooLarge());
    assertFailsAndChangesNothing(rightKey(), InvalidInputException.class, s -> s.putAll(NS, batch));
    assertThat(backend.get(NS, "db/other")).isEmpty();
  }
}
