package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.Page;
import io.kv.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The base of every group of the contract suite: access to the store and clock of the running
 * {@link KvStoreContract}, and the few helpers the groups share. Groups are abstract; {@link
 * KvStoreContract} runs each as a {@code @Nested} class.
 */
abstract class ContractGroup {
  /** The namespace most tests write to; never declared, so it behaves with default settings. */
  static final String NS = "app";

  private final KvStoreContract contract;

  ContractGroup(KvStoreContract contract) {
    this.contract = contract;
  }

  final KvStore store() {
    return contract.store;
  }

  final MutableClock clock() {
    return contract.clock;
  }

  final Instant now() {
    return contract.clock.instant();
  }

  /** Moves the clock forward and returns the new instant. */
  final Instant advance(Duration amount) {
    return contract.clock.advance(amount);
  }

  final Instant advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /** Writes a STRING value under {@code key} in {@link #NS}. */
  final Entry put(String key, String text) {
    return store().put(NS, key, Value.string(text));
  }

  /** The key of each entry of {@code page}, in page order. */
  static List<String> keys(Page page) {
    return page.entries().stream().map(Entry::key).collect(Collectors.toList());
  }

  /** Asserts that {@code call} throws {@code type} and returns what it threw. */
  static <T extends Throwable> T thrown(Class<T> type, ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).as("expected %s", type.getSimpleName()).isInstanceOf(type);
    return type.cast(t);
  }

  /** Asserts that {@code call} throws an {@link InvalidInputException} naming {@code field}. */
  static InvalidInputException invalid(String field, ThrowingCallable call) {
    InvalidInputException e = thrown(InvalidInputException.class, call);
    assertThat(e.field()).as("InvalidInputException.field()").isEqualTo(field);
    return e;
  }
}
