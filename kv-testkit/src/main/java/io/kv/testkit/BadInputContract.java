package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.VersionRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the corpus of {@link BadInputs} against one store, alone or under layers: each input must
 * be refused with an {@link InvalidInputException} naming the corpus's field, and leave the store
 * reading back exactly as before (its namespaces, entries, versions and history). A backend runs
 * it by extending this class:
 *
 * <pre>{@code
 * class MemoryKvStoreBadInputTest extends BadInputContract {
 *   @Override
 *   protected KvStore newStore(MutableClock clock) {
 *     return MemoryKvStore.builder().clock(clock).build();
 *   }
 *
 *   @Override
 *   protected String subject() {
 *     return "memory";
 *   }
 * }
 * }</pre>
 *
 * <p>One store serves the whole corpus, seeded once by {@link BadInputs#seed(KvStore)}; each
 * input is a dynamic test named after it. When the run ends, the size of the corpus, how many of
 * its inputs were refused as required and how many fields they named are published with {@link
 * SuiteFigures} under the suite {@code bad-input} and {@link #subject()}. Not thread-safe; JUnit
 * creates one instance per test.
 */
public abstract class BadInputContract {
  private KvStore store;
  private int passed;
  private final Set<String> fields = new TreeSet<>();

  /** For subclasses. */
  protected BadInputContract() {}

  /**
   * A new, empty store whose time comes from {@code clock}; the suite closes it after the run.
   *
   * @param clock the source of time
   * @return a new, empty store whose time comes from {@code clock}
   */
  protected abstract KvStore newStore(MutableClock clock);

  /**
   * What the store is, for the published figures, e.g. {@code "memory"} or {@code "h2 + stack"}.
   *
   * @return what the store is, for the published figures
   */
  protected abstract String subject();

  /** One dynamic test per input of {@link BadInputs#all()}. */
  @TestFactory
  Stream<DynamicTest> everyBadInputIsRefusedAndChangesNothing() {
    store = newStore(MutableClock.at(KvStoreContract.START));
    BadInputs.seed(store);
    return BadInputs.all().stream().map(input -> DynamicTest.dynamicTest(input.toString(), () -> {
      // Taken afresh, so that one input a store wrongly accepts fails alone, not every one after it.
      Snapshot before = Snapshot.of(store);
      Throwable thrown = catchThrowable(() -> input.attempt().run(store));
      assertThat(thrown).as("%s", input).isInstanceOf(InvalidInputException.class);
      assertThat(((InvalidInputException) thrown).field()).as("the field %s names", input).isEqualTo(input.field());
      assertThat(Snapshot.of(store)).as("the store after %s", input).isEqualTo(before);
      passed++;
      fields.add(input.field());
    }));
  }

  /** Publishes the figures of the run and closes the store. */
  @AfterEach
  void publishAndClose() {
    if (store == null) {
      return;
    }
    store.close();
    Map<String, Long> figures = new LinkedHashMap<>();
    figures.put("inputs", (long) BadInputs.all().size());
    figures.put("refused as required", (long) passed);
    figures.put("fields named", (long) fields.size());
    SuiteFigures.publish("bad-input", subject(), figures);
  }

  /** Everything the seed wrote, as the store reads it back. */
  private record Snapshot(List<Namespace> namespaces, List<Entry> entries, List<VersionRecord> history,
      List<VersionRecord> declaredHistory, long count) {
    static Snapshot of(KvStore store) {
      List<Entry> entries = new ArrayList<>();
      for (String ns : List.of(BadInputs.NS, BadInputs.DECLARED, "fresh")) {
        entries.addAll(store.list(ns, ListOptions.all().limit(ListOptions.MAX_LIMIT)).entries());
      }
      return new Snapshot(store.namespaces().list(), entries, store.history(BadInputs.NS, BadInputs.KEY),
          store.history(BadInputs.DECLARED, BadInputs.KEY), store.count(BadInputs.NS));
    }
  }
}
