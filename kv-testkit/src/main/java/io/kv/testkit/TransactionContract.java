package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.NamespaceSettings;
import io.kv.StateConflictException;
import io.kv.Subscription;
import io.kv.Transaction;
import io.kv.TransactionFailedException;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Multi-key transactions ({@link io.kv.KvStore#commit}): all-or-nothing, every failed compare
 * named, the bound and the one-write-per-key rule checked before anything, expired entries absent
 * for compares, versions, timestamps and history as single writes give them, events after the
 * commit in write order, and concurrent transfers that keep a sum constant.
 */
public abstract class TransactionContract extends ContractGroup {
  /** A namespace declared with history, so a transaction's history can be compared with a put's. */
  private static final String TX = "accounts";
  private static final int TRANSFER_THREADS = 4;
  private static final int TRANSFERS_PER_THREAD = 40;
  private static final int ACCOUNTS = 5;
  private static final long OPENING_BALANCE = 100;

  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected TransactionContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected TransactionContract(ContractSuite suite) {
    super(suite);
  }

  @BeforeEach
  void declareNamespaceWithHistory() {
    store().namespaces().create(TX, NamespaceSettings.defaults().withMaxVersions(5));
  }

  private Entry write(String key, long amount) {
    return store().put(TX, key, Value.number(amount));
  }

  private static long amount(Entry e) {
    return e.value().asNumber().longValueExact();
  }

  @Test
  void appliesEveryWriteAndReturnsTheWrittenEntriesInWriteOrder() {
    write("a", 1);
    write("b", 2);
    write("gone", 3);

    TransactionResult result = store().transaction(TX)
        .versionIs("a", 1).present("b").absent("c")
        .put("a", Value.number(10))
        .create("c", Value.number(30))
        .update("b", Value.number(20))
        .delete("gone")
        .delete("never-there")
        .commit();

    assertThat(result.written().keySet()).containsExactly("a", "c", "b");
    assertThat(result.written().get("a").version()).isEqualTo(2);
    assertThat(result.written().get("c").version()).isEqualTo(1);
    assertThat(result.written().get("b").version()).isEqualTo(2);
    assertThat(result.deleted()).as("an absent key deleted is no failure, and not reported").containsExactly("gone");
    Map<String, Entry> now = store().getAll(TX, List.of("a", "b", "c", "gone", "never-there"));
    assertThat(now.keySet()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(now).containsAllEntriesOf(result.written());
    assertThat(amount(now.get("a")) + amount(now.get("b")) + amount(now.get("c"))).isEqualTo(60);
  }

  @Test
  void aBuilderOfNoStoreCommitsThroughCommit() {
    Transaction t = Transaction.builder().absent("k").create("k", Value.string("v")).build();

    TransactionResult result = store().commit(TX, t);

    assertThat(result.written().get("k").value()).isEqualTo(Value.string("v"));
    assertThat(store().get(TX, "k")).contains(result.written().get("k"));
  }

  @Test
  void aFailedCompareChangesNothingAndEveryFailedCompareIsNamed() throws InterruptedException {
    Entry a = write("a", 1);
    Entry b = write("b", 2);
    List<VersionRecord> historyOfA = store().history(TX, "a");
    EventContract.Recorder events = new EventContract.Recorder();
    Subscription subscription = store().subscribe(ChangeFilter.namespace(TX), events);
    try {
      TransactionFailedException e = thrown(TransactionFailedException.class, () -> store().transaction(TX)
          .versionIs("a", 2).absent("b").present("x").versionIs("b", 2)
          .put("a", Value.string("secret-new-a"))
          .create("b", Value.string("secret-new-b"))
          .update("y", Value.string("secret-new-y"))
          .put("z", Value.string("secret-new-z"))
          .commit());

      assertThat(e).isInstanceOf(StateConflictException.class);
      assertThat(e.namespace()).contains(TX);
      assertThat(e.failures()).extracting(f -> f.key() + " " + f.expected().kind() + " " + f.found())
          .containsExactly(
              "a VERSION_EQUALS " + OptionalLong.of(1),
              "b ABSENT " + OptionalLong.of(1),
              "x PRESENT " + OptionalLong.empty(),
              "b VERSION_EQUALS " + OptionalLong.of(1),
              "b ABSENT " + OptionalLong.of(1),
              "y PRESENT " + OptionalLong.empty());
      assertThat(e.failures().get(0).expected().version()).isEqualTo(2);
      assertThat(e.getMessage()).contains("a", "b", "x", "y").doesNotContain("secret-new");

      assertThat(store().getAll(TX, List.of("a", "b", "x", "y", "z"))).isEqualTo(Map.of("a", a, "b", b));
      assertThat(store().count(TX)).isEqualTo(2);
      assertThat(store().history(TX, "a")).isEqualTo(historyOfA);
      // Nothing was published: the next event is the one of this write.
      write("after", 0);
      assertThat(events.next().key()).isEqualTo("after");
    } finally {
      subscription.close();
    }
  }

  @Test
  void theImplicitCompareOfACreateOrUpdateFailsTheWholeTransaction() {
    write("live", 1);

    TransactionFailedException createLive = thrown(TransactionFailedException.class,
        () -> store().transaction(TX).put("other", Value.number(1)).create("live", Value.number(2)).commit());
    TransactionFailedException updateAbsent = thrown(TransactionFailedException.class,
        () -> store().transaction(TX).put("other", Value.number(1)).update("absent", Value.number(2)).commit());

    assertThat(createLive.failures()).singleElement().satisfies(f -> {
      assertThat(f.key()).isEqualTo("live");
      assertThat(f.expected().kind()).isEqualTo(Transaction.Compare.Kind.ABSENT);
      assertThat(f.found()).hasValue(1);
    });
    assertThat(updateAbsent.failures()).singleElement().satisfies(f -> {
      assertThat(f.key()).isEqualTo("absent");
      assertThat(f.expected().kind()).isEqualTo(Transaction.Compare.Kind.PRESENT);
      assertThat(f.found()).isEmpty();
    });
    assertThat(store().get(TX, "other")).isEmpty();
    assertThat(store().get(TX, "live").map(Entry::version)).hasValue(1L);
  }

  @Test
  void moreThanTheBoundIsRefusedBeforeAnythingIsWritten() {
    Transaction.Builder over = store().transaction(TX);
    for (int i = 0; i < Transaction.MAX_OPERATIONS + 1; i++) {
      over.put("k" + i, Value.number(i));
    }
    invalid("operations", over::commit);
    assertThat(store().count(TX)).isZero();

    Transaction.Builder atBound = store().transaction(TX);
    for (int i = 0; i < Transaction.MAX_OPERATIONS - 1; i++) {
      atBound.put("k" + i, Value.number(i));
    }
    TransactionResult result = atBound.absent("k0").commit();
    assertThat(result.written()).hasSize(Transaction.MAX_OPERATIONS - 1);
    assertThat(store().count(TX)).isEqualTo(Transaction.MAX_OPERATIONS - 1);
  }

  @Test
  void aKeyWrittenTwiceOrNoWriteIsRefused() {
    invalid("writes", () -> store().transaction(TX).put("k", Value.number(1)).delete("k").commit());
    invalid("writes", () -> store().transaction(TX).absent("k").commit());
    assertThat(store().get(TX, "k")).isEmpty();
  }

  @Test
  void aBadKeyOrValueIsRefusedBeforeAnythingIsWritten() {
    invalid("key", () -> store().transaction(TX).put("ok", Value.number(1)).put("", Value.number(2)).commit());
    invalid("key", () -> store().transaction(TX).absent("").put("ok", Value.number(1)).commit());
    assertThat(store().get(TX, "ok")).isEmpty();
  }

  @Test
  void anExpiredEntryIsAbsentForComparesAndCreates() {
    store().put(TX, "lease", Value.string("holder-1"), WriteOptions.ttl(Duration.ofSeconds(1)));
    advance(Duration.ofSeconds(2));

    TransactionFailedException e = thrown(TransactionFailedException.class,
        () -> store().transaction(TX).present("lease").put("x", Value.number(1)).commit());
    assertThat(e.failures()).singleElement().satisfies(f -> assertThat(f.found()).isEmpty());

    TransactionResult result =
        store().transaction(TX).absent("lease").create("lease", Value.string("holder-2")).commit();
    assertThat(result.written().get("lease").version()).isEqualTo(1);
    assertThat(store().get(TX, "lease").map(Entry::value)).contains(Value.string("holder-2"));
  }

  @Test
  void versionsTimestampsExpiryAndHistoryAreWhatSingleWritesGive() {
    java.time.Instant t0 = now();
    write("tx", 1);
    write("single", 1);
    java.time.Instant t1 = advance(Duration.ofSeconds(5));
    WriteOptions options = WriteOptions.ttl(Duration.ofHours(1)).withReason("rebalance");

    Entry viaTransaction = store().transaction(TX).update("tx", Value.number(2), options).commit().written().get("tx");
    Entry viaUpdate = store().update(TX, "single", Value.number(2), options);

    assertThat(viaTransaction.version()).isEqualTo(2);
    assertThat(viaTransaction.createdAt()).isEqualTo(t0);
    assertThat(viaTransaction.updatedAt()).isEqualTo(t1);
    assertThat(viaTransaction.expiresAt()).contains(t1.plus(Duration.ofHours(1)));
    assertThat(viaTransaction).usingRecursiveComparison().ignoringFields("key", "revision").isEqualTo(viaUpdate);
    assertThat(viaTransaction.revision()).as("each change its own revision").isLessThan(viaUpdate.revision());
    assertThat(store().history(TX, "tx")).usingRecursiveComparison().isEqualTo(store().history(TX, "single"));

    advance(Duration.ofSeconds(1));
    store().transaction(TX).delete("tx").commit();
    store().delete(TX, "single");
    assertThat(store().get(TX, "tx")).isEmpty();
    assertThat(store().history(TX, "tx")).usingRecursiveComparison().isEqualTo(store().history(TX, "single"));
  }

  @Test
  void eventsFollowTheCommitOnePerKeyInWriteOrder() throws InterruptedException {
    write("c", 3);
    write("d", 4);
    AtomicReference<Map<String, Entry>> seenAtFirstEvent = new AtomicReference<>();
    EventContract.Recorder events = new EventContract.Recorder();
    Subscription subscription = store().subscribe(ChangeFilter.namespace(TX), event -> {
      seenAtFirstEvent.compareAndSet(null, store().getAll(TX, List.of("a", "b", "c", "d")));
      events.onChange(event);
    });
    try {
      store().transaction(TX)
          .put("b", Value.number(2)).put("a", Value.number(1)).delete("c").update("d", Value.number(40)).commit();

      List<ChangeEvent> got = events.next(4);
      assertThat(got).extracting(ChangeEvent::key).containsExactly("b", "a", "c", "d");
      assertThat(got).extracting(ChangeEvent::type)
          .containsExactly(ChangeType.CREATED, ChangeType.CREATED, ChangeType.DELETED, ChangeType.UPDATED);
      assertThat(got).extracting(ChangeEvent::version).containsExactly(1L, 1L, 1L, 2L);
      assertThat(seenAtFirstEvent.get().keySet()).as("the whole transaction is in when its first event arrives")
          .containsExactlyInAnyOrder("a", "b", "d");
      assertThat(seenAtFirstEvent.get().get("d").version()).isEqualTo(2);
    } finally {
      subscription.close();
    }
  }

  @Test
  void aSecretNamespaceGivesBackTheValuesAsWritten() {
    requireSecretNamespaces();
    store().namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    store().put("vault", "old", Value.string("pw-old"));

    TransactionResult result = store().transaction("vault")
        .versionIs("old", 1)
        .update("old", Value.string("pw-new"))
        .create("fresh", Value.json("{\"pw\":\"pw-fresh\"}"))
        .commit();

    assertThat(result.written().get("old").value()).isEqualTo(Value.string("pw-new"));
    assertThat(result.written().get("fresh").value()).isEqualTo(Value.json("{\"pw\":\"pw-fresh\"}"));
    assertThat(store().getAll("vault", List.of("old", "fresh"))).isEqualTo(result.written());
  }

  @Test
  void concurrentTransfersKeepTheSum() throws Exception {
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      accounts.add("acct-" + i);
      write("acct-" + i, OPENING_BALANCE);
    }
    ExecutorService pool = Executors.newFixedThreadPool(TRANSFER_THREADS);
    List<String> committed = new CopyOnWriteArrayList<>();
    try {
      CyclicBarrier gate = new CyclicBarrier(TRANSFER_THREADS);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < TRANSFER_THREADS; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          gate.await();
          for (int i = 0; i < TRANSFERS_PER_THREAD; i++) {
            String from = accounts.get((thread + i) % ACCOUNTS);
            String to = accounts.get((thread + 2 * i + 1) % ACCOUNTS);
            if (!from.equals(to)) {
              transfer(from, to, 1 + (i % 7));
              committed.add(from);
              committed.add(to);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    Map<String, Entry> end = store().getAll(TX, accounts);
    assertThat(end.values().stream().mapToLong(TransactionContract::amount).sum()).isEqualTo(ACCOUNTS * OPENING_BALANCE);
    Map<String, Long> touched = committed.stream().collect(Collectors.groupingBy(k -> k, Collectors.counting()));
    for (String account : accounts) {
      assertThat(end.get(account).version()).as("versions of %s: one per committed transfer", account)
          .isEqualTo(1 + touched.getOrDefault(account, 0L));
    }
  }

  /** Moves {@code amount} between two accounts, re-reading and retrying while another transfer wins. */
  private void transfer(String from, String to, long amount) {
    for (int attempt = 0; attempt < 10_000; attempt++) {
      Map<String, Entry> both = store().getAll(TX, List.of(from, to));
      Entry f = both.get(from);
      Entry t = both.get(to);
      try {
        store().transaction(TX)
            .versionIs(from, f.version()).versionIs(to, t.version())
            .update(from, Value.number(amount(f) - amount))
            .update(to, Value.number(amount(t) + amount))
            .commit();
        return;
      } catch (TransactionFailedException lost) {
        // Another transfer committed in between: read again.
      }
    }
    throw new AssertionError("a transfer from " + from + " to " + to + " lost 10000 times in a row");
  }
}
