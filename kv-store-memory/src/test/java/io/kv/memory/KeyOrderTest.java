package io.kv.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOrderTest {

  @Test
  void sortsByCodePointLikeUtf8Bytes() {
    // U+FFFD sorts before U+1F600 by code point, but after its surrogate pair by UTF-16 unit.
    List<String> keys = Arrays.asList("\uD83D\uDE00", "\uFFFD", "a", "B", "a/b", "a-b", "é");
    keys.sort(KeyOrder.CODE_POINT);

    List<String> byBytes = Arrays.asList(keys.toArray(new String[0]));
    byBytes.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
    assertThat(keys).containsExactlyElementsOf(byBytes).containsExactly("B", "a", "a-b", "a/b", "é", "\uFFFD", "\uD83D\uDE00");
  }
}
