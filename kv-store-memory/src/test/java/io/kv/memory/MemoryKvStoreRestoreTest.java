package io.kv.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.testkit.EntryRestorerContract;
import io.kv.testkit.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link MemoryKvStore#restore} against the {@link EntryRestorerContract}, and what is particular to it. */
class MemoryKvStoreRestoreTest extends EntryRestorerContract {
  private static final Instant T0 = Instant.parse("2029-06-01T10:00:00Z");

  @Override
  protected KvStore newStore(MutableClock clock) {
    return MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();
  }

  @Test
  void aRestoredExpiredEntryIsReclaimedLikeAnyOther() {
    MemoryKvStore memory = (MemoryKvStore) store;
    memory.restore(new Entry("ns", "k", Value.string("v"), 3, T0, T0, Optional.of(clock.instant().plusSeconds(5)), Map.of(),
        Set.of()), List.of());

    clock.advance(Duration.ofSeconds(5));

    assertThat(memory.size()).isEqualTo(1);
    assertThat(memory.purgeExpired()).isEqualTo(1);
    assertThat(memory.size()).isZero();
  }

  @Test
  void aRestoredHistoryWhoseNewestRecordDiffersFromTheEntryComesBackAsGiven() {
    MemoryKvStore memory = (MemoryKvStore) store;
    memory.namespaces().create("hist", NamespaceSettings.defaults().withMaxVersions(5));
    Entry entry = new Entry("hist", "k", Value.string("now"), 2, T0, T0.plusSeconds(9), Optional.empty(), Map.of(), Set.of());
    List<VersionRecord> history = List.of(
        new VersionRecord(2, Value.string("then"), ChangeType.ROTATED, Principal.of("a"), T0.plusSeconds(5), Optional.of("why")),
        new VersionRecord(1, Value.string("first"), ChangeType.CREATED, Principal.of("b"), T0, Optional.empty()));

    memory.restore(entry, history);

    assertThat(memory.history("hist", "k")).containsExactlyElementsOf(history);
    assertThat(memory.get("hist", "k")).map(e -> e.value().asString()).contains("now");
  }

  @Test
  void earlierVersionsKeepEveryValueTypeTimeAndReasonExactlyThroughLaterWrites() {
    MemoryKvStore memory = (MemoryKvStore) store;
    memory.namespaces().create("kept", NamespaceSettings.defaults().withMaxVersions(10));
    Entry entry = new Entry("kept", "k", Value.string("now"), 6, T0, T0.plusSeconds(9), Optional.empty(), Map.of(), Set.of());
    List<VersionRecord> history = List.of(
        new VersionRecord(6, entry.value(), ChangeType.UPDATED, Principal.of("a"), entry.updatedAt(), Optional.empty()),
        new VersionRecord(5, Value.binary(new byte[] {0, -1, 7}), ChangeType.ROTATED, Principal.of("b"),
            T0.plusSeconds(4).plusMillis(123), Optional.of("rotated")),
        new VersionRecord(4, Value.bool(false), ChangeType.ROLLED_BACK, Principal.of("c"), T0.plusMillis(1), Optional.of("back")),
        new VersionRecord(3, Value.number(new BigDecimal("12.50")), ChangeType.UPDATED, Principal.of("d"),
            Instant.parse("1969-12-31T23:59:59.999Z"), Optional.empty()),
        new VersionRecord(2, Value.json("{\"a\":[1,2]}"), ChangeType.UPDATED, Principal.of("e"), T0, Optional.empty()),
        new VersionRecord(1, Value.bool(true), ChangeType.CREATED, Principal.of("f"), T0, Optional.empty()));
    memory.restore(entry, history);

    memory.put("kept", "k", Value.string("next"));
    memory.put("kept", "k", Value.string("last"));

    List<VersionRecord> after = memory.history("kept", "k");
    assertThat(after).hasSize(8);
    assertThat(after.subList(2, 8)).containsExactlyElementsOf(history);
    assertThat(after.get(3).value().bytes()).containsExactly(0, -1, 7);
    assertThat(after.get(4).value().asBoolean()).isFalse();
    assertThat(after.get(7).value().asBoolean()).isTrue();
    assertThat(memory.rollback("kept", "k", 5, WriteOptions.none()).value()).isEqualTo(Value.binary(new byte[] {0, -1, 7}));
  }

  @Test
  void theStoresOwnLimitsApply() {
    try (MemoryKvStore small = MemoryKvStore.builder().clock(clock).limits(InputRules.defaults().withMaxValueBytes(4)).build()) {
      Entry fits = new Entry("ns", "k", Value.string("1234"), 2, T0, T0, Optional.empty(), Map.of(), Set.of());
      List<VersionRecord> tooBig = List.of(
          new VersionRecord(2, Value.string("1234"), ChangeType.UPDATED, Principal.of("a"), T0, Optional.empty()),
          new VersionRecord(1, Value.string("12345"), ChangeType.CREATED, Principal.of("a"), T0, Optional.empty()));

      assertThatThrownBy(() -> small.restore(fits, tooBig))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("value"));
      assertThat(small.get("ns", "k")).isEmpty();
    }
  }

  @Test
  void writesOverARestoredHistoryWithGapsKeepTheVersionsTheWindowKeeps() {
    MemoryKvStore memory = (MemoryKvStore) store;
    int maxVersions = 6;
    memory.namespaces().create("gaps", NamespaceSettings.defaults().withMaxVersions(maxVersions));
    Entry entry = new Entry("gaps", "k", Value.string("v10"), 10, T0, T0.plusSeconds(10), Optional.empty(), Map.of(), Set.of());
    memory.restore(entry, List.of(record(10), record(9), record(6), record(4)));
    assertThat(versions(memory.history("gaps", "k"))).containsExactly(10L, 9L, 6L, 4L);

    // Each write keeps the earlier versions at or above its version minus maxVersions: the gaps
    // leave the window one by one, then the history is consecutive and stays at its cap.
    memory.put("gaps", "k", Value.string("v11"));
    assertThat(versions(memory.history("gaps", "k"))).containsExactly(11L, 10L, 9L, 6L);
    memory.put("gaps", "k", Value.string("v12"));
    assertThat(versions(memory.history("gaps", "k"))).containsExactly(12L, 11L, 10L, 9L, 6L);
    memory.put("gaps", "k", Value.string("v13"));
    assertThat(versions(memory.history("gaps", "k"))).containsExactly(13L, 12L, 11L, 10L, 9L);
    for (int v = 14; v <= 18; v++) {
      memory.put("gaps", "k", Value.string("v" + v));
    }
    assertThat(versions(memory.history("gaps", "k"))).containsExactly(18L, 17L, 16L, 15L, 14L, 13L, 12L);
    assertThat(memory.history("gaps", "k").get(6).value().asString()).isEqualTo("v12");
  }

  @Test
  void writesOverARestoredConsecutiveHistoryKeepItsRecords() {
    MemoryKvStore memory = (MemoryKvStore) store;
    memory.namespaces().create("dense", NamespaceSettings.defaults().withMaxVersions(3));
    Entry entry = new Entry("dense", "k", Value.string("v10"), 10, T0, T0.plusSeconds(10), Optional.empty(), Map.of(), Set.of());
    memory.restore(entry, List.of(record(10), record(9), record(8)));

    memory.put("dense", "k", Value.string("v11"));
    List<VersionRecord> history = memory.history("dense", "k");
    assertThat(versions(history)).containsExactly(11L, 10L, 9L, 8L);
    assertThat(history.get(3)).isEqualTo(record(8));
    memory.put("dense", "k", Value.string("v12"));
    assertThat(versions(memory.history("dense", "k"))).containsExactly(12L, 11L, 10L, 9L);
  }

  private static VersionRecord record(long version) {
    return new VersionRecord(version, Value.string("v" + version), ChangeType.UPDATED, Principal.of("a"),
        T0.plusSeconds(version), Optional.empty());
  }

  private static List<Long> versions(List<VersionRecord> history) {
    return history.stream().map(VersionRecord::version).toList();
  }
}
