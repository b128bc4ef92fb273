package io.kv.spi;

import io.kv.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The UTF-8 rule of keys, values and listing cursors: text must be well-formed Unicode, so an
 * unpaired surrogate is refused rather than counted or encoded as a replacement character, and
 * bytes must be well-formed UTF-8 that decodes to exactly one string. Every limit measured in
 * bytes of UTF-8 is measured by {@link #encodedLength}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Utf8 {
  private Utf8() {}

  /**
   * The number of bytes {@code s} takes in UTF-8, or -1 if it holds an unpaired surrogate (which
   * UTF-8 cannot encode).
   *
   * @param s the text
   * @return the number of bytes {@code s} takes in UTF-8, or -1 if it holds an unpaired surrogate
   *     (which UTF-8 cannot encode)
   * @throws NullPointerException if {@code s} is null
   */
  public static int encodedLength(CharSequence s) {
    int n = 0;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
          n += 4;
          i++;
        } else {
          return -1;
        }
      } else if (Character.isLowSurrogate(c)) {
        return -1;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Checks that {@code s} is well-formed Unicode.
   *
   * @param s the text
   * @param field the field named in an error
   * @throws NullPointerException if {@code s} is null
   * @throws InvalidInputException naming {@code field} if {@code s} holds an unpaired surrogate
   */
  public static void requireWellFormed(CharSequence s, String field) {
    if (encodedLength(s) < 0) {
      throw new InvalidInputException(field, "must be valid Unicode (it holds an unpaired surrogate)");
    }
  }

  /**
   * The text {@code bytes} encode, refusing anything that is not well-formed UTF-8.
   *
   * @param bytes the bytes
   * @param field the field named in an error
   * @return the text {@code bytes} encode, refusing anything that is not well-formed UTF-8
   * @throws NullPointerException if {@code bytes} is null
   * @throws InvalidInputException naming {@code field} if the bytes are not well-formed UTF-8
   */
  public static String decodeStrict(byte[] bytes, String field) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(field, "must be valid UTF-8");
    }
  }
}
