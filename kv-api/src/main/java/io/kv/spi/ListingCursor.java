package io.kv.spi;

import io.kv.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The cursor a listing page hands out to resume after its last key, as every backend writes and
 * reads it: opaque to the caller, the key's UTF-8 in URL-safe Base64 behind a version tag. A
 * cursor is read back only if it decodes to well-formed UTF-8, names a key under the listing's
 * prefix and is not empty; anything else is refused with {@link InvalidInputException} naming
 * {@code "cursor"}, never silently repaired into another key.
 *
 * <p>Stateless and thread-safe.
 */
public final class ListingCursor {
  private static final String TAG = "c1.";
  private static final String FIELD = "cursor";

  private ListingCursor() {}

  /**
   * The cursor that resumes a listing after {@code lastKey}.
   *
   * @param lastKey the last key of the page just returned
   * @return the cursor that resumes a listing after {@code lastKey}
   * @throws NullPointerException if {@code lastKey} is null
   */
  public static String after(String lastKey) {
    return TAG + Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key {@code cursor} resumes after.
   *
   * @param cursor a cursor given by the caller
   * @param prefix the prefix of the listing it is given to
   * @return the key {@code cursor} resumes after
   * @throws NullPointerException if an argument is null
   * @throws InvalidInputException naming {@code "cursor"} if it was not made by {@link #after} for
   *     a listing of {@code prefix}, or does not decode to well-formed UTF-8
   */
  public static String keyOf(String cursor, String prefix) {
    if (cursor.startsWith(TAG)) {
      byte[] bytes;
      try {
        bytes = Base64.getUrlDecoder().decode(cursor.substring(TAG.length()));
      } catch (IllegalArgumentException e) {
        throw refused();
      }
      String key = Utf8.decodeStrict(bytes, FIELD);
      if (!key.isEmpty() && key.startsWith(prefix)) {
        return key;
      }
    }
    throw refused();
  }

  private static InvalidInputException refused() {
    return new InvalidInputException(FIELD, "must be a cursor returned by a listing of the same prefix");
  }
}
