package io.kv.memory;

import java.util.Arrays;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;

/**
 * What the module's Lincheck tests share: hand-written scenarios of operations with int
 * parameters, and the model-checking settings they run with (two threads of three operations).
 */
final class LincheckScenarios {
  private LincheckScenarios() {}

  /** The call of {@code operation} of {@code test}, a method whose parameters are all ints. */
  static Actor actor(Class<?> test, String operation, Object... args) {
    Class<?>[] types = new Class<?>[args.length];
    Arrays.fill(types, int.class);
    try {
      return new Actor(test.getMethod(operation, types), List.of(args));
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  /** A scenario of two threads, after {@code init} has run alone. */
  static ExecutionScenario parallel(List<Actor> init, List<Actor> first, List<Actor> second) {
    return new ExecutionScenario(init, List.of(first, second), List.of(), null);
  }

  /**
   * Model checking of {@code scenarios} random scenarios and every one of {@code targeted}, each
   * explored in {@code invocations} interleavings, against {@code spec}.
   */
  static ModelCheckingOptions modelChecking(List<ExecutionScenario> targeted, int scenarios, int invocations,
      Class<?> spec) {
    ModelCheckingOptions options = new ModelCheckingOptions();
    targeted.forEach(options::addCustomScenario);
    return options
        .iterations(scenarios)
        .invocationsPerIteration(invocations)
        .threads(2)
        .actorsPerThread(3)
        .sequentialSpecification(spec);
  }
}
