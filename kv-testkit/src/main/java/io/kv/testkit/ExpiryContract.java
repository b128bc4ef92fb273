package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Entry;
import io.kv.ListOptions;
import io.kv.NotFoundException;
import io.kv.Page;
import io.kv.Value;
import io.kv.WriteOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TTLs: an entry is present until the millisecond before its expiry and absent from it on. */
public abstract class ExpiryContract extends ContractGroup {
  private static final Duration TTL = Duration.ofSeconds(30);

  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected ExpiryContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected ExpiryContract(ContractSuite suite) {
    super(suite);
  }

  private Entry putWithTtl(String key, Duration ttl) {
    return store().put(NS, key, Value.string("v-" + key), WriteOptions.ttl(ttl));
  }

  @Test
  void ttlSetsExpiresAtFromTheClock() {
    Instant t0 = now();

    Entry e = putWithTtl("k", TTL);

    assertThat(e.expiresAt()).contains(t0.plus(TTL));
    assertThat(store().get(NS, "k")).contains(e);
  }

  /** Needs no clock of the test's: also for a store whose time is its own. */
  @Test
  void expiresAtIsTheWriteTimePlusItsTtl() {
    Entry e = putWithTtl("k", TTL);
    Entry longest = store().put(NS, "far", Value.string("v"), WriteOptions.ttl(WriteOptions.MAX_TTL));

    assertThat(e.expiresAt()).contains(e.updatedAt().plus(TTL));
    assertThat(longest.expiresAt()).contains(longest.updatedAt().plus(WriteOptions.MAX_TTL));
    assertThat(store().get(NS, "k")).contains(e);
    assertThat(store().get(NS, "far")).contains(longest);
  }

  @Test
  void entryIsPresentOneMillisecondBeforeExpiryAndAbsentAtExpiry() {
    Instant t0 = now();
    putWithTtl("k", TTL);

    clock().set(t0.plus(TTL).minusMillis(1));
    assertThat(store().get(NS, "k")).isPresent();

    clock().set(t0.plus(TTL));
    assertThat(store().get(NS, "k")).isEmpty();

    clock().set(t0.plus(TTL).plusSeconds(3600));
    assertThat(store().get(NS, "k")).isEmpty();
  }

  @Test
  void ttlCountsFromTheWriteThatSetIt() {
    Instant t0 = now();
    putWithTtl("k", TTL);
    Instant t1 = advance(Duration.ofSeconds(20));

    Entry e = putWithTtl("k", TTL);

    assertThat(e.expiresAt()).contains(t1.plus(TTL));
    clock().set(t0.plus(TTL));
    assertThat(store().get(NS, "k")).isPresent();
    clock().set(t1.plus(TTL));
    assertThat(store().get(NS, "k")).isEmpty();
  }

  @Test
  void aLaterWriteWithoutTtlClearsTheExpiry() {
    putWithTtl("k", TTL);
    advance(Duration.ofSeconds(10));

    Entry e = put("k", "forever");

    assertThat(e.expiresAt()).isEmpty();
    assertThat(e.version()).isEqualTo(2);
    advance(Duration.ofDays(365));
    assertThat(store().get(NS, "k")).contains(e);
  }

  @Test
  void updateAndCompareAndSetSetTheirOwnTtl() {
    put("u", "1");
    put("c", "1");
    Instant t1 = advance(Duration.ofSeconds(5));

    Entry u = store().update(NS, "u", Value.string("2"), WriteOptions.ttl(Duration.ofSeconds(7)));
    Entry c = store().compareAndSet(NS, "c", 1, Value.string("2"), WriteOptions.ttl(Duration.ofSeconds(9)));

    assertThat(u.expiresAt()).contains(t1.plusSeconds(7));
    assertThat(c.expiresAt()).contains(t1.plusSeconds(9));
    clock().set(t1.plusSeconds(7));
    assertThat(store().get(NS, "u")).isEmpty();
    assertThat(store().get(NS, "c")).isPresent();
  }

  @Test
  void expiredEntryIsAbsentFromGetAll() {
    putWithTtl("a", TTL);
    put("b", "stays");
    advance(TTL);

    assertThat(store().getAll(NS, List.of("a", "b")).keySet()).containsExactly("b");
  }

  @Test
  void expiredEntriesAreAbsentFromListingsAndNotCountedByPaging() {
    putWithTtl("a", TTL);
    put("b", "live");
    putWithTtl("c", TTL);
    put("d", "live");
    put("e", "live");
    putWithTtl("f", TTL);
    advance(TTL);

    Page first = store().list(NS, ListOptions.all().limit(2));
    assertThat(keys(first)).containsExactly("b", "d");
    assertThat(first.hasMore()).isTrue();
    Page second = store().list(NS, ListOptions.all().limit(2).after(first.nextCursor().orElseThrow()));
    assertThat(keys(second)).containsExactly("e");
    assertThat(second.hasMore()).isFalse();

    Page whole = store().list(NS, ListOptions.all().limit(3));
    assertThat(keys(whole)).containsExactly("b", "d", "e");
    assertThat(whole.hasMore()).as("expired entries after the last live one are not more entries").isFalse();
  }

  @Test
  void namespaceWithOnlyExpiredEntriesListsEmpty() {
    putWithTtl("a", TTL);
    putWithTtl("b", TTL);
    advance(TTL);

    Page page = store().list(NS, ListOptions.all());

    assertThat(page.entries()).isEmpty();
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void createOverAnExpiredEntrySucceedsAtVersionOne() {
    putWithTtl("k", TTL);
    putWithTtl("k", TTL);
    Instant t1 = advance(TTL);

    Entry e = store().create(NS, "k", Value.string("new"));

    assertThat(e.version()).isEqualTo(1);
    assertThat(e.createdAt()).isEqualTo(t1);
    assertThat(e.expiresAt()).isEmpty();
    assertThat(store().get(NS, "k")).contains(e);
  }

  @Test
  void putOverAnExpiredEntryStartsAtVersionOne() {
    putWithTtl("k", TTL);
    putWithTtl("k", TTL);
    Instant t1 = advance(TTL);

    Entry e = put("k", "new");

    assertThat(e.version()).isEqualTo(1);
    assertThat(e.createdAt()).isEqualTo(t1);
  }

  @Test
  void updateAndRotateOfAnExpiredEntryThrowNotFound() {
    putWithTtl("k", TTL);
    advance(TTL);

    thrown(NotFoundException.class, () -> store().update(NS, "k", Value.string("w")));
    thrown(NotFoundException.class, () -> store().rotate(NS, "k", Value.string("w"), WriteOptions.none()));
    assertThat(store().get(NS, "k")).isEmpty();
  }

  @Test
  void deleteOfAnExpiredEntryReturnsFalse() {
    putWithTtl("k", TTL);
    advance(TTL);

    assertThat(store().delete(NS, "k")).isFalse();
  }

  @Test
  void zeroOrNegativeTtlIsRefusedByWriteOptions() {
    invalid("ttl", () -> WriteOptions.ttl(Duration.ZERO));
    invalid("ttl", () -> WriteOptions.ttl(Duration.ofMillis(-1)));
    invalid("ttl", () -> WriteOptions.none().withTtl(Duration.ofSeconds(-30)));
  }

  @Test
  void theLongestTtlNeitherOverflowsNorExpiresEarly() {
    Instant t0 = now();
    Entry written = store().put(NS, "k", Value.string("v"), WriteOptions.ttl(WriteOptions.MAX_TTL));

    assertThat(written.expiresAt()).contains(t0.plus(WriteOptions.MAX_TTL));
    assertThat(store().get(NS, "k")).contains(written);
    advance(WriteOptions.MAX_TTL.minusMillis(1));
    assertThat(store().get(NS, "k")).isPresent();
    assertThat(keys(store().list(NS, ListOptions.all()))).containsExactly("k");
    advanceMillis(1);
    assertThat(store().get(NS, "k")).isEmpty();
  }

}
