package io.kv.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.InvalidInputException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ListingCursorTest {
  @Test
  void aCursorRoundTripsItsKey() {
    String key = "config/db/h\u00F4st/\uD83D\uDE00";
    assertThat(ListingCursor.keyOf(ListingCursor.after(key), "config/")).isEqualTo(key);
  }

  @Test
  void aCursorFromAnotherPrefixOrGarbageIsRefusedNamingTheCursor() {
    String cursor = ListingCursor.after("config/db");
    for (String bad : new String[] {"nonsense", "", "c1.***", "c1.", cursor.substring(1)}) {
      assertThatThrownBy(() -> ListingCursor.keyOf(bad, ""))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
    }
    assertThatThrownBy(() -> ListingCursor.keyOf(cursor, "other/")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aCursorWhoseBytesAreNotWellFormedUtf8IsRefused() {
    String tag = ListingCursor.after("a").substring(0, 3);
    byte[][] malformed = {{'a', (byte) 0xC3}, {'a', (byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
    for (byte[] bytes : malformed) {
      String cursor = tag + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      assertThatThrownBy(() -> ListingCursor.keyOf(cursor, ""))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
    }
  }
}
