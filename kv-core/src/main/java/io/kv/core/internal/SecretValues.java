package io.kv.core.internal;

import io.kv.KvStore;
import io.kv.Value;
import io.kv.ValueType;

/**
 * What export and import need to know about how a store treats secret values: whether a value is
 * an encryption envelope as stored at rest, and whether a store is a layer stack that encrypts
 * (and so decrypts what it reads). Stateless and thread-safe.
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
      Envelope.parse(value.bytes());
      return true;
    } catch (Envelope.MalformedException e) {
      return false;
    }
  }

  /**
   * Whether {@code store} is a kv-core layer stack (or a view of one) with an encryption layer:
   * it encrypts the secret values written through it and decrypts those it reads.
   *
   * @throws NullPointerException if {@code store} is null
   */
  public static boolean encrypts(KvStore store) {
    KvStore s = store;
    while (s instanceof ForwardingKvStore) {
      if (s instanceof EncryptionLayer) {
        return true;
      }
      s = ((ForwardingKvStore) s).delegate;
    }
    return false;
  }

  /**
   * Whether {@code store} is a kv-core layer stack (or a view of one), as opposed to a backend or
   * a store of the application's own.
   *
   * @throws NullPointerException if {@code store} is null
   */
  public static boolean isStack(KvStore store) {
    return store instanceof ForwardingKvStore;
  }
}
