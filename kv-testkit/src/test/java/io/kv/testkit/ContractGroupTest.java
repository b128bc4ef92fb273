package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import com.example.mapstore.MapKvStore;
import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.KvStore;
import io.kv.Subscription;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What groups of the suite report when run alone over a third-party store: skips only where the
 * store declared a feature missing, and a failure where the store is wrong in a way a check used to
 * miss.
 */
class ContractGroupTest {
  /** The outcome of each check a run finished, by status; with the message of each skip. */
  private static final class Outcomes implements TestExecutionListener {
    final List<String> passed = new ArrayList<>();
    final List<String> failed = new ArrayList<>();
    final List<String> skipReasons = new ArrayList<>();

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      if (!id.isTest()) {
        return;
      }
      switch (result.getStatus()) {
        case SUCCESSFUL -> passed.add(id.getDisplayName());
        case FAILED -> failed.add(id.getDisplayName() + ": " + result.getThrowable().map(Throwable::getMessage).orElse(""));
        case ABORTED -> skipReasons.add(result.getThrowable().map(Throwable::getMessage).orElse(""));
      }
    }
  }

  private static Outcomes run(DiscoverySelector selector) {
    Outcomes outcomes = new Outcomes();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selector).build(), outcomes);
    return outcomes;
  }

  @Test
  void aStoreOnTheTestsClockRunsEveryCheckOfTheGroupsItExtends() {
    Outcomes outcomes = run(selectClass("com.example.mapstore.MapKvStoreContractTest"));

    assertThat(outcomes.failed).isEmpty();
    assertThat(outcomes.skipReasons).isEmpty();
    assertThat(outcomes.passed).hasSizeGreaterThan(60);
  }

  @Test
  void aStoreOnItsOwnClockSkipsOnlyTheChecksThatNeedTheTestsClock() {
    Outcomes outcomes = run(selectClass("com.example.mapstore.MapKvStoreServerTimeTest"));

    assertThat(outcomes.failed).isEmpty();
    assertThat(outcomes.skipReasons).isNotEmpty()
        .allSatisfy(reason -> assertThat(reason).contains("controllableClock() is false"));
    assertThat(outcomes.passed).as("checks that need no clock of the test's still run").hasSizeGreaterThan(25);
  }

  @Test
  void aClosedSubscriptionThatHearsALateEventFailsTheEventCheck() {
    Outcomes outcomes = run(selectMethod(LateEvents.class, "afterCloseNothingMoreArrives"));

    assertThat(outcomes.passed).isEmpty();
    assertThat(outcomes.failed).singleElement().asString().contains("afterCloseNothingMoreArrives");
  }

  @Test
  void aGroupRunAloneWithoutAStoreSaysWhatToOverride() {
    Outcomes outcomes = run(selectMethod(NoStore.class, "getOfMissingKeyIsEmpty"));

    assertThat(outcomes.failed).singleElement().asString().contains("override newStore(MutableClock)");
  }

  /**
   * The map store, with subscriptions whose close only holds events back: an event for a closed
   * subscription reaches its listener when the store next publishes, so late.
   */
  static final class LateDeliveringStore extends MapKvStore {
    private final Queue<Runnable> late = new ConcurrentLinkedQueue<>();

    LateDeliveringStore(ExecutorService events) {
      super(Clock.systemUTC(), events);
    }

    @Override
    public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
      AtomicBoolean closed = new AtomicBoolean();
      super.subscribe(filter, event -> {
        if (closed.get()) {
          late.add(() -> listener.onChange(event));
        } else {
          listener.onChange(event);
        }
      });
      return () -> closed.set(true);
    }

    @Override
    protected void publish(ChangeEvent event) {
      for (Runnable delivery; (delivery = late.poll()) != null; ) {
        delivery.run();
      }
      super.publish(event);
    }
  }

  /** The event group over {@link LateDeliveringStore}; run by the launcher only. */
  static final class LateEvents extends EventContract {
    private final ExecutorService events = Executors.newSingleThreadExecutor();

    @Override
    protected KvStore newStore(MutableClock clock) {
      return new LateDeliveringStore(events);
    }

    @Override
    protected boolean controllableClock() {
      return false;
    }

    @Override
    protected void afterClose(KvStore closed) {
      events.shutdownNow();
    }
  }

  /** A group run alone that forgot to give its store; run by the launcher only. */
  static final class NoStore extends EntryContract {}
}
