package io.kv.core;

import io.kv.KvStore;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import io.kv.testkit.TamperedCiphertextSuite;

/** Tampered ciphertext in the memory store never reads back through the full stack. */
class KvStoresTamperedCiphertextTest extends TamperedCiphertextSuite {
  @Override
  protected KvStore newBackend(MutableClock clock) {
    return MemoryKvStore.builder().clock(clock).build();
  }

  @Override
  protected KvStore newStack(KvStore backend, MutableClock clock) {
    return KvStores.builder(backend)
        .clock(clock)
        .audit(AuditSinks.inMemory())
        .permissions(Grants.allowAll())
        .encryption(KeyRing.of("k1", MasterKeys.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")))
        .build();
  }

  @Override
  protected String subject() {
    return "memory + stack";
  }
}
