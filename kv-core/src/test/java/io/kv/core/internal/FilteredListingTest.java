package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.Entry;
import io.kv.ForwardingKvStore;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Page;
import io.kv.Value;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilteredListingTest {
  private final MemoryKvStore store = MemoryKvStore.builder().clock(MutableClock.fixed()).sweepInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    store.close();
  }

  private void fill(int n) {
    for (int i = 0; i < n; i++) {
      store.put("ns", key(i), Value.number(i));
    }
  }

  private static String key(int i) {
    return String.format("k%03d", i);
  }

  private static Predicate<Entry> every(int step) {
    return e -> Integer.parseInt(e.key().substring(1)) % step == 0;
  }

  /** Every page of the listing, checking on the way that no page but the last is short or empty. */
  private List<List<String>> pages(KvStore s, ListOptions first, Predicate<Entry> visible) {
    List<List<String>> pages = new ArrayList<>();
    ListOptions options = first;
    while (true) {
      Page page = FilteredListing.list(s, "ns", options, visible);
      pages.add(page.entries().stream().map(Entry::key).collect(Collectors.toList()));
      if (!page.hasMore()) {
        return pages;
      }
      assertThat(page.entries()).hasSize(first.limit());
      options = first.after(page.nextCursor().orElseThrow());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 7, 10, 50})
  void pagesAreFullAndHasMoreIsExactWhateverTheFilterLeavesOut(int limit) {
    fill(40);
    for (int step : new int[] {1, 2, 3, 7, 13, 39, 41}) {
      List<String> expected = IntStream.range(0, 40).filter(i -> i % step == 0).mapToObj(FilteredListingTest::key)
          .collect(Collectors.toList());

      List<List<String>> pages = pages(store, ListOptions.all().limit(limit), every(step));

      assertThat(pages.stream().flatMap(List::stream)).as("step %d", step).containsExactlyElementsOf(expected);
      assertThat(pages).as("step %d", step).hasSize(Math.max(1, (expected.size() + limit - 1) / limit));
    }
  }

  @Test
  void nothingVisibleIsOneEmptyPageWithoutCursor() {
    fill(25);

    Page page = FilteredListing.list(store, "ns", ListOptions.all().limit(10), e -> false);

    assertThat(page.entries()).isEmpty();
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void aFullPageFollowedOnlyByHiddenEntriesHasNoMore() {
    fill(30);

    Page page = FilteredListing.list(store, "ns", ListOptions.all().limit(3), e -> e.key().compareTo("k003") < 0);

    assertThat(page.entries()).extracting(Entry::key).containsExactly("k000", "k001", "k002");
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void theCursorResumesAfterTheLastKeyShownWhenEntriesComeAndGo() {
    fill(12);
    Predicate<Entry> even = every(2);
    Page first = FilteredListing.list(store, "ns", ListOptions.all().limit(2), even);
    assertThat(first.entries()).extracting(Entry::key).containsExactly("k000", "k002");

    store.delete("ns", "k002");
    store.put("ns", "k001", Value.number(0));
    store.put("ns", "k0025", Value.number(0));
    store.put("ns", "k004", Value.number(0));

    Page second = FilteredListing.list(store, "ns", ListOptions.all().limit(2).after(first.nextCursor().orElseThrow()), e ->
        even.test(e) || e.key().equals("k0025"));
    assertThat(second.entries()).extracting(Entry::key).containsExactly("k0025", "k004");
  }

  @Test
  void anUnfilteredPageCostsOneFetchAndAOneEntryProbe() {
    fill(10);
    List<ListOptions> fetches = new ArrayList<>();
    KvStore counting = new ForwardingKvStore(store) {
      @Override
      protected KvStore over(KvStore delegate) {
        return this;
      }

      @Override
      public Page list(String namespace, ListOptions options) {
        fetches.add(options);
        return super.list(namespace, options);
      }
    };

    Page page = FilteredListing.list(counting, "ns", ListOptions.all().limit(4), e -> true);

    assertThat(page.entries()).hasSize(4);
    assertThat(page.hasMore()).isTrue();
    assertThat(fetches).extracting(ListOptions::limit).containsExactly(4, 1);
    fetches.clear();

    Page next = FilteredListing.list(counting, "ns", ListOptions.all().limit(4).after(page.nextCursor().orElseThrow()), e -> true);
    assertThat(next.entries()).extracting(Entry::key).containsExactly("k004", "k005", "k006", "k007");
    assertThat(fetches).extracting(ListOptions::limit).containsExactly(4, 1);
  }

  @Test
  void aPrefixIsKeptAcrossPages() {
    fill(10);
    store.put("ns", "other", Value.number(1));

    List<List<String>> pages = pages(store, ListOptions.prefix("k00").limit(4), e -> true);

    assertThat(pages.stream().flatMap(List::stream)).hasSize(10).allMatch(k -> k.startsWith("k00"));
  }

  @Test
  void aCursorNotMadeHereOrForAnotherPrefixIsRefused() {
    fill(10);
    Predicate<Entry> half = every(2);
    String cursor = FilteredListing.list(store, "ns", ListOptions.prefix("k00").limit(2), half).nextCursor().orElseThrow();

    for (String bad : List.of("garbage", "pc", "pc!!", "pb.x", "m1.azAw")) {
      assertThatThrownBy(() -> FilteredListing.list(store, "ns", ListOptions.all().after(bad), half))
          .as(bad).isInstanceOf(InvalidInputException.class);
    }
    assertThatThrownBy(() -> FilteredListing.list(store, "ns", ListOptions.prefix("x").after(cursor), half))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void keysCompareByCodePoint() {
    String supplementary = new String(Character.toChars(0x1F600));
    assertThat(FilteredListing.compareKeys("a", "b")).isNegative();
    assertThat(FilteredListing.compareKeys("ab", "a")).isPositive();
    assertThat(FilteredListing.compareKeys("x", "x")).isZero();
    // String.compareTo puts the surrogate pair (U+D83D ...) before U+FFFD; code point order does not.
    assertThat(supplementary.compareTo("\uFFFD")).isNegative();
    assertThat(FilteredListing.compareKeys(supplementary, "\uFFFD")).isPositive();
    assertThat(FilteredListing.compareKeys("\uFFFD", supplementary)).isNegative();
    assertThat(Optional.of(FilteredListing.compareKeys(supplementary, supplementary))).contains(0);
  }
}
