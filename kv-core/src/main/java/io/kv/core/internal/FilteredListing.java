package io.kv.core.internal;

import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Page;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A listing that shows only the entries a predicate accepts, with full pages and exact {@link
 * Page#hasMore()}: when filtering shrinks a page of the store below, it fetches more until the
 * page is full or the listing ends, and it looks ahead for one more visible entry before it
 * promises more.
 *
 * <p>A page can end in the middle of a page of the store below, whose cursors are opaque, so the
 * cursors handed out are this class's own:
 * <ul>
 *   <li>{@code "pa" + below}: continue at the store's cursor {@code below}, when that resumes
 *       right after the last entry shown (no hidden entry lies between);
 *   <li>{@code "pb" + base64url(lastKey) + "." + below}: fetch at {@code below}, the position of
 *       the store's page that held the last entry shown, and skip keys up to {@code lastKey};
 *   <li>{@code "pc" + base64url(lastKey)}: the same from the start of the listing.
 * </ul>
 * So the next page always starts right after the last key shown, in code point order, which
 * stays correct when entries come and go between the calls, as the store's own cursors do.
 * A cursor grants nothing: every entry still passes the predicate.
 */
final class FilteredListing {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private FilteredListing() {}

  /**
   * One page of {@code namespace} from {@code store}, showing only entries {@code visible} accepts.
   *
   * @throws InvalidInputException if the cursor is not one this class made for this prefix
   */
  static Page list(KvStore store, String namespace, ListOptions options, Predicate<Entry> visible) {
    String prefix = options.prefix();
    int limit = options.limit();
    Optional<String> fetch = Optional.empty();
    String after = null;
    if (options.cursor().isPresent()) {
      String c = options.cursor().get();
      if (c.startsWith("pa")) {
        fetch = Optional.of(c.substring(2));
      } else if (c.startsWith("pb") && c.indexOf('.') > 2) {
        int dot = c.indexOf('.');
        after = keyOf(c.substring(2, dot), prefix);
        fetch = Optional.of(c.substring(dot + 1));
      } else if (c.startsWith("pc")) {
        after = keyOf(c.substring(2), prefix);
      } else {
        throw badCursor();
      }
    }

    List<Entry> out = new ArrayList<>(Math.min(limit, 64));
    // Where the page holding the last entry shown was fetched, and whether hidden entries follow it.
    Optional<String> lastFetch = Optional.empty();
    boolean hiddenSinceLast = false;
    int fetchSize = limit;
    boolean probed = false;
    // The first fetch's revision: resuming from it misses no change to what later fetches showed.
    long revision = -1;
    while (true) {
      Page page = store.list(namespace, new ListOptions(prefix, fetch, fetchSize));
      if (revision < 0) {
        revision = page.revision();
      }
      boolean lastFromThisPage = false;
      for (Entry e : page.entries()) {
        if (after != null && compareKeys(e.key(), after) <= 0) {
          continue;
        }
        if (!visible.test(e)) {
          hiddenSinceLast = true;
          continue;
        }
        if (out.size() == limit) {
          // Another visible entry follows. When it is the first entry after the page holding the
          // last one shown, that page's next cursor (the one this page was fetched with) resumes
          // right after the last one shown; otherwise resume after its key, from its page.
          boolean adjacent = !hiddenSinceLast && !lastFromThisPage;
          String next = adjacent ? "pa" + fetch.orElseThrow() : cursorAfter(out.get(limit - 1).key(), lastFetch);
          return new Page(out, Optional.of(next), revision);
        }
        out.add(e);
        lastFetch = fetch;
        lastFromThisPage = true;
        hiddenSinceLast = false;
      }
      if (page.nextCursor().isEmpty()) {
        return new Page(out, Optional.empty(), revision);
      }
      fetch = page.nextCursor();
      after = null;
      // A full page only needs to know whether one more entry is visible: probe with one entry
      // first, which is all a listing without filtering ever needs, then go on in full pages.
      boolean full = out.size() == limit;
      fetchSize = full && !probed ? 1 : limit;
      probed |= full;
    }
  }

  private static String cursorAfter(String lastKey, Optional<String> fetchedAt) {
    String key = B64.encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    return fetchedAt.map(below -> "pb" + key + "." + below).orElse("pc" + key);
  }

  private static String keyOf(String encoded, String prefix) {
    try {
      String key = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
      if (!key.isEmpty() && key.startsWith(prefix)) {
        return key;
      }
    } catch (IllegalArgumentException e) {
      // not base64: reported below
    }
    throw badCursor();
  }

  private static InvalidInputException badCursor() {
    return new InvalidInputException("cursor", "must be a cursor returned by a listing of the same prefix");
  }

  /**
   * Compares keys by Unicode code point, the order of listings. {@link String#compareTo} differs
   * only where a surrogate (half of a code point above U+FFFF) meets a character from U+E000 on.
   */
  static int compareKeys(String a, String b) {
    for (int i = 0, n = Math.min(a.length(), b.length()); i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        boolean sx = Character.isSurrogate(x);
        return sx != Character.isSurrogate(y) ? (sx ? 1 : -1) : x - y;
      }
    }
    return a.length() - b.length();
  }
}
