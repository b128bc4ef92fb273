package io.kv.core;

import io.kv.ConfigurationException;
import io.kv.core.internal.KeyMaterial;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Makes {@link MasterKey}s from base64 text: given directly, read from an environment variable, or
 * returned by a {@link KeyProvider}. The text must be standard base64 (RFC 4648 section 4; padding
 * optional, surrounding whitespace ignored) of exactly 32 random bytes, such as the output of
 * {@code openssl rand -base64 32}.
 *
 * <p>Every method checks the key at once, so a missing or malformed key fails while the
 * application builds its {@link KeyRing}, not at the first secret read. Error messages say where
 * the key came from and what is wrong with it, and never contain the key text or any part of it.
 * A key that the environment or a provider failed to supply is a {@link ConfigurationException};
 * text the code passed in itself is an argument, refused with {@code IllegalArgumentException}.
 * Thread-safe; the class has no state.
 */
public final class MasterKeys {
  /** The environment variable {@link #fromEnvironment()} reads: {@value}. */
  public static final String DEFAULT_VARIABLE = "KV_MASTER_KEY";

  /** The form a key must take, for error messages. */
  private static final String FORM = "expected base64 of " + MasterKey.LENGTH + " random bytes, as `openssl rand -base64 32` prints";

  private MasterKeys() {}

  /**
   * A master key from its base64 text.
   *
   * @param base64 the key as base64 text
   * @return a master key from its base64 text
   * @throws NullPointerException if {@code base64} is null
   * @throws IllegalArgumentException if the text is not base64 of exactly 32 bytes
   */
  public static MasterKey fromBase64(String base64) {
    Objects.requireNonNull(base64, "base64");
    return decode(base64, "the master key", IllegalArgumentException::new);
  }

  /**
   * The master key in environment variable {@value #DEFAULT_VARIABLE}.
   *
   * @return the master key in environment variable {@value #DEFAULT_VARIABLE}
   * @throws ConfigurationException if the variable is not set, its value is blank, or its text is
   *     not base64 of exactly 32 bytes; the message names the variable, never its value
   */
  public static MasterKey fromEnvironment() {
    return fromEnvironment(DEFAULT_VARIABLE);
  }

  /**
   * The master key in environment variable {@code variable}.
   *
   * @param variable the name of the environment variable
   * @return the master key in environment variable {@code variable}
   * @throws NullPointerException if {@code variable} is null
   * @throws IllegalArgumentException if {@code variable} is blank
   * @throws ConfigurationException if the variable is not set, its value is blank, or its text is
   *     not base64 of exactly 32 bytes; the message names the variable, never its value
   */
  public static MasterKey fromEnvironment(String variable) {
    return fromEnvironment(variable, System::getenv);
  }

  /** {@link #fromEnvironment(String)} over another environment, for tests. */
  static MasterKey fromEnvironment(String variable, UnaryOperator<String> environment) {
    Objects.requireNonNull(variable, "variable");
    if (variable.isBlank()) {
      throw new IllegalArgumentException("the name of the master key's environment variable must not be blank");
    }
    String text = environment.apply(variable);
    if (text == null || text.isBlank()) {
      throw new ConfigurationException("environment variable " + variable + " is not set or is blank: it must hold the master key "
          + "as base64 of " + MasterKey.LENGTH + " bytes");
    }
    return decode(text, "the master key in environment variable " + variable, ConfigurationException::new);
  }

  /**
   * The master key with id {@code keyId} from {@code provider}.
   *
   * @param provider where the key is kept
   * @param keyId the id of the key in the provider
   * @return the master key with id {@code keyId} from {@code provider}
   * @throws NullPointerException if an argument is null, or the provider returns null
   * @throws IllegalArgumentException if {@code keyId} is not a valid key id (see {@link
   *     KeyRing.Builder#add})
   * @throws ConfigurationException if the provider holds no key by that id, or its text is not
   *     base64 of exactly 32 bytes; the message names the key id, never the text
   */
  public static MasterKey fromProvider(KeyProvider provider, String keyId) {
    Objects.requireNonNull(provider, "provider");
    KeyMaterial.checkKeyId(keyId);
    Optional<String> text = Objects.requireNonNull(provider.base64Key(keyId), "the key provider returned null");
    if (text.isEmpty() || text.get().isBlank()) {
      throw new ConfigurationException("the key provider has no master key with id '" + keyId + "'");
    }
    return decode(text.get(), "master key '" + keyId + "' from the key provider", ConfigurationException::new);
  }

  /**
   * Decodes base64 text of a key. The decoder's own exception is dropped on purpose: its message
   * quotes the offending character, which is part of the key. {@code refusal} makes the exception:
   * an argument error for text the caller passed, a configuration error for text from outside.
   */
  private static MasterKey decode(String text, String what, Function<String, RuntimeException> refusal) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw refusal.apply(what + " is not valid base64 (RFC 4648 standard alphabet); " + FORM);
    }
    if (bytes.length != MasterKey.LENGTH) {
      int n = bytes.length;
      Arrays.fill(bytes, (byte) 0);
      throw refusal.apply(what + " must decode to exactly " + MasterKey.LENGTH + " bytes (was " + n + "); " + FORM);
    }
    return new MasterKey(bytes);
  }
}
