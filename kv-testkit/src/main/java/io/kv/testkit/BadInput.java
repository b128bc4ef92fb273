package io.kv.testkit;

import io.kv.KvStore;
import java.util.Objects;

/**
 * One input a store must refuse: an attempt to use a store with it, and the field the {@link
 * io.kv.InvalidInputException} must name. {@link BadInputs#all()} holds the shared corpus; {@link
 * BadInputContract} runs it. Immutable; its {@link #toString()} is its group and name, never the
 * input itself (some inputs are megabytes long).
 *
 * @param group what kind of input it is, such as {@code "key"} or {@code "ttl"}
 * @param name what is wrong with it, such as {@code "NUL"} or {@code "one byte over the limit"}
 * @param field the field the refusal must name, as {@link io.kv.InvalidInputException#field()}
 * @param attempt uses a store seeded by {@link BadInputs#seed(KvStore)} with the input
 */
public record BadInput(String group, String name, String field, Attempt attempt) {
  /** Uses a store with a bad input; builds the input itself, since building may be what fails. */
  @FunctionalInterface
  public interface Attempt {
    /**
     * Makes the attempt.
     *
     * @param store a store seeded by {@link BadInputs#seed(KvStore)}
     * @throws Exception whatever the attempt throws; the suite expects an {@link
     *     io.kv.InvalidInputException}
     */
    void run(KvStore store) throws Exception;
  }

  /**
   * Checks the components are present.
   *
   * @param group what kind of input it is, such as {@code "key"} or {@code "ttl"}
   * @param name what is wrong with it, such as {@code "NUL"} or {@code "one byte over the limit"}
   * @param field the field the refusal must name, as {@link io.kv.InvalidInputException#field()}
   * @param attempt uses a store seeded by {@link BadInputs#seed(KvStore)} with the input
   * @throws NullPointerException if a component is null
   */
  public BadInput {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(attempt, "attempt");
  }

  @Override
  public String toString() {
    return group + ": " + name;
  }
}
