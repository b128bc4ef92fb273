package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.NotFoundException;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Version history in a namespace keeping three earlier versions; rotate and rollback. */
public abstract class HistoryContract extends ContractGroup {
  static final String HIST = "hist";
  static final Principal ALICE = Principal.of("alice");

  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected HistoryContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected HistoryContract(ContractSuite suite) {
    super(suite);
  }

  @BeforeEach
  void declareNamespaceWithHistory() {
    store().namespaces().create(HIST, NamespaceSettings.defaults().withMaxVersions(3));
  }

  private KvStore alice() {
    return store().as(ALICE);
  }

  private static Value v(String text) {
    return Value.string(text);
  }

  private static VersionRecord record(long version, String text, ChangeType change, Principal by, Instant at, String reason) {
    return new VersionRecord(version, v(text), change, by, at, Optional.ofNullable(reason));
  }

  private List<Long> versions(String namespace, String key) {
    return store().history(namespace, key).stream().map(VersionRecord::version).collect(Collectors.toList());
  }

  private WriteOptions reason(String reason) {
    return WriteOptions.none().withReason(reason);
  }

  @Test
  void historyListsEveryVersionNewestFirstWithWhoWhenAndWhy() {
    Instant t0 = now();
    alice().create(HIST, "k", v("one"), reason("initial"));
    Instant t1 = advanceMillis(1_000);
    store().put(HIST, "k", v("two"));
    Instant t2 = advanceMillis(1_000);
    alice().update(HIST, "k", v("three"), reason("fix"));
    Instant t3 = advanceMillis(1_000);
    store().compareAndSet(HIST, "k", 3, v("four"), reason("cas"));

    assertThat(store().history(HIST, "k")).containsExactly(
        record(4, "four", ChangeType.UPDATED, Principal.ANONYMOUS, t3, "cas"),
        record(3, "three", ChangeType.UPDATED, ALICE, t2, "fix"),
        record(2, "two", ChangeType.UPDATED, Principal.ANONYMOUS, t1, null),
        record(1, "one", ChangeType.CREATED, ALICE, t0, "initial"));
  }

  @Test
  void aPutOfAnAbsentEntryIsRecordedAsCreated() {
    Instant t0 = now();
    store().put(HIST, "k", v("one"), reason("first"));

    assertThat(store().history(HIST, "k")).containsExactly(record(1, "one", ChangeType.CREATED, Principal.ANONYMOUS, t0, "first"));
  }

  @Test
  void historyKeepsMaxVersionsEarlierVersionsBesidesTheCurrentOne() {
    for (int i = 1; i <= 6; i++) {
      store().put(HIST, "k", v("v" + i));
      advanceMillis(1);
    }

    List<VersionRecord> history = store().history(HIST, "k");

    assertThat(history).extracting(VersionRecord::version).containsExactly(6L, 5L, 4L, 3L);
    assertThat(history).extracting(VersionRecord::value).containsExactly(v("v6"), v("v5"), v("v4"), v("v3"));
  }

  @Test
  void historyIsPerKey() {
    store().put(HIST, "a", v("a1"));
    store().put(HIST, "a", v("a2"));
    store().put(HIST, "b", v("b1"));

    assertThat(versions(HIST, "a")).containsExactly(2L, 1L);
    assertThat(versions(HIST, "b")).containsExactly(1L);
  }

  @Test
  void aNamespaceWithoutHistoryReturnsTheCurrentVersionAlone() {
    store().put(NS, "k", v("one"));
    Instant t1 = advanceMillis(1_000);
    store().as(ALICE).put(NS, "k", v("two"), reason("why"));

    assertThat(store().history(NS, "k")).containsExactly(record(2, "two", ChangeType.UPDATED, ALICE, t1, "why"));
  }

  @Test
  void historyOfAnAbsentDeletedOrExpiredEntryIsEmpty() {
    store().put(HIST, "deleted", v("1"));
    store().put(HIST, "deleted", v("2"));
    store().delete(HIST, "deleted");
    store().put(HIST, "expired", v("1"));
    store().put(HIST, "expired", v("2"), WriteOptions.ttl(Duration.ofSeconds(1)));
    advance(Duration.ofSeconds(1));

    assertThat(store().history(HIST, "absent")).isEmpty();
    assertThat(store().history(NS, "absent")).isEmpty();
    assertThat(store().history(HIST, "deleted")).isEmpty();
    assertThat(store().history(HIST, "expired")).isEmpty();
  }

  @Test
  void aLowerMaxVersionsTrimsHistoryOnTheNextWrite() {
    store().namespaces().create("deep", NamespaceSettings.defaults().withMaxVersions(5));
    for (int i = 1; i <= 6; i++) {
      store().put("deep", "k", v("v" + i));
    }
    assertThat(versions("deep", "k")).containsExactly(6L, 5L, 4L, 3L, 2L, 1L);

    store().namespaces().update("deep", NamespaceSettings.defaults().withMaxVersions(2));
    store().put("deep", "k", v("v7"));

    assertThat(versions("deep", "k")).containsExactly(7L, 6L, 5L);
  }

  @Test
  void rotateOfAnAbsentEntryThrowsNotFound() {
    NotFoundException e = thrown(NotFoundException.class, () -> store().rotate(HIST, "k", v("new"), WriteOptions.none()));

    assertThat(e.namespace()).contains(HIST);
    assertThat(e.key()).contains("k");
    assertThat(store().get(HIST, "k")).isEmpty();
  }

  @Test
  void rotateWritesTheNextVersionAndRecordsARotation() {
    Instant t0 = now();
    store().put(HIST, "k", v("old-secret"));
    Instant t1 = advance(Duration.ofDays(30));

    Entry e = alice().rotate(HIST, "k", v("new-secret"), reason("scheduled"));

    assertThat(e.version()).isEqualTo(2);
    assertThat(e.value()).isEqualTo(v("new-secret"));
    assertThat(e.createdAt()).isEqualTo(t0);
    assertThat(e.updatedAt()).isEqualTo(t1);
    assertThat(store().get(HIST, "k")).contains(e);
    assertThat(store().history(HIST, "k")).containsExactly(
        record(2, "new-secret", ChangeType.ROTATED, ALICE, t1, "scheduled"),
        record(1, "old-secret", ChangeType.CREATED, Principal.ANONYMOUS, t0, null));
  }

  @Test
  void rollbackWritesAnEarlierValueAsANewVersionAndKeepsHistory() {
    Instant t0 = now();
    store().put(HIST, "k", v("one"), WriteOptions.none().withMetadata(Map.of("m", "1")));
    advanceMillis(1_000);
    store().put(HIST, "k", v("two"));
    advanceMillis(1_000);
    store().put(HIST, "k", v("three"));
    List<VersionRecord> before = store().history(HIST, "k");
    Instant t3 = advanceMillis(1_000);

    Entry e = alice().rollback(HIST, "k", 1, reason("revert"));

    assertThat(e.version()).isEqualTo(4);
    assertThat(e.value()).isEqualTo(v("one"));
    assertThat(e.createdAt()).isEqualTo(t0);
    assertThat(e.updatedAt()).isEqualTo(t3);
    assertThat(e.metadata()).as("metadata come from the rollback's options").isEmpty();
    assertThat(store().get(HIST, "k")).contains(e);
    List<VersionRecord> after = store().history(HIST, "k");
    assertThat(after).hasSize(4);
    assertThat(after.get(0)).isEqualTo(record(4, "one", ChangeType.ROLLED_BACK, ALICE, t3, "revert"));
    assertThat(after.subList(1, 4)).isEqualTo(before);
  }

  @Test
  void rollbackTakesTtlMetadataAndTagsFromItsOptions() {
    store().put(HIST, "k", v("one"));
    store().put(HIST, "k", v("two"));
    Instant t = advanceMillis(1);
    WriteOptions options = WriteOptions.ttl(Duration.ofSeconds(30)).withMetadata(Map.of("a", "b")).withTags(Set.of("t"));

    Entry e = store().rollback(HIST, "k", 1, options);

    assertThat(e.expiresAt()).contains(t.plusSeconds(30));
    assertThat(e.metadata()).isEqualTo(Map.of("a", "b"));
    assertThat(e.tags()).isEqualTo(Set.of("t"));
  }

  @Test
  void rollbackToTheCurrentVersionWritesItAgain() {
    store().put(HIST, "k", v("one"));
    store().put(HIST, "k", v("two"));

    Entry e = store().rollback(HIST, "k", 2, WriteOptions.none());

    assertThat(e.version()).isEqualTo(3);
    assertThat(e.value()).isEqualTo(v("two"));
    assertThat(store().history(HIST, "k").get(0).change()).isEqualTo(ChangeType.ROLLED_BACK);
  }

  @Test
  void rollbackToAVersionHistoryDoesNotHoldThrowsNotFound() {
    for (int i = 1; i <= 6; i++) {
      store().put(HIST, "k", v("v" + i));
    }
    Entry current = store().get(HIST, "k").orElseThrow();

    NotFoundException never = thrown(NotFoundException.class, () -> store().rollback(HIST, "k", 99, WriteOptions.none()));
    NotFoundException trimmed = thrown(NotFoundException.class, () -> store().rollback(HIST, "k", 2, WriteOptions.none()));

    assertThat(never.namespace()).contains(HIST);
    assertThat(never.key()).contains("k");
    assertThat(trimmed.key()).contains("k");
    assertThat(store().get(HIST, "k")).contains(current);
    assertThat(versions(HIST, "k")).containsExactly(6L, 5L, 4L, 3L);
  }

  @Test
  void rollbackInANamespaceWithoutHistoryReachesOnlyTheCurrentVersion() {
    store().put(NS, "k", v("one"));
    store().put(NS, "k", v("two"));

    thrown(NotFoundException.class, () -> store().rollback(NS, "k", 1, WriteOptions.none()));
    Entry e = store().rollback(NS, "k", 2, WriteOptions.none());

    assertThat(e.version()).isEqualTo(3);
    assertThat(e.value()).isEqualTo(v("two"));
  }

  @Test
  void rollbackOfAnAbsentOrExpiredEntryThrowsNotFound() {
    store().put(HIST, "expired", v("1"));
    store().put(HIST, "expired", v("2"), WriteOptions.ttl(Duration.ofSeconds(1)));
    advance(Duration.ofSeconds(1));

    thrown(NotFoundException.class, () -> store().rollback(HIST, "absent", 1, WriteOptions.none()));
    thrown(NotFoundException.class, () -> store().rollback(HIST, "expired", 1, WriteOptions.none()));
    assertThat(store().get(HIST, "expired")).isEmpty();
  }

  @Test
  void aReasonAndAPrincipalAtTheirLimitsReadBackAsWritten() {
    // Pairs of surrogates: two chars, one code point, four bytes of UTF-8 each.
    String reason = "\uD83D\uDD11".repeat(WriteOptions.MAX_REASON_LENGTH / 2);
    Principal who = Principal.of("\u00E9" + "\uD83D\uDE00".repeat(Principal.MAX_NAME_LENGTH / 2 - 1) + "x");
    store().as(who).put(HIST, "k", Value.string("v1"), WriteOptions.none().withReason(reason));
    store().as(Principal.of("b")).put(HIST, "k", Value.string("v2"), WriteOptions.none().withReason("\u00FCber \u4E16\u754C"));

    List<VersionRecord> history = store().history(HIST, "k");

    assertThat(history).extracting(VersionRecord::version).containsExactly(2L, 1L);
    assertThat(history.get(0).reason()).contains("\u00FCber \u4E16\u754C");
    assertThat(history.get(1).reason()).contains(reason);
    assertThat(history.get(1).changedBy()).isEqualTo(who);
  }
}
