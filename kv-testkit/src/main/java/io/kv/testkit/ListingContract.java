package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Entry;
import io.kv.ListOptions;
import io.kv.Page;
import io.kv.Value;
import io.kv.WriteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Prefix listing (code point order, exact prefixes, paging with opaque cursors) and count. */
public abstract class ListingContract extends ContractGroup {
  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected ListingContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected ListingContract(ContractSuite suite) {
    super(suite);
  }

  private void putAll(String... keys) {
    for (String key : keys) {
      put(key, "v-" + key);
    }
  }

  private List<String> listKeys(String prefix) {
    Page page = store().list(NS, ListOptions.prefix(prefix).limit(ListOptions.MAX_LIMIT));
    assertThat(page.hasMore()).isFalse();
    return keys(page);
  }

  @Test
  void listsKeysInCodePointOrder() {
    putAll("b", "a/c", "a", "B", "a-b", "a/b");

    assertThat(listKeys("")).containsExactly("B", "a", "a-b", "a/b", "a/c", "b");
  }

  @Test
  void codePointOrderPutsSupplementaryCharactersAfterTheWholeBasicPlane() {
    // UTF-16 order (String.compareTo) would put U+1F600 (a surrogate pair) before U+FFFD.
    putAll("z\uD83D\uDE00", "z\uFFFD", "z\u00E9", "zz");

    assertThat(listKeys("z")).containsExactly("zz", "z\u00E9", "z\uFFFD", "z\uD83D\uDE00");
  }

  @Test
  void listReturnsWholeEntries() {
    put("a", "1");
    Entry a = put("a", "2");
    Entry b = put("b", "3");

    Page page = store().list(NS, ListOptions.all());

    assertThat(page.entries()).containsExactly(a, b);
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void prefixSelectsOnlyKeysStartingWithIt() {
    putAll("a", "a/b", "a/c", "a/c/d", "a-b", "ab", "b/a");

    assertThat(listKeys("a/")).containsExactly("a/b", "a/c", "a/c/d");
    assertThat(listKeys("a/c")).containsExactly("a/c", "a/c/d");
    assertThat(listKeys("a")).containsExactly("a", "a-b", "a/b", "a/c", "a/c/d", "ab");
    assertThat(listKeys("c")).isEmpty();
  }

  @Test
  void prefixIsCaseSensitive() {
    putAll("a/x", "B/y", "b/z");

    assertThat(listKeys("A/")).isEmpty();
    assertThat(listKeys("a/")).containsExactly("a/x");
    assertThat(listKeys("B")).containsExactly("B/y");
    assertThat(listKeys("b")).containsExactly("b/z");
  }

  @Test
  void prefixHasNoWildcards() {
    putAll("100%/x", "100_/x", "1000/x", "100/x", "a.b", "axb", "a*", "ab", "[x]", "x", "a\\b", "a\\\\b");

    assertThat(listKeys("100%")).containsExactly("100%/x");
    assertThat(listKeys("100_")).containsExactly("100_/x");
    assertThat(listKeys("100")).containsExactly("100%/x", "100/x", "1000/x", "100_/x");
    assertThat(listKeys("a.")).containsExactly("a.b");
    assertThat(listKeys("a*")).containsExactly("a*");
    assertThat(listKeys("[")).containsExactly("[x]");
    assertThat(listKeys("a\\")).containsExactly("a\\\\b", "a\\b");
    assertThat(listKeys("a\\b")).containsExactly("a\\b");
  }

  @Test
  void pagesOfTwoOverFiveEntries() {
    putAll("k1", "k2", "k3", "k4", "k5");
    List<Entry> all = store().list(NS, ListOptions.all()).entries();

    Page p1 = store().list(NS, ListOptions.all().limit(2));
    Page p2 = store().list(NS, ListOptions.all().limit(2).after(p1.nextCursor().orElseThrow()));
    Page p3 = store().list(NS, ListOptions.all().limit(2).after(p2.nextCursor().orElseThrow()));

    assertThat(keys(p1)).containsExactly("k1", "k2");
    assertThat(p1.hasMore()).isTrue();
    assertThat(keys(p2)).containsExactly("k3", "k4");
    assertThat(p2.hasMore()).isTrue();
    assertThat(keys(p3)).containsExactly("k5");
    assertThat(p3.hasMore()).isFalse();
    assertThat(p3.nextCursor()).isEmpty();
    List<Entry> concatenated = new ArrayList<>(p1.entries());
    concatenated.addAll(p2.entries());
    concatenated.addAll(p3.entries());
    assertThat(concatenated).isEqualTo(all);
  }

  @Test
  void lastFullPageHasNoMore() {
    putAll("k1", "k2", "k3", "k4");

    Page p1 = store().list(NS, ListOptions.all().limit(2));
    Page p2 = store().list(NS, ListOptions.all().limit(2).after(p1.nextCursor().orElseThrow()));

    assertThat(keys(p1)).containsExactly("k1", "k2");
    assertThat(p1.hasMore()).isTrue();
    assertThat(keys(p2)).containsExactly("k3", "k4");
    assertThat(p2.hasMore()).isFalse();
    assertThat(p2.nextCursor()).isEmpty();
  }

  @Test
  void pagingWithinAPrefix() {
    putAll("a", "p/1", "p/2", "p/3", "q");

    Page p1 = store().list(NS, ListOptions.prefix("p/").limit(2));
    Page p2 = store().list(NS, ListOptions.prefix("p/").limit(2).after(p1.nextCursor().orElseThrow()));

    assertThat(keys(p1)).containsExactly("p/1", "p/2");
    assertThat(p1.hasMore()).isTrue();
    assertThat(keys(p2)).containsExactly("p/3");
    assertThat(p2.hasMore()).isFalse();
  }

  @Test
  void pagingOneAtATimeVisitsEveryKeyOnce() {
    List<String> expected = List.of("a", "a/b", "a/b/c", "b", "\u00E9", "\uD83D\uDE00");
    expected.forEach(k -> put(k, "v"));

    List<String> seen = new ArrayList<>();
    ListOptions options = ListOptions.all().limit(1);
    for (int i = 0; i <= expected.size(); i++) {
      Page page = store().list(NS, options);
      seen.addAll(keys(page));
      if (!page.hasMore()) {
        break;
      }
      options = options.after(page.nextCursor().orElseThrow());
    }

    assertThat(seen).isEqualTo(expected);
  }

  @Test
  void writesBetweenPagesAfterTheCursorAppearAndDeletedEntriesDoNot() {
    putAll("k1", "k2", "k4", "k5", "k6");
    Page p1 = store().list(NS, ListOptions.all().limit(2));
    assertThat(keys(p1)).containsExactly("k1", "k2");

    put("k3", "new");
    put("k0", "before the cursor");
    store().delete(NS, "k4");
    store().delete(NS, "k2");
    Page p2 = store().list(NS, ListOptions.all().limit(3).after(p1.nextCursor().orElseThrow()));

    assertThat(keys(p2)).containsExactly("k3", "k5", "k6");
    assertThat(p2.hasMore()).isFalse();
  }

  @Test
  void defaultPageSizeIsDefaultLimit() {
    for (int i = 0; i < ListOptions.DEFAULT_LIMIT + 1; i++) {
      put(String.format("k%03d", i), "v");
    }

    Page p1 = store().list(NS, ListOptions.all());
    Page p2 = store().list(NS, ListOptions.all().after(p1.nextCursor().orElseThrow()));

    assertThat(p1.entries()).hasSize(ListOptions.DEFAULT_LIMIT);
    assertThat(p1.hasMore()).isTrue();
    assertThat(keys(p2)).containsExactly(String.format("k%03d", ListOptions.DEFAULT_LIMIT));
    assertThat(p2.hasMore()).isFalse();
  }

  @Test
  void emptyNamespaceListsAnEmptyPageWithoutCursor() {
    Page page = store().list(NS, ListOptions.all());

    assertThat(page.entries()).isEmpty();
    assertThat(page.nextCursor()).isEmpty();
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void listShowsOnlyItsOwnNamespace() {
    store().put("app", "a", Value.string("1"));
    store().put("app2", "b", Value.string("2"));
    store().put("ap", "c", Value.string("3"));

    assertThat(keys(store().list("app", ListOptions.all()))).containsExactly("a");
    assertThat(keys(store().list("app2", ListOptions.all()))).containsExactly("b");
    assertThat(keys(store().list("ap", ListOptions.all()))).containsExactly("c");
    assertThat(store().list("app", ListOptions.all()).entries()).allSatisfy(e -> assertThat(e.namespace()).isEqualTo("app"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not a cursor!", "", "%%%", "\u00E9"})
  void aCursorTheStoreDidNotIssueIsRefused(String cursor) {
    putAll("a", "b", "c");

    invalid("cursor", () -> store().list(NS, ListOptions.all().limit(1).after(cursor)));
  }

  @Test
  void aCursorIssuedForAnotherPrefixIsRefused() {
    putAll("a/1", "a/2", "a/3", "b/1", "b/2");
    String cursor = store().list(NS, ListOptions.prefix("a/").limit(1)).nextCursor().orElseThrow();

    invalid("cursor", () -> store().list(NS, ListOptions.prefix("b/").limit(1).after(cursor)));
  }

  @Test
  void aCursorWhoseKeyIsNotWellFormedUtf8IsRefused() {
    putAll("a", "b");
    String issued = store().list(NS, ListOptions.all().limit(1)).nextCursor().orElseThrow();
    // The same cursor form with its key's bytes cut mid-character: a decoder that repairs such
    // bytes would resume after "\uFFFD", a key no listing handed out.
    String tag = issued.substring(0, issued.lastIndexOf('.') + 1);
    String forged = tag + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {'a', (byte) 0xC3});

    invalid("cursor", () -> store().list(NS, ListOptions.all().limit(1).after(forged)));
  }

  @Test
  void anInvalidPrefixIsRefused() {
    invalid("prefix", () -> store().list(NS, ListOptions.prefix("a\nb")));
    invalid("prefix", () -> store().list(NS, ListOptions.prefix("a\uD800")));
    invalid("prefix", () -> store().list(NS, ListOptions.prefix("x".repeat(513))));
  }

  @Test
  void countOfAnEmptyNamespaceIsZero() {
    store().put("other", "a", Value.string("1"));

    assertThat(store().count(NS)).isZero();
  }

  @Test
  void countCountsLiveEntriesOfItsNamespaceOnly() {
    putAll("a", "b", "c/d");
    put("a", "again");
    store().put("app2", "x", Value.string("elsewhere"));
    store().put(NS, "expiring", Value.string("v"), WriteOptions.ttl(Duration.ofSeconds(10)));

    assertThat(store().count(NS)).isEqualTo(4);
    assertThat(store().count("app2")).isEqualTo(1);

    advance(Duration.ofSeconds(10).minusMillis(1));
    assertThat(store().count(NS)).isEqualTo(4);
    advanceMillis(1);
    assertThat(store().count(NS)).isEqualTo(3);

    store().delete(NS, "b");
    assertThat(store().count(NS)).isEqualTo(2);
  }
}
