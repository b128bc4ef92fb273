package io.kv.benchmarks;

import io.kv.KvStore;
import io.kv.Principal;
import io.kv.core.AuditSink;
import io.kv.core.Grants;
import io.kv.core.KeyRing;
import io.kv.core.KvStores;
import io.kv.core.MasterKeys;
import io.kv.core.Permission;

/**
 * The layer stacks the benchmarks measure, built with {@link KvStores#builder} as an application
 * builds them. Stateless.
 */
final class Stacks {
  /** The principal the full stack acts for. */
  static final Principal READER = Principal.of("bench-service");

  /** A fixed 32-byte master key, base64: benchmark data, not a secret. */
  private static final String MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  private Stacks() {}

  /** A key ring of one fixed key, as {@code MasterKeys.fromEnvironment} would give one. */
  static KeyRing keyRing() {
    return KeyRing.of("k1", MasterKeys.fromBase64(MASTER_KEY));
  }

  /** Encryption configured; audit and permissions off. */
  static KvStore encrypting(KvStore backend) {
    return KvStores.builder(backend).encryption(keyRing()).build();
  }

  /**
   * Encryption, {@link Grants} that give {@link #READER} every permission on {@code namespace},
   * and an audit sink that drops its records; the view acting for {@link #READER}.
   */
  static KvStore full(KvStore backend, String namespace) {
    AuditSink drop = record -> { };
    return KvStores.builder(backend)
        .encryption(keyRing())
        .permissions(Grants.builder()
            .grant(READER, Permission.ENTRY_READ, namespace)
            .grant(READER, Permission.ENTRY_WRITE, namespace)
            .build())
        .audit(drop)
        .build()
        .as(READER);
  }
}
