package io.kv.core;

import io.kv.Entry;
import io.kv.EntryRestorer;
import io.kv.KvStore;
import io.kv.Namespace;
import io.kv.WriteOptions;
import io.kv.core.ExportFormat.EntryLine;
import io.kv.core.ImportReport.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The writing half of {@link KvImport}: carries out the plans of an {@link ImportPlanner},
 * restoring entries as they are into a target that restores, or writing their content with
 * {@code create} and {@code put} otherwise. Thread-safe as far as its target is; it holds no state
 * of its own.
 */
final class ImportWriter {
  private final KvStore target;
  /** The target's restorer, when it offers one: then every entry is restored, never written. */
  private final Optional<EntryRestorer> restorer;
  private final Clock clock;

  ImportWriter(KvStore target, Optional<EntryRestorer> restorer, Clock clock) {
    this.target = target;
    this.restorer = restorer;
    this.clock = clock;
  }

  /** Carries out {@code plan}: declares the namespace and writes the entries it decided to write. */
  void apply(ImportPlanner.Plan plan) {
    if (plan.declarationOutcome.isPresent()) {
      Namespace ns = plan.declaration.get().namespace();
      switch (plan.declarationOutcome.get()) {
        case CREATED:
          target.namespaces().create(ns.name(), ns.settings());
          break;
        case UPDATED:
          target.namespaces().update(ns.name(), ns.settings());
          break;
        default:
          break;
      }
    }
    for (int i = 0; i < plan.entries.size(); i++) {
      Outcome outcome = plan.outcomes.get(i);
      if (outcome == Outcome.CREATED || outcome == Outcome.UPDATED) {
        write(plan.entries.get(i), outcome);
      }
    }
  }

  private void write(EntryLine line, Outcome outcome) {
    Entry e = line.entry();
    if (restorer.isPresent()) {
      restorer.get().restore(e, line.history());
      return;
    }
    WriteOptions options = WriteOptions.none().withMetadata(e.metadata()).withTags(e.tags());
    if (!line.history().isEmpty() && line.history().get(0).reason().isPresent()) {
      options = options.withReason(line.history().get(0).reason().get());
    }
    if (e.expiresAt().isPresent()) {
      Duration ttl = Duration.ofMillis(ImportPlanner.millis(e.expiresAt().get()).toEpochMilli() - clock.millis());
      if (ttl.isNegative() || ttl.isZero()) {
        return; // it expired since the plan was made
      }
      options = options.withTtl(ttl);
    }
    if (outcome == Outcome.CREATED) {
      target.create(e.namespace(), e.key(), e.value(), options);
    } else {
      target.put(e.namespace(), e.key(), e.value(), options);
    }
  }
}
