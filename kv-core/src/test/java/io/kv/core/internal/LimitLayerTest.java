package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.kv.AlreadyExistsException;
import io.kv.Entry;
import io.kv.ForwardingKvStore;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.LimitExceededException;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.core.LimitPolicy;
import io.kv.core.QuotaExceededException;
import io.kv.core.RateLimitedException;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LimitLayerTest {
  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    backend.close();
  }

  private KvStore layer(LimitPolicy limits) {
    return layer(limits, Map.of());
  }

  private KvStore layer(LimitPolicy limits, Map<String, LimitPolicy> perNamespace) {
    return new LimitLayer(backend, clock, limits, perNamespace);
  }

  private static InvalidInputException invalid(ThrowingCallable call, String field) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(InvalidInputException.class);
    InvalidInputException e = (InvalidInputException) t;
    assertThat(e.field()).isEqualTo(field);
    return e;
  }

  @Nested
  class KeyLength {
    private final KvStore store = layer(LimitPolicy.defaults().withMaxKeyBytes(16));

    @Test
    void aKeyAtTheLimitIsAllowedAndOneBytePastItIsRefused() {
      store.put("app", "k".repeat(16), Value.string("v"));

      InvalidInputException e = invalid(() -> store.put("app", "k".repeat(17), Value.string("v")), "key");
      assertThat(e.getMessage()).contains("16", "maxKeyBytes").doesNotContain("kkkk");
      assertThat(backend.count("app")).isEqualTo(1);
    }

    @Test
    void bytesOfUtf8AreCountedNotCharacters() {
      store.put("app", "é".repeat(8), Value.string("v"));            // 16 bytes
      store.put("app", "😀".repeat(4), Value.string("v"));           // 16 bytes, 8 chars
      invalid(() -> store.put("app", "é".repeat(8) + "a", Value.string("v")), "key");
      invalid(() -> store.put("app", "😀".repeat(4) + "a", Value.string("v")), "key");
      invalid(() -> store.put("app", "€".repeat(6), Value.string("v")), "key");   // 18 bytes, 6 chars
    }

    @Test
    void aLoneSurrogateIsRefusedAsInvalidUnicodeNotCountedAsThreeBytes() {
      // Six lone surrogates would be 18 bytes if each counted as 3, past the limit of 16; four
      // would be 12, under it. Neither has a UTF-8 length: both are invalid Unicode.
      for (String key : List.of("\uD800".repeat(6), "ab\uDC00\uDC00\uDC00\uDC00x")) {
        InvalidInputException e = invalid(() -> store.put("app", key, Value.string("v")), "key");
        assertThat(e.getMessage()).contains("Unicode").doesNotContain("maxKeyBytes");
      }
      assertThat(backend.count("app")).isZero();
    }

    @Test
    void everyOperationWithAKeyChecksIt() {
      String longKey = "k".repeat(17);
      invalid(() -> store.get("app", longKey), "key");
      invalid(() -> store.getAll("app", List.of("ok", longKey)), "key");
      invalid(() -> store.create("app", longKey, Value.string("v")), "key");
      invalid(() -> store.update("app", longKey, Value.string("v")), "key");
      invalid(() -> store.compareAndSet("app", longKey, 1, Value.string("v")), "key");
      invalid(() -> store.rotate("app", longKey, Value.string("v"), WriteOptions.none()), "key");
      invalid(() -> store.rollback("app", longKey, 1, WriteOptions.none()), "key");
      invalid(() -> store.delete("app", longKey), "key");
      invalid(() -> store.deleteIfVersion("app", longKey, 1), "key");
      invalid(() -> store.deleteAll("app", List.of(longKey)), "key");
      invalid(() -> store.history("app", longKey), "key");
      invalid(() -> store.putAll("app", Map.of("ok", Value.string("v"), longKey, Value.string("v"))), "key");
      invalid(() -> store.list("app", ListOptions.prefix(longKey)), "prefix");
      assertThat(backend.count("app")).isZero();
    }

    @Test
    void theDefaultIs512Bytes() {
      KvStore defaults = layer(LimitPolicy.defaults());
      defaults.put("app", "k".repeat(512), Value.string("v"));
      InvalidInputException e = invalid(() -> defaults.put("app", "k".repeat(513), Value.string("v")), "key");
      assertThat(e.getMessage()).contains("maxKeyBytes", "512");
    }
  }

  @Nested
  class ValueSize {
    @Test
    void theDefaultIsOneMebibyteAtTheLimitAllowedAndOneBytePastRefused() {
      KvStore store = layer(LimitPolicy.defaults());
      store.put("app", "at", Value.binary(new byte[1 << 20]));

      InvalidInputException e = invalid(() -> store.put("app", "past", Value.binary(new byte[(1 << 20) + 1])), "value");
      assertThat(e.getMessage()).contains("maxValueBytes", "1048576");
      assertThat(backend.get("app", "past")).isEmpty();
    }

    @Test
    void everyWriteOfAValueChecksItAndTheMessageHoldsNoContent() {
      KvStore store = layer(LimitPolicy.defaults().withMaxValueBytes(10));
      Value big = Value.string("secretsecr" + "x");
      store.put("app", "k", Value.string("secretsecr"));

      for (ThrowingCallable call : List.<ThrowingCallable>of(
          () -> store.put("app", "k", big),
          () -> store.create("app", "new", big),
          () -> store.update("app", "k", big),
          () -> store.compareAndSet("app", "k", 1, big),
          () -> store.rotate("app", "k", big, WriteOptions.none()),
          () -> store.putAll("app", Map.of("a", Value.string("ok"), "b", big)))) {
        assertThat(invalid(call, "value").getMessage()).doesNotContain("secret").contains("10", "11");
      }
      assertThat(backend.get("app", "k").orElseThrow().version()).isEqualTo(1);
      assertThat(backend.count("app")).isEqualTo(1);
    }
  }

  @Nested
  class Ttl {
    @Test
    void theDefaultMinimumIsOneSecond() {
      KvStore store = layer(LimitPolicy.defaults());
      assertThat(store.put("app", "k", Value.string("v"), WriteOptions.ttl(Duration.ofSeconds(1))).expiresAt())
          .contains(clock.instant().plusSeconds(1));

      InvalidInputException e =
          invalid(() -> store.put("app", "k", Value.string("v"), WriteOptions.ttl(Duration.ofMillis(999))), "ttl");
      assertThat(e.getMessage()).contains("minTtl", "PT1S").doesNotContain("0.999");
    }

    @Test
    void aMaximumAllowsItselfAndRefusesOneMillisecondMore() {
      KvStore store = layer(LimitPolicy.defaults().withMaxTtl(Duration.ofHours(1)));
      store.put("app", "k", Value.string("v"), WriteOptions.ttl(Duration.ofHours(1)));
      // A TTL keeps whole milliseconds, so a nanosecond more is the maximum itself.
      store.put("app", "k", Value.string("v"), WriteOptions.ttl(Duration.ofHours(1).plusNanos(1)));

      InvalidInputException e = invalid(() -> store.put("app", "k", Value.string("v"),
          WriteOptions.ttl(Duration.ofHours(1).plusMillis(1))), "ttl");
      assertThat(e.getMessage()).contains("maxTtl", "PT1H");
    }

    @Test
    void hugeTtlsAreRefusedWithoutOverflow() {
      KvStore store = layer(LimitPolicy.defaults().withMaxTtl(Duration.ofDays(30)));
      for (Duration huge : List.of(WriteOptions.MAX_TTL, Duration.ofDays(30).plusMillis(1))) {
        InvalidInputException e = invalid(() -> store.put("app", "k", Value.string("v"), WriteOptions.ttl(huge)), "ttl");
        assertThat(e.getMessage()).contains("maxTtl", "PT720H");
      }
    }

    @Test
    void withoutAMaximumAHugeTtlIsStillRefusedCleanlyBelow() {
      KvStore store = layer(LimitPolicy.defaults());
      invalid(() -> store.put("app", "k", Value.string("v"), WriteOptions.ttl(Duration.ofSeconds(Long.MAX_VALUE))), "ttl");
      assertThat(backend.count("app")).isZero();
    }

    @Test
    void everyWriteWithATtlChecksIt() {
      KvStore store = layer(LimitPolicy.defaults().withMaxTtl(Duration.ofMinutes(1)));
      store.put("app", "k", Value.string("v"));
      WriteOptions tooLong = WriteOptions.ttl(Duration.ofMinutes(2));
      invalid(() -> store.create("app", "n", Value.string("v"), tooLong), "ttl");
      invalid(() -> store.update("app", "k", Value.string("v"), tooLong), "ttl");
      invalid(() -> store.compareAndSet("app", "k", 1, Value.string("v"), tooLong), "ttl");
      invalid(() -> store.putAll("app", Map.of("n", Value.string("v")), tooLong), "ttl");
      invalid(() -> store.rotate("app", "k", Value.string("v"), tooLong), "ttl");
      invalid(() -> store.rollback("app", "k", 1, tooLong), "ttl");
      assertThat(backend.get("app", "k").orElseThrow().version()).isEqualTo(1);
      assertThat(backend.count("app")).isEqualTo(1);
    }

    @Test
    void aNamespaceDefaultTtlOutsideTheRangeIsRefusedWhenDeclaredOrUpdated() {
      KvStore store = layer(LimitPolicy.defaults().withMinTtl(Duration.ofSeconds(10)).withMaxTtl(Duration.ofDays(1)));
      NamespaceSettings s = NamespaceSettings.defaults();

      store.namespaces().create("low", s.withDefaultTtl(Duration.ofSeconds(10)));
      store.namespaces().create("high", s.withDefaultTtl(Duration.ofDays(1)));
      InvalidInputException below = invalid(
          () -> store.namespaces().create("a", s.withDefaultTtl(Duration.ofSeconds(9))), "defaultTtl");
      assertThat(below.getMessage()).contains("minTtl", "PT10S");
      InvalidInputException above = invalid(
          () -> store.namespaces().create("b", s.withDefaultTtl(Duration.ofDays(1).plusMillis(1))), "defaultTtl");
      assertThat(above.getMessage()).contains("maxTtl", "PT24H");
      invalid(() -> store.namespaces().create("c", s.withDefaultTtl(Duration.ofSeconds(Long.MAX_VALUE))), "defaultTtl");
      invalid(() -> store.namespaces().update("low", s.withDefaultTtl(Duration.ofSeconds(1))), "defaultTtl");

      assertThat(backend.namespaces().list()).extracting(n -> n.name()).containsExactly("high", "low");
      assertThat(backend.namespaces().get("low").orElseThrow().settings().defaultTtl()).contains(Duration.ofSeconds(10));
    }

    @Test
    void aNamespaceDefaultTtlIsCheckedAgainstThatNamespacesLimits() {
      KvStore store = layer(LimitPolicy.defaults().withMaxTtl(Duration.ofHours(1)),
          Map.of("sessions", LimitPolicy.defaults().withMaxTtl(Duration.ofDays(30))));
      store.namespaces().create("sessions", NamespaceSettings.defaults().withDefaultTtl(Duration.ofDays(7)));
      invalid(() -> store.namespaces().create("app",
          NamespaceSettings.defaults().withDefaultTtl(Duration.ofDays(7))), "defaultTtl");
    }
  }

  @Nested
  class Quota {
    private final KvStore store = layer(LimitPolicy.defaults().withMaxEntriesPerNamespace(3));

    private void fill() {
      store.putAll("app", Map.of("a", Value.number(1), "b", Value.number(2), "c", Value.number(3)));
      assertThat(backend.count("app")).isEqualTo(3);
    }

    @Test
    void aWriteThatCreatesTheLastAllowedEntryPassesAndTheNextIsRefused() {
      store.put("app", "a", Value.number(1));
      store.create("app", "b", Value.number(2));
      store.put("app", "c", Value.number(3));

      assertThatThrownBy(() -> store.put("app", "d", Value.number(4)))
          .isInstanceOf(QuotaExceededException.class)
          .asInstanceOf(type(QuotaExceededException.class))
          .satisfies(e -> {
            assertThat(e.limit()).isEqualTo("maxEntriesPerNamespace");
            assertThat(e.namespace()).contains("app");
            assertThat(e.maxEntries()).isEqualTo(3);
            assertThat(e.getMessage()).contains("'app'", "3", "maxEntriesPerNamespace");
          });
      assertThatThrownBy(() -> store.create("app", "d", Value.number(4))).isInstanceOf(QuotaExceededException.class);
      assertThat(backend.count("app")).isEqualTo(3);
    }

    @Test
    void writesToExistingEntriesPassInAFullNamespace() {
      fill();
      store.put("app", "a", Value.number(10));
      store.update("app", "b", Value.number(20));
      store.compareAndSet("app", "c", 1, Value.number(30));
      store.rotate("app", "a", Value.number(11), WriteOptions.none());
      store.rollback("app", "a", 3, WriteOptions.none());
      store.putAll("app", Map.of("a", Value.number(12), "b", Value.number(21)));
      assertThatThrownBy(() -> store.create("app", "a", Value.number(0))).isInstanceOf(AlreadyExistsException.class);
      assertThat(backend.get("app", "a").orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void deletingOrExpiringAnEntryMakesRoom() {
      store.put("app", "a", Value.number(1));
      store.put("app", "b", Value.number(2));
      store.put("app", "short", Value.number(3), WriteOptions.ttl(Duration.ofSeconds(5)));
      assertThatThrownBy(() -> store.put("app", "d", Value.number(4))).isInstanceOf(QuotaExceededException.class);

      clock.advance(Duration.ofSeconds(5));
      store.put("app", "d", Value.number(4));
      store.delete("app", "a");
      store.put("app", "e", Value.number(5));
      assertThat(backend.count("app")).isEqualTo(3);
    }

    @Test
    void theQuotaIsPerNamespace() {
      fill();
      store.put("other", "a", Value.number(1));
      assertThat(backend.count("other")).isEqualTo(1);
    }

    @Test
    void putAllCountsOnlyItsNewKeysAndIsAllOrNothing() {
      store.put("app", "a", Value.number(1));
      store.put("app", "b", Value.number(2));

      Map<String, Value> twoNew = new LinkedHashMap<>();
      twoNew.put("a", Value.number(10));
      twoNew.put("x", Value.number(11));
      twoNew.put("y", Value.number(12));
      assertThatThrownBy(() -> store.putAll("app", twoNew))
          .isInstanceOf(QuotaExceededException.class)
          .hasFieldOrPropertyWithValue("limit", "maxEntriesPerNamespace");
      assertThat(backend.getAll("app", List.of("a", "x", "y"))).containsOnlyKeys("a");
      assertThat(backend.get("app", "a").orElseThrow().value()).isEqualTo(Value.number(1));

      Map<String, Value> oneNew = Map.of("a", Value.number(10), "b", Value.number(20), "x", Value.number(11));
      store.putAll("app", oneNew);
      assertThat(backend.count("app")).isEqualTo(3);
      store.putAll("app", Map.of("a", Value.number(100), "x", Value.number(110)));
      assertThatThrownBy(() -> store.putAll("app", Map.of("a", Value.number(1), "z", Value.number(1))))
          .isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void updatesPassInANamespaceAlreadyOverItsQuota() {
      for (int i = 0; i < 5; i++) {
        backend.put("app", "k" + i, Value.number(i));
      }
      store.put("app", "k0", Value.number(10));
      store.putAll("app", Map.of("k1", Value.number(11), "k2", Value.number(12)));
      assertThatThrownBy(() -> store.put("app", "new", Value.number(0))).isInstanceOf(QuotaExceededException.class);
    }

    /** The backend, counting the calls the quota check makes to it. */
    private final class Counting extends ForwardingKvStore {
      final AtomicInteger counts = new AtomicInteger();
      final AtomicInteger getAlls = new AtomicInteger();

      Counting() {
        super(backend);
      }

      @Override
      protected KvStore over(KvStore delegate) {
        throw new UnsupportedOperationException();
      }

      @Override
      public long count(String namespace) {
        counts.incrementAndGet();
        return super.count(namespace);
      }

      @Override
      public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
        getAlls.incrementAndGet();
        return super.getAll(namespace, keys);
      }
    }

    @Test
    void writesThatFitReadTheCountOnceAndThenNothing() {
      Counting counting = new Counting();
      KvStore quota = new LimitLayer(counting, clock, LimitPolicy.defaults().withMaxEntriesPerNamespace(100), Map.of());
      for (int i = 0; i < 50; i++) {
        quota.put("app", "k" + (i % 10), Value.number(i));
      }
      quota.putAll("app", Map.of("x", Value.number(1), "y", Value.number(2)));
      quota.create("app", "z", Value.number(3));
      assertThat(counting.counts).as("count calls").hasValue(1);
      assertThat(counting.getAlls).as("getAll calls").hasValue(0);
      assertThat(backend.count("app")).isEqualTo(13);
    }

    @Test
    void theBoundCountsCreationsExactly() {
      KvStore quota = layer(LimitPolicy.defaults().withMaxEntriesPerNamespace(5));
      quota.put("app", "a", Value.number(1));
      quota.put("app", "a", Value.number(2));
      quota.putAll("app", Map.of("a", Value.number(3), "b", Value.number(1), "c", Value.number(1)));
      quota.create("app", "d", Value.number(1));
      assertThatThrownBy(() -> quota.create("app", "d", Value.number(1))).isInstanceOf(AlreadyExistsException.class);
      quota.put("app", "e", Value.number(1));
      assertThatThrownBy(() -> quota.put("app", "f", Value.number(1))).isInstanceOf(QuotaExceededException.class);
      assertThat(backend.count("app")).isEqualTo(5);
    }

    @Test
    void aTightFitReadsTheTruthSoDeletesAndExpiryMakeRoomAgain() {
      Counting counting = new Counting();
      KvStore quota = new LimitLayer(counting, clock, LimitPolicy.defaults().withMaxEntriesPerNamespace(3), Map.of());
      quota.put("app", "a", Value.number(1));
      quota.put("app", "b", Value.number(1), WriteOptions.ttl(Duration.ofSeconds(5)));
      quota.put("app", "c", Value.number(1));
      // Deleted and expired behind the layer's back: its bound still says 3.
      backend.delete("app", "a");
      clock.advance(Duration.ofSeconds(6));

      quota.put("app", "d", Value.number(1));
      quota.put("app", "e", Value.number(1));
      assertThatThrownBy(() -> quota.put("app", "f", Value.number(1))).isInstanceOf(QuotaExceededException.class);
      assertThat(backend.count("app")).isEqualTo(3);
      assertThat(counting.counts.get()).as("count calls: the first write and each tight fit").isEqualTo(3);
    }

    @Test
    void aQuotaOfZeroCreatesNothing() {
      KvStore frozen = layer(LimitPolicy.defaults().withMaxEntriesPerNamespace(0));
      assertThatThrownBy(() -> frozen.put("app", "a", Value.number(1))).isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void concurrentCreatorsNeverOvershootWithinOneStack() throws Exception {
      KvStore quota50 = layer(LimitPolicy.defaults().withMaxEntriesPerNamespace(50));
      AtomicInteger created = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          KvStore view = quota50.as(Principal.of("writer-" + t));
          int thread = t;
          futures.add(pool.submit(() -> {
            for (int i = 0; i < 20; i++) {
              try {
                if (i % 2 == 0) {
                  view.put("app", "t" + thread + "/" + i, Value.number(i));
                  created.incrementAndGet();
                } else {
                  view.putAll("app", Map.of("t" + thread + "/" + i + "a", Value.number(i), "t" + thread + "/" + i + "b",
                      Value.number(i)));
                  created.addAndGet(2);
                }
              } catch (QuotaExceededException e) {
                refused.incrementAndGet();
              }
            }
          }));
        }
        for (Future<?> f : futures) {
          f.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(backend.count("app")).isEqualTo(created.get()).isBetween(49L, 50L);
      assertThat(refused.get()).isPositive();
    }
  }

  @Nested
  class RateLimit {
    private final KvStore store = layer(LimitPolicy.defaults().withMaxOperationsPerSecond(5));
    private final KvStore alice = store.as(Principal.of("alice"));
    private final KvStore bob = store.as(Principal.of("bob"));

    private void calls(KvStore view, int n) {
      for (int i = 0; i < n; i++) {
        if (i % 2 == 0) {
          view.get("app", "k");
        } else {
          view.put("app", "k", Value.number(i));
        }
      }
    }

    private static void refused(KvStore view, String principal) {
      assertThatThrownBy(() -> view.get("app", "k"))
          .isInstanceOf(RateLimitedException.class)
          .isInstanceOf(LimitExceededException.class)
          .asInstanceOf(type(RateLimitedException.class))
          .satisfies(e -> {
            assertThat(e.limit()).isEqualTo("maxOperationsPerSecond");
            assertThat(e.principal()).isEqualTo(principal);
            assertThat(e.maxOperationsPerSecond()).isEqualTo(5);
            assertThat(e.getMessage()).contains("'" + principal + "'", "5", "maxOperationsPerSecond");
          });
    }

    @Test
    void aPrincipalGetsItsRateAndOneCallMoreIsRefused() {
      calls(alice, 5);
      refused(alice, "alice");
    }

    @Test
    void principalsHaveIndependentBuckets() {
      calls(alice, 5);
      refused(alice, "alice");
      calls(bob, 5);
      refused(bob, "bob");
      calls(store, 5);
      refused(store, "anonymous");
    }

    @Test
    void viewsOfOnePrincipalShareItsBucket() {
      calls(alice, 3);
      calls(store.as(Principal.of("alice")), 2);
      refused(alice, "alice");
    }

    @Test
    void theBucketRefillsAsTheClockMoves() {
      calls(alice, 5);
      refused(alice, "alice");

      clock.advance(Duration.ofMillis(199));
      refused(alice, "alice");
      clock.advance(Duration.ofMillis(1));
      calls(alice, 1);
      refused(alice, "alice");

      clock.advance(Duration.ofSeconds(1));
      calls(alice, 5);
      refused(alice, "alice");

      clock.advance(Duration.ofHours(1));
      calls(alice, 5);
      refused(alice, "alice");
    }

    @Test
    void everyCallCountsReadsAdministrationAndRefusedCallsIncluded() {
      alice.count("app");
      alice.namespaces().list();
      alice.history("app", "k");
      assertThatThrownBy(() -> alice.get("app", "")).isInstanceOf(InvalidInputException.class);
      alice.list("app", ListOptions.all());
      refused(alice, "alice");
      assertThatThrownBy(() -> alice.namespaces().get("app")).isInstanceOf(RateLimitedException.class);
      assertThatThrownBy(() -> alice.subscribe(io.kv.ChangeFilter.all(), e -> {})).isInstanceOf(RateLimitedException.class);
      assertThatThrownBy(() -> alice.subscribe(io.kv.ChangeFilter.all(), 0, e -> {})).isInstanceOf(RateLimitedException.class);
      assertThatCode(alice::principal).doesNotThrowAnyException();
    }

    @Test
    void aRefusedCallChangesNothing() {
      calls(alice, 5);
      long version = backend.get("app", "k").orElseThrow().version();
      assertThatThrownBy(() -> alice.put("app", "k", Value.number(0))).isInstanceOf(RateLimitedException.class);
      assertThat(backend.get("app", "k").orElseThrow().version()).isEqualTo(version);
    }

    @Test
    void aTimeJumpFarAwayDoesNotOverflow() {
      calls(alice, 5);
      clock.set(Instant.ofEpochMilli(Long.MAX_VALUE));
      calls(alice, 5);
      refused(alice, "alice");
      // A clock that steps back refills the bucket (RateLimiter), so calls go on, still limited.
      clock.set(Instant.ofEpochMilli(Long.MIN_VALUE));
      calls(alice, 5);
      refused(alice, "alice");
    }

    @Test
    void concurrentCallsGetExactlyTheRate() throws Exception {
      KvStore limited = layer(LimitPolicy.defaults().withMaxOperationsPerSecond(1000));
      KvStore carol = limited.as(Principal.of("carol"));
      ExecutorService pool = Executors.newFixedThreadPool(8);
      AtomicInteger allowed = new AtomicInteger();
      try {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          tasks.add(() -> {
            for (int i = 0; i < 500; i++) {
              try {
                carol.get("app", "k");
                allowed.incrementAndGet();
              } catch (RateLimitedException e) {
                // expected once the bucket is empty
              }
            }
            return null;
          });
        }
        for (Future<Void> f : pool.invokeAll(tasks, 30, TimeUnit.SECONDS)) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(allowed.get()).isEqualTo(1000);
    }
  }

  @Nested
  class PerNamespaceLimits {
    private final LimitPolicy storeLimits =
        LimitPolicy.defaults().withMaxValueBytes(10).withMaxEntriesPerNamespace(1).withMaxOperationsPerSecond(3);
    private final KvStore store = layer(storeLimits, Map.of(
        "big", storeLimits.withMaxValueBytes(100),
        "free", LimitPolicy.defaults()));

    @Test
    void aNamespacesLimitsReplaceTheStores() {
      Value fifty = Value.binary(new byte[50]);
      invalid(() -> store.put("app", "k", fifty), "value");
      store.put("big", "k", fifty);
      invalid(() -> store.put("big", "k", Value.binary(new byte[101])), "value");
      assertThatThrownBy(() -> store.put("big", "k2", Value.number(1))).isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void noFieldIsInheritedFromTheStore() {
      for (int i = 0; i < 10; i++) {
        store.put("free", "k" + i, Value.binary(new byte[1000]));
      }
      assertThat(backend.count("free")).isEqualTo(10);
    }

    @Test
    void aNamespaceWithItsOwnRateHasItsOwnBucketPerPrincipal() {
      KvStore alice = store.as(Principal.of("alice"));
      for (int i = 0; i < 3; i++) {
        alice.get("app", "k");
      }
      assertThatThrownBy(() -> alice.get("app", "k")).isInstanceOf(RateLimitedException.class);
      assertThatThrownBy(() -> alice.get("other", "k")).isInstanceOf(RateLimitedException.class);
      for (int i = 0; i < 3; i++) {
        alice.get("big", "k");
      }
      assertThatThrownBy(() -> alice.get("big", "k")).isInstanceOf(RateLimitedException.class);
      for (int i = 0; i < 10; i++) {
        alice.get("free", "k");
      }
    }
  }

  @Test
  void theDefaultsLimitNothingButSizesAndTheMinimumTtl() {
    KvStore store = layer(LimitPolicy.defaults());
    for (int i = 0; i < 2000; i++) {
      store.put("app", "k" + i, Value.number(i));
    }
    assertThat(store.count("app")).isEqualTo(2000);
  }

  @Test
  void refusesNulls() {
    KvStore store = layer(LimitPolicy.defaults().withMaxEntriesPerNamespace(1));
    assertThatThrownBy(() -> store.get(null, "k")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.put("app", null, Value.number(1))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.put("app", "k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.put("app", "k", Value.number(1), null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.putAll("app", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.namespaces().create("app", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new LimitLayer(backend, null, LimitPolicy.defaults(), Map.of()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new LimitLayer(backend, clock, LimitPolicy.defaults(), Map.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
