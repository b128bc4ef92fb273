package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kv.AlreadyExistsException;
import io.kv.Entry;
import io.kv.ForwardingKvStore;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Namespaces.DeleteMode;
import io.kv.NotFoundException;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.WriteOptions;
import io.kv.core.AuditAction;
import io.kv.core.AuditFailedException;
import io.kv.core.AuditFailurePolicy;
import io.kv.core.AuditRecord;
import io.kv.core.AuditSink;
import io.kv.core.AuditSinks;
import io.kv.core.CapturedStdErr;
import io.kv.core.InMemoryAuditSink;
import io.kv.core.TransactionalAuditSink;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AuditLayerTest {
  private static final Principal ALICE = Principal.of("alice");
  private static final String SECRET = "s3cr3t-Value-that-must-never-be-logged";
  private static final Value V = Value.string(SECRET);

  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();
  private final InMemoryAuditSink sink = AuditSinks.inMemory();
  private final KvStore store = new AuditLayer(backend, sink, AuditFailurePolicy.FAIL_OPERATION, clock).as(ALICE);

  @AfterEach
  void close() {
    backend.close();
  }

  private Instant now() {
    return clock.instant();
  }

  private AuditRecord ok(AuditAction action, String namespace, String key) {
    return new AuditRecord(now(), ALICE, action, Optional.ofNullable(namespace), Optional.ofNullable(key), true, Optional.empty());
  }

  private AuditRecord failed(AuditAction action, String namespace, String key, String kind) {
    return new AuditRecord(now(), ALICE, action, Optional.ofNullable(namespace), Optional.ofNullable(key), false, Optional.of(kind));
  }

  /** The records written since the last call. */
  private List<AuditRecord> drain() {
    List<AuditRecord> r = sink.records();
    sink.clear();
    return r;
  }

  // ---------------------------------------------------------------- one record per operation

  @Test
  void readsAreRecordedAsRead() {
    backend.put("app", "db/host", V);

    assertThat(store.get("app", "db/host")).isPresent();
    assertThat(drain()).containsExactly(ok(AuditAction.READ, "app", "db/host"));

    assertThat(store.get("app", "absent")).isEmpty();
    assertThat(drain()).containsExactly(ok(AuditAction.READ, "app", "absent"));

    assertThat(store.history("app", "db/host")).hasSize(1);
    assertThat(drain()).containsExactly(ok(AuditAction.READ, "app", "db/host"));
  }

  @Test
  void getAllRecordsOneReadPerDistinctKeyInOrder() {
    backend.put("app", "a", V);

    assertThat(store.getAll("app", List.of("b", "a", "b"))).containsOnlyKeys("a");

    assertThat(drain()).containsExactly(ok(AuditAction.READ, "app", "b"), ok(AuditAction.READ, "app", "a"));
  }

  @Test
  void listAndCountNameTheNamespaceButNoKey() {
    backend.put("app", "a", V);

    assertThat(store.list("app", ListOptions.all()).entries()).hasSize(1);
    assertThat(drain()).containsExactly(ok(AuditAction.LIST, "app", null));

    assertThat(store.count("app")).isEqualTo(1);
    assertThat(drain()).containsExactly(ok(AuditAction.COUNT, "app", null));
  }

  @Test
  void everyKindOfWriteIsRecordedAsWrite() {
    store.put("app", "k", V);
    assertThat(drain()).containsExactly(ok(AuditAction.WRITE, "app", "k"));

    store.create("app", "c", V);
    assertThat(drain()).containsExactly(ok(AuditAction.WRITE, "app", "c"));

    store.update("app", "c", V);
    assertThat(drain()).containsExactly(ok(AuditAction.WRITE, "app", "c"));

    store.compareAndSet("app", "c", 2, V);
    assertThat(drain()).containsExactly(ok(AuditAction.WRITE, "app", "c"));
  }

  @Test
  void putAllRecordsOneWritePerKey() {
    Map<String, Value> values = new LinkedHashMap<>();
    values.put("x", V);
    values.put("y", V);

    store.putAll("app", values);

    assertThat(drain()).containsExactly(ok(AuditAction.WRITE, "app", "x"), ok(AuditAction.WRITE, "app", "y"));
    assertThat(backend.getAll("app", List.of("x", "y"))).hasSize(2);
  }

  @Test
  void deletesAreRecordedAsDeleteAndBulkDeletesPerKey() {
    backend.put("app", "a", V);
    backend.put("app", "b", V);
    backend.put("app", "c", V);

    assertThat(store.delete("app", "a")).isTrue();
    assertThat(drain()).containsExactly(ok(AuditAction.DELETE, "app", "a"));

    store.deleteIfVersion("app", "b", 1);
    assertThat(drain()).containsExactly(ok(AuditAction.DELETE, "app", "b"));

    assertThat(store.deleteAll("app", List.of("c", "absent"))).isEqualTo(1);
    assertThat(drain()).containsExactly(ok(AuditAction.DELETE, "app", "c"), ok(AuditAction.DELETE, "app", "absent"));
  }

  @Test
  void rotateAndRollbackHaveTheirOwnActions() {
    backend.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true).withMaxVersions(5));
    backend.put("vault", "api/key", Value.string("k1"));

    store.rotate("vault", "api/key", Value.string("k2"), WriteOptions.none());
    assertThat(drain()).containsExactly(ok(AuditAction.ROTATE, "vault", "api/key"));

    store.rollback("vault", "api/key", 1, WriteOptions.none());
    assertThat(drain()).containsExactly(ok(AuditAction.ROLLBACK, "vault", "api/key"));
  }

  @Test
  void namespaceOperationsHaveNamespaceActions() {
    store.namespaces().create("ns", NamespaceSettings.defaults());
    assertThat(drain()).containsExactly(ok(AuditAction.NAMESPACE_CREATE, "ns", null));

    assertThat(store.namespaces().get("ns")).isPresent();
    assertThat(drain()).containsExactly(ok(AuditAction.NAMESPACE_READ, "ns", null));

    assertThat(store.namespaces().list()).hasSize(1);
    assertThat(drain()).containsExactly(ok(AuditAction.NAMESPACE_LIST, null, null));

    store.namespaces().update("ns", NamespaceSettings.defaults().withDescription("d"));
    assertThat(drain()).containsExactly(ok(AuditAction.NAMESPACE_UPDATE, "ns", null));

    assertThat(store.namespaces().delete("ns", DeleteMode.CASCADE)).isTrue();
    assertThat(drain()).containsExactly(ok(AuditAction.NAMESPACE_DELETE, "ns", null));
  }

  @Test
  void subscribingAndTheViewMethodsAreNotAudited() {
    store.subscribe(io.kv.ChangeFilter.all(), e -> { }).close();
    store.principal();
    store.capabilities();
    store.as(Principal.of("bob"));

    assertThat(sink.records()).isEmpty();
  }

  @Test
  void recordsNameThePrincipalOfTheViewAndTheTimeOfTheClock() {
    KvStore anonymous = new AuditLayer(backend, sink, AuditFailurePolicy.FAIL_OPERATION, clock);
    anonymous.get("app", "k");
    clock.advance(Duration.ofSeconds(5));
    anonymous.as(Principal.of("bob")).get("app", "k");

    assertThat(sink.records()).extracting(AuditRecord::principal, AuditRecord::timestamp).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Principal.ANONYMOUS, Instant.parse("2030-01-01T00:00:00Z")),
        org.assertj.core.groups.Tuple.tuple(Principal.of("bob"), Instant.parse("2030-01-01T00:00:05Z")));
  }

  // ---------------------------------------------------------------- failures

  @Test
  void aFailedOperationIsRecordedWithTheKindOfItsException() {
    backend.put("app", "k", V);

    assertThatThrownBy(() -> store.create("app", "k", V)).isInstanceOf(AlreadyExistsException.class);
    assertThat(drain()).containsExactly(failed(AuditAction.WRITE, "app", "k", "AlreadyExistsException"));

    assertThatThrownBy(() -> store.compareAndSet("app", "k", 7, V)).isInstanceOf(VersionConflictException.class);
    assertThat(drain()).containsExactly(failed(AuditAction.WRITE, "app", "k", "VersionConflictException"));

    assertThatThrownBy(() -> store.update("app", "absent", V)).isInstanceOf(NotFoundException.class);
    assertThat(drain()).containsExactly(failed(AuditAction.WRITE, "app", "absent", "NotFoundException"));

    assertThatThrownBy(() -> store.deleteIfVersion("app", "k", 3)).isInstanceOf(VersionConflictException.class);
    assertThat(drain()).containsExactly(failed(AuditAction.DELETE, "app", "k", "VersionConflictException"));

    assertThatThrownBy(() -> store.get("app", "bad//key")).isInstanceOf(io.kv.InvalidInputException.class);
    assertThat(drain()).containsExactly(failed(AuditAction.READ, "app", "bad//key", "InvalidInputException"));

    backend.namespaces().create("ns", NamespaceSettings.defaults());
    assertThatThrownBy(() -> store.namespaces().create("ns", NamespaceSettings.defaults()))
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(drain()).containsExactly(failed(AuditAction.NAMESPACE_CREATE, "ns", null, "AlreadyExistsException"));
  }

  @Test
  void aNullArgumentIsRecordedAsAFailureWithoutThatField() {
    assertThatThrownBy(() -> store.get(null, "k")).isInstanceOf(NullPointerException.class);

    assertThat(drain()).containsExactly(failed(AuditAction.READ, null, "k", "NullPointerException"));
  }

  @Test
  void aFailedBulkWriteIsRecordedForEveryKeyAndWritesNothing() {
    Map<String, Value> values = new LinkedHashMap<>();
    values.put("ok", V);
    values.put("bad//key", V);

    assertThatThrownBy(() -> store.putAll("app", values)).isInstanceOf(io.kv.InvalidInputException.class);

    assertThat(drain()).containsExactly(
        failed(AuditAction.WRITE, "app", "ok", "InvalidInputException"),
        failed(AuditAction.WRITE, "app", "bad//key", "InvalidInputException"));
    assertThat(backend.get("app", "ok")).isEmpty();
  }

  @Test
  void aBulkCallNamingNoKeyOrRefusedForItsSizeWritesOneRecordWithoutKey() {
    assertThat(store.getAll("app", List.of())).isEmpty();
    assertThat(drain()).containsExactly(ok(AuditAction.READ, "app", null));

    List<String> tooMany = IntStream.range(0, ListOptions.MAX_LIMIT + 1).mapToObj(i -> "k" + i).collect(Collectors.toList());
    assertThatThrownBy(() -> store.deleteAll("app", tooMany)).isInstanceOf(io.kv.InvalidInputException.class);
    assertThat(drain()).containsExactly(failed(AuditAction.DELETE, "app", null, "InvalidInputException"));
  }

  @Test
  void aLowerLayersExceptionMessageIsNeverCopied() {
    KvStore leaky = new ForwardingKvStore(backend) {
      @Override
      protected KvStore over(KvStore delegate) {
        return this;
      }

      @Override
      public Entry put(String namespace, String key, Value value, WriteOptions options) {
        throw new IllegalStateException("cannot store " + value.asString());
      }
    };
    KvStore audited = new AuditLayer(leaky, sink, AuditFailurePolicy.FAIL_OPERATION, clock);

    assertThatThrownBy(() -> audited.put("app", "k", V)).isInstanceOf(IllegalStateException.class);

    assertThat(sink.records()).singleElement().satisfies(r -> {
      assertThat(r.errorKind()).contains("IllegalStateException");
      assertThat(r.toString()).doesNotContain(SECRET);
    });
  }

  // ---------------------------------------------------------------- sink failures

  private static AuditSink failingSink() {
    return r -> {
      throw new IllegalStateException("audit store is down");
    };
  }

  @Nested
  class FailOperation {
    private final KvStore failing = new AuditLayer(backend, failingSink(), AuditFailurePolicy.FAIL_OPERATION, clock).as(ALICE);

    @Test
    void aReadThrowsAndWithholdsTheValue() {
      backend.put("app", "k", V);

      Throwable t = catchThrowable(() -> failing.get("app", "k"));

      assertThat(t).isInstanceOf(AuditFailedException.class).hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageNotContaining(SECRET);
      AuditFailedException e = (AuditFailedException) t;
      assertThat(e.operationTookEffect()).isFalse();
      assertThat(e.action()).isEqualTo(AuditAction.READ);
      assertThat(e.namespace()).contains("app");
      assertThat(e.key()).contains("k");
    }

    @Test
    void aWriteThrowsAfterTheChangeTookEffect() {
      Throwable t = catchThrowable(() -> failing.put("app", "k", V));

      assertThat(t).isInstanceOf(AuditFailedException.class);
      assertThat(((AuditFailedException) t).operationTookEffect()).isTrue();
      assertThat(t.getMessage()).contains("took effect");
      assertThat(backend.get("app", "k")).isPresent();
    }

    @Test
    void aFailedOperationKeepsItsOwnExceptionWithTheSinkFailureSuppressed() {
      backend.put("app", "k", V);

      Throwable t = catchThrowable(() -> failing.create("app", "k", V));

      assertThat(t).isInstanceOf(AlreadyExistsException.class);
      assertThat(t.getSuppressed()).singleElement().isInstanceOf(AuditFailedException.class)
          .satisfies(s -> assertThat(((AuditFailedException) s).operationTookEffect()).isFalse());
    }

    @Test
    void aBulkCallHandsEveryRecordToTheSinkBeforeFailing() {
      List<AuditRecord> kept = new ArrayList<>();
      AtomicInteger calls = new AtomicInteger();
      AuditSink flaky = r -> {
        if (calls.incrementAndGet() == 2) {
          throw new IllegalStateException("hiccup");
        }
        kept.add(r);
      };
      KvStore s = new AuditLayer(backend, flaky, AuditFailurePolicy.FAIL_OPERATION, clock);

      Collection<String> keys = List.of("a", "b", "c");
      assertThatThrownBy(() -> s.getAll("app", keys)).isInstanceOf(AuditFailedException.class)
          .satisfies(e -> assertThat(((AuditFailedException) e).key()).contains("b"));
      assertThat(kept).extracting(r -> r.key().orElseThrow()).containsExactly("a", "c");
    }
  }

  @Nested
  class LogAndContinue {
    private final KvStore failing = new AuditLayer(backend, failingSink(), AuditFailurePolicy.LOG_AND_CONTINUE, clock).as(ALICE);

    @Test
    void theResultIsReturnedAndTheFailureLoggedWithoutTheValue() {
      backend.put("app", "k", V);
      String log;
      Optional<Entry> read;
      try (CapturedStdErr err = new CapturedStdErr()) {
        failing.put("app", "k2", V);
        read = failing.get("app", "k");
        log = err.text();
      }

      assertThat(read).map(e -> e.value().asString()).contains(SECRET);
      assertThat(backend.get("app", "k2")).isPresent();
      assertThat(log).contains("audit sink failed to record", "action=WRITE", "audit store is down")
          .doesNotContain(SECRET);
    }

    @Test
    void aFailedOperationThrowsItsOwnExceptionAlone() {
      backend.put("app", "k", V);

      Throwable t;
      try (CapturedStdErr err = new CapturedStdErr()) {
        t = catchThrowable(() -> failing.create("app", "k", V));
      }

      assertThat(t).isInstanceOf(AlreadyExistsException.class);
      assertThat(t.getSuppressed()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- the SLF4J sink over the layer

  @Test
  void theSlf4jSinkNeverLogsAValue() {
    KvStore logged = new AuditLayer(backend, AuditSinks.slf4j(), AuditFailurePolicy.FAIL_OPERATION, clock).as(ALICE);
    String log;
    try (CapturedStdErr err = new CapturedStdErr()) {
      logged.put("app", "db/password", V);
      logged.get("app", "db/password");
      logged.putAll("app", Map.of("db/user", V));
      logged.getAll("app", List.of("db/password", "db/user"));
      logged.history("app", "db/password");
      logged.list("app", ListOptions.all());
      catchThrowable(() -> logged.create("app", "db/password", V));
      catchThrowable(() -> logged.put("app", "k", Value.string(SECRET + "x".repeat(2_000_000))));
      log = err.text();
    }

    assertThat(log).doesNotContain(SECRET)
        .contains("io.kv.audit")
        .contains("principal=alice action=WRITE namespace=app key=db/password outcome=success")
        .contains("action=WRITE namespace=app key=db/password outcome=failure error=AlreadyExistsException")
        .contains("action=WRITE namespace=app key=k outcome=failure error=InvalidInputException");
    assertThat(log.lines().filter(l -> l.contains("io.kv.audit"))).hasSize(9);
  }

  /**
   * A sink that can join a change's transaction: the test decides whether the backend committed
   * the offered records; what it offered and what it was later given are kept apart.
   */
  private static final class JoiningSink implements TransactionalAuditSink {
    final List<List<AuditRecord>> offered = new ArrayList<>();
    final List<AuditRecord> recorded = new ArrayList<>();
    boolean backendCommits;
    int open;

    @Override
    public void record(AuditRecord record) {
      recorded.add(record);
    }

    @Override
    public Enlistment enlist(List<AuditRecord> records) {
      offered.add(List.copyOf(records));
      open++;
      boolean commits = backendCommits;
      return new Enlistment() {
        @Override
        public boolean committed() {
          return commits;
        }

        @Override
        public void close() {
          open--;
        }
      };
    }
  }

  @Nested
  class TransactionalSink {
    private final JoiningSink joining = new JoiningSink();
    private final KvStore audited = new AuditLayer(backend, joining, AuditFailurePolicy.FAIL_OPERATION, clock).as(ALICE);

    @Test
    void aChangeCommittedWithItsRecordsIsNotRecordedAgain() {
      joining.backendCommits = true;
      audited.put("ns", "k", V);
      audited.putAll("ns", new LinkedHashMap<>(Map.of("a", V)));
      audited.delete("ns", "k");

      assertThat(joining.offered).containsExactly(List.of(ok(AuditAction.WRITE, "ns", "k")),
          List.of(ok(AuditAction.WRITE, "ns", "a")), List.of(ok(AuditAction.DELETE, "ns", "k")));
      assertThat(joining.recorded).isEmpty();
      assertThat(joining.open).isZero();
    }

    @Test
    void aChangeTheBackendDidNotTakeTheRecordsIntoIsRecordedAfterwards() {
      audited.put("ns", "k", V);
      audited.transaction("ns").put("a", V).delete("k").commit();

      assertThat(joining.recorded).containsExactly(ok(AuditAction.WRITE, "ns", "k"), ok(AuditAction.WRITE, "ns", "a"),
          ok(AuditAction.DELETE, "ns", "k"));
      assertThat(joining.offered).hasSize(2);
    }

    @Test
    void aFailedChangeRecordsOnlyItsFailureAndClosesItsEnlistment() {
      audited.put("ns", "k", V);
      joining.recorded.clear();

      assertThatThrownBy(() -> audited.create("ns", "k", V)).isInstanceOf(AlreadyExistsException.class);

      assertThat(joining.recorded).containsExactly(failed(AuditAction.WRITE, "ns", "k", "AlreadyExistsException"));
      assertThat(joining.offered.get(1)).containsExactly(ok(AuditAction.WRITE, "ns", "k"));
      assertThat(joining.open).isZero();
    }

    @Test
    void readsAreNeverOffered() {
      audited.get("ns", "k");
      audited.list("ns", ListOptions.all());
      audited.namespaces().get("ns");

      assertThat(joining.offered).isEmpty();
      assertThat(joining.recorded).extracting(AuditRecord::action)
          .containsExactly(AuditAction.READ, AuditAction.LIST, AuditAction.NAMESPACE_READ);
    }

    @Test
    void namespaceChangesAreOffered() {
      audited.namespaces().create("cfg", NamespaceSettings.defaults());

      assertThat(joining.offered).containsExactly(List.of(ok(AuditAction.NAMESPACE_CREATE, "cfg", null)));
    }

    @Test
    void underLogAndContinueNothingIsOffered() {
      KvStore lenient = new AuditLayer(backend, joining, AuditFailurePolicy.LOG_AND_CONTINUE, clock).as(ALICE);
      joining.backendCommits = true;
      lenient.put("ns", "k", V);

      assertThat(joining.offered).isEmpty();
      assertThat(joining.recorded).containsExactly(ok(AuditAction.WRITE, "ns", "k"));
    }
  }

  @Nested
  class ReadClock {
    private final MutableClock readClock = MutableClock.fixed();
    private final KvStore timed = new AuditLayer(backend, sink, AuditFailurePolicy.FAIL_OPERATION, clock, readClock).as(ALICE);

    ReadClock() {
      readClock.advance(Duration.ofHours(1));
    }

    private List<Instant> times() {
      return drain().stream().map(AuditRecord::timestamp).collect(Collectors.toList());
    }

    @Test
    void successfulReadsTakeTheReadClocksTime() {
      timed.put("app", "db/host", V);
      drain();
      Instant read = readClock.instant();
      timed.get("app", "db/host");
      timed.get("app", "missing");
      timed.getAll("app", List.of("db/host", "missing"));
      timed.list("app", ListOptions.all());
      timed.count("app");
      timed.history("app", "db/host");
      timed.namespaces().list();
      timed.namespaces().get("app");
      assertThat(times()).hasSize(9).containsOnly(read);
      assertThat(read).isNotEqualTo(now());
    }

    @Test
    void changesAndFailuresTakeTheStacksClockTime() {
      timed.put("app", "db/host", V);
      timed.create("app", "db/port", V);
      timed.delete("app", "db/port");
      timed.putAll("app", Map.of("a", V));
      catchThrowable(() -> timed.get("app", null));
      catchThrowable(() -> timed.getAll("app", null));
      catchThrowable(() -> timed.list("app", null));
      List<AuditRecord> records = drain();
      assertThat(records).hasSize(7);
      assertThat(records).extracting(AuditRecord::timestamp).containsOnly(now());
      assertThat(records.subList(4, 7)).extracting(AuditRecord::success).containsOnly(false);
    }

    @Test
    void aReadRecordNamesTheReadAsBeforeAndTheViewKeepsTheClocks() {
      timed.put("app", "db/host", V);
      drain();
      timed.get("app", "db/host");
      assertThat(drain()).containsExactly(new AuditRecord(readClock.instant(), ALICE, AuditAction.READ,
          Optional.of("app"), Optional.of("db/host"), true, Optional.empty()));
      KvStore bob = timed.as(Principal.of("bob"));
      bob.get("app", "db/host");
      bob.delete("app", "db/host");
      assertThat(times()).containsExactly(readClock.instant(), now());
    }
  }
}
