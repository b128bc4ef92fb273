package io.kv.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link KvImport} did, or, for a dry run, what it would do: the same report either way.
 * Immutable and thread-safe.
 *
 * @param dryRun whether this was a dry run, which changed nothing
 * @param versionsRestored whether entries keep their versions, timestamps and history (the
 *     target implements {@link io.kv.EntryRestorer}); when false they are written with {@code
 *     put}: versions start again at 1 (or go on from the target's), timestamps are the time of
 *     the import, and history is not carried over
 * @param namespaces one report per namespace in the file, sorted by name
 */
public record ImportReport(boolean dryRun, boolean versionsRestored, List<NamespaceReport> namespaces) {
  /**
   * Checks and copies the components.
   *
   * @param dryRun whether this was a dry run, which changed nothing
   * @param versionsRestored whether entries keep their versions, timestamps and history (the target
   *     implements {@link io.kv.EntryRestorer}); when false they are written with {@code put}:
   *     versions start again at 1 (or go on from the target's), timestamps are the time of the
   *     import, and history is not carried over
   * @param namespaces one report per namespace in the file, sorted by name
   */
  public ImportReport {
    namespaces = List.copyOf(namespaces);
  }

  /** What happened to one entry or namespace declaration of the file. */
  public enum Outcome {
    /** The target did not hold it; it was written. */
    CREATED,
    /** The target held it with other content; it was replaced ({@link ConflictPolicy#OVERWRITE}). */
    UPDATED,
    /** The target held it with the same content; nothing was written. */
    UNCHANGED,
    /** The target held it with other content and kept it ({@link ConflictPolicy#SKIP}). */
    SKIPPED,
    /** The entry had expired by the time of the import; nothing was written. */
    EXPIRED
  }

  /**
   * What the import did in one namespace.
   *
   * @param namespace the namespace's name
   * @param declaration what happened to its declaration; empty when the file holds entries of
   *     the namespace but no declaration
   * @param created how many entries were created
   * @param updated how many entries were replaced
   * @param unchanged how many entries the target already held as in the file
   * @param skipped how many entries the target held otherwise and kept
   * @param expired how many entries had expired and were left out
   * @param keys the keys by outcome, in file order; empty unless {@link
   *     KvImport.Builder#reportKeys(boolean) reportKeys(true)}
   */
  public record NamespaceReport(String namespace, Optional<Outcome> declaration, long created, long updated,
      long unchanged, long skipped, long expired, Map<Outcome, List<String>> keys) {
    /**
     * Checks and copies the components.
     *
     * @param created how many entries were created
     * @param declaration what happened to its declaration; empty when the file holds entries of the
     *     namespace but no declaration
     * @param expired how many entries had expired and were left out
     * @param keys the keys by outcome, in file order; empty unless {@link
     *     KvImport.Builder#reportKeys(boolean) reportKeys(true)}
     * @param namespace the namespace's name
     * @param skipped how many entries the target held otherwise and kept
     * @param unchanged how many entries the target already held as in the file
     * @param updated how many entries were replaced
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a count is negative
     */
    public NamespaceReport {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(declaration, "declaration");
      if (created < 0 || updated < 0 || unchanged < 0 || skipped < 0 || expired < 0) {
        throw new IllegalArgumentException("counts must not be negative");
      }
      Map<Outcome, List<String>> copy = new EnumMap<>(Outcome.class);
      keys.forEach((outcome, list) -> copy.put(outcome, List.copyOf(list)));
      keys = Collections.unmodifiableMap(copy);
    }

    /**
     * The keys with {@code outcome}, in file order; empty unless keys were asked for.
     *
     * @param outcome the outcome whose keys are asked for
     * @return the keys with {@code outcome}, in file order
     */
    public List<String> keys(Outcome outcome) {
      return keys.getOrDefault(Objects.requireNonNull(outcome, "outcome"), List.of());
    }
  }

  /**
   * The report of {@code namespace}, if the file holds it.
   *
   * @param namespace the namespace's name
   * @return the report of {@code namespace}, if the file holds it
   */
  public Optional<NamespaceReport> namespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return namespaces.stream().filter(n -> n.namespace().equals(namespace)).findFirst();
  }

  /**
   * How many entries were created, over all namespaces.
   *
   * @return how many entries were created, over all namespaces
   */
  public long created() {
    return namespaces.stream().mapToLong(NamespaceReport::created).sum();
  }

  /**
   * How many entries were replaced, over all namespaces.
   *
   * @return how many entries were replaced, over all namespaces
   */
  public long updated() {
    return namespaces.stream().mapToLong(NamespaceReport::updated).sum();
  }

  /**
   * How many entries were already as in the file, over all namespaces.
   *
   * @return how many entries were already as in the file, over all namespaces
   */
  public long unchanged() {
    return namespaces.stream().mapToLong(NamespaceReport::unchanged).sum();
  }

  /**
   * How many entries were kept as the target held them, over all namespaces.
   *
   * @return how many entries were kept as the target held them, over all namespaces
   */
  public long skipped() {
    return namespaces.stream().mapToLong(NamespaceReport::skipped).sum();
  }

  /**
   * How many entries had expired, over all namespaces.
   *
   * @return how many entries had expired, over all namespaces
   */
  public long expired() {
    return namespaces.stream().mapToLong(NamespaceReport::expired).sum();
  }
}
