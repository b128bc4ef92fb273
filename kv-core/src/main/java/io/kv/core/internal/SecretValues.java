package io.kv.core.internal;

import io.kv.Value;
import io.kv.ValueType;
import io.kv.internal.ValueBytes;

/**
 * Whether a value is an encryption envelope as stored at rest, for export and import. How a
 * store treats secret values is what it reports in {@link io.kv.Capabilities#secretValues()}.
 * Stateless and thread-safe.
 */
public final class SecretValues {
  private SecretValues() {}

  /**
   * Whether {@code value} has the form of an encryption envelope (a {@link ValueType#BINARY}
   * value with a well-formed envelope header): what a backend holds for a value of a secret
   * namespace. It says nothing about whether the envelope opens.
   *
   * @throws NullPointerException if {@code value} is null
   */
  public static boolean isEnvelope(Value value) {
    if (value.type() != ValueType.BINARY) {
      return false;
    }
    try {
      Envelope.parse(ValueBytes.raw(value));
      return true;
    } catch (Envelope.MalformedException e) {
      return false;
    }
  }
}
