package io.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class KvExceptionTest {
  @Test
  void everyEntryExceptionNamesItsNamespaceAndKeyTheSameWay() {
    KvException[] entryFailures = {
      new NotFoundException("app", "db/host"),
      new AlreadyExistsException("app", "db/host"),
      new VersionConflictException("app", "db/host", 3, OptionalLong.of(4)),
      new DecryptionException("app", "db/host", "authentication tag mismatch", null),
      new StorageException("app", "db/host", "write of 'app/db/host' failed", new IllegalStateException("driver down")),
      new PermissionDeniedException(Principal.of("bob"), "kv-entry:read", "app", "db/host"),
      new StateConflictException("app", "db/host", "entry 'app/db/host' kept changing"),
    };
    for (KvException e : entryFailures) {
      assertThat(e.namespace()).as(e.getClass().getSimpleName()).contains("app");
      assertThat(e.key()).as(e.getClass().getSimpleName()).contains("db/host");
      assertThat(e.getMessage()).as(e.getClass().getSimpleName()).contains("app").contains("db/host");
    }
  }

  @Test
  void aFailureOfAWholeNamespaceHasNoKey() {
    KvException[] namespaceFailures = {
      new NotFoundException("app", null, "namespace 'app' does not exist"),
      new AlreadyExistsException("app", null, "namespace 'app' already exists"),
      new PermissionDeniedException(Principal.of("bob"), "kv-namespace:delete", "app", null),
      new StateConflictException("app", null, "namespace 'app' still holds entries"),
      new StorageException("app", null, "count of namespace 'app' failed", new IllegalStateException("driver down")),
      new LimitExceededException("app", "maxEntriesPerNamespace", "namespace 'app' is full"),
    };
    for (KvException e : namespaceFailures) {
      assertThat(e.namespace()).as(e.getClass().getSimpleName()).contains("app");
      assertThat(e.key()).as(e.getClass().getSimpleName()).isEmpty();
    }
    assertThat(new PermissionDeniedException(Principal.of("bob"), "kv-namespace:delete", "app", null))
        .hasMessage("bob lacks kv-namespace:delete on namespace 'app'");
  }

  @Test
  void aFailureOfNoNamespaceHasNeither() {
    KvException sweep = new StorageException("expiry sweep of 3 entries failed", new IllegalStateException("driver down"));
    KvException rate = new LimitExceededException("maxOperationsPerSecond", "too many calls");

    assertThat(sweep.namespace()).isEmpty();
    assertThat(sweep.key()).isEmpty();
    assertThat(rate.namespace()).isEmpty();
    assertThat(rate.key()).isEmpty();
  }
}
