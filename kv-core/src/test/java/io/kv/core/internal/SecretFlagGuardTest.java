package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kv.ChangeFilter;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.NotFoundException;
import io.kv.StateConflictException;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SecretFlagGuardTest {
  private static final NamespaceSettings PLAIN = NamespaceSettings.defaults().withMaxVersions(3);
  private static final NamespaceSettings SECRET = PLAIN.withSecret(true);

  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore backend = MemoryKvStore.builder().clock(clock).build();
  private final ReentrantReadWriteLock fence = new ReentrantReadWriteLock();
  private final Namespaces guard = new SecretFlagGuard(backend.namespaces(), backend, fence);

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void refusesToMakeANamespaceWithEntriesSecretOrNotSecret() {
    guard.create("plain", PLAIN);
    guard.create("secret", SECRET);
    backend.put("plain", "a", Value.string("x"));
    backend.put("plain", "b", Value.string("x"));
    backend.put("secret", "a", Value.binary(new byte[40]));

    assertThatThrownBy(() -> guard.update("plain", SECRET))
        .isInstanceOf(StateConflictException.class)
        .hasMessage("cannot make namespace 'plain' secret while it holds 2 entries: they are stored unencrypted; "
            + "copy them into a new namespace with the wanted setting instead");
    assertThatThrownBy(() -> guard.update("secret", PLAIN))
        .isInstanceOfSatisfying(StateConflictException.class, e -> assertThat(e.namespace()).contains("secret"))
        .hasMessageStartingWith("cannot make namespace 'secret' not secret while it holds 1 entry: they are stored encrypted");

    assertThat(guard.get("plain").orElseThrow().settings()).isEqualTo(PLAIN);
    assertThat(guard.get("secret").orElseThrow().settings()).isEqualTo(SECRET);
  }

  @Test
  void refusesToDeclareSecretANamespaceThatAlreadyHoldsEntries() {
    backend.put("early", "k", Value.string("x"));

    assertThatThrownBy(() -> guard.create("early", SECRET))
        .isInstanceOf(StateConflictException.class)
        .hasMessageStartingWith("cannot declare namespace 'early' secret while it holds 1 entry: "
            + "they were written unencrypted before it was declared");
    assertThat(guard.get("early")).isEmpty();
    assertThat(guard.create("early", PLAIN).settings()).isEqualTo(PLAIN);
  }

  @Test
  void letsTheFlagChangeOnceTheNamespaceIsEmpty() {
    guard.create("ns", PLAIN);
    backend.put("ns", "gone", Value.string("x"));
    backend.put("ns", "expired", Value.string("x"), WriteOptions.ttl(Duration.ofSeconds(1)));
    backend.delete("ns", "gone");
    clock.advance(Duration.ofSeconds(1));

    assertThat(guard.update("ns", SECRET).settings()).isEqualTo(SECRET);
    assertThat(guard.update("ns", PLAIN).settings()).isEqualTo(PLAIN);
  }

  @Test
  void passesEveryOtherChangeThrough() {
    guard.create("ns", SECRET);
    backend.put("ns", "k", Value.binary(new byte[40]));

    assertThat(guard.update("ns", SECRET.withOwner("team").withMaxVersions(7)).settings())
        .isEqualTo(SECRET.withOwner("team").withMaxVersions(7));
    assertThat(guard.list()).hasSize(1);
    assertThatThrownBy(() -> guard.update("undeclared", SECRET)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> guard.update("ns", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> guard.create("other", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aFlagChangeWaitsForWritesInFlightAndSeesTheirEntries() throws Exception {
    guard.create("ns", PLAIN);
    CompletableFuture<Object> change;
    fence.readLock().lock();
    try {
      change = CompletableFuture.supplyAsync(() -> guard.update("ns", SECRET));
      while (!fence.hasQueuedThreads()) {
        Thread.onSpinWait();
      }
      // The writer holding the fence read the flag as not secret and now stores plaintext.
      backend.put("ns", "k", Value.string("plaintext"));
    } finally {
      fence.readLock().unlock();
    }

    assertThatThrownBy(change::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StateConflictException.class);
    assertThat(guard.get("ns").orElseThrow().settings()).isEqualTo(PLAIN);
  }

  @Test
  void aFlagChangeFromWithinAWriteIsRefusedInsteadOfDeadlocking() {
    guard.create("ns", PLAIN);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    backend.subscribe(ChangeFilter.namespace("ns"), e -> {
      try {
        guard.update("ns", SECRET);
      } catch (RuntimeException ex) {
        failures.add(ex);
      }
    });

    fence.readLock().lock();
    try {
      backend.put("ns", "k", Value.string("x"));
    } finally {
      fence.readLock().unlock();
    }

    assertThat(failures).singleElement().isInstanceOf(StateConflictException.class)
        .hasFieldOrPropertyWithValue("message",
            "the secret flag of namespace 'ns' cannot change from within a write (such as a change listener)");
    assertThat(guard.get("ns").orElseThrow().settings()).isEqualTo(PLAIN);
  }
}
