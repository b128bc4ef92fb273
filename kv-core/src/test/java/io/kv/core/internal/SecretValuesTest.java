package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.Capabilities;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SecretValuesTest {
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(MutableClock.fixed()).build();

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void anEnvelopeIsWhatTheEncryptionLayerStores() {
    KvStore stack = new LimitLayer(new EncryptionLayer(backend, TestKeys.single("k1")), MutableClock.fixed(),
        io.kv.core.LimitPolicy.defaults(), java.util.Map.of());
    stack.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    stack.put("vault", "k", Value.string("secret"));

    assertThat(SecretValues.isEnvelope(backend.get("vault", "k").orElseThrow().value())).isTrue();
    assertThat(SecretValues.isEnvelope(stack.get("vault", "k").orElseThrow().value())).isFalse();
    assertThat(SecretValues.isEnvelope(Value.binary(new byte[] {1, 2, 3}))).isFalse();
    assertThat(SecretValues.isEnvelope(Value.string("\u0001\u0001\u0002k1............................"))).isFalse();
  }

  @Test
  void aStackReportsHowItTreatsSecretValuesAndItsViewsToo() {
    KvStore encrypting = new LimitLayer(new EncryptionLayer(backend, TestKeys.single("k1")), MutableClock.fixed(),
        io.kv.core.LimitPolicy.defaults(), java.util.Map.of());
    KvStore plain = new PlaintextSecretGuard(backend);

    assertThat(encrypting.capabilities().secretValues()).isEqualTo(Capabilities.SecretValues.ENCRYPTED);
    assertThat(encrypting.as(Principal.of("p")).capabilities().secretValues()).isEqualTo(Capabilities.SecretValues.ENCRYPTED);
    assertThat(plain.capabilities().secretValues()).isEqualTo(Capabilities.SecretValues.REFUSED);
    assertThat(backend.capabilities().secretValues()).isEqualTo(Capabilities.SecretValues.AS_GIVEN);
    assertThat(encrypting.capabilities().withSecretValues(Capabilities.SecretValues.AS_GIVEN))
        .isEqualTo(backend.capabilities());
  }
}
