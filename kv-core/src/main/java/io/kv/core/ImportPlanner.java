package io.kv.core;

import io.kv.AlreadyExistsException;
import io.kv.Capabilities;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NotFoundException;
import io.kv.StateConflictException;
import io.kv.VersionRecord;
import io.kv.core.ExportFormat.Contents;
import io.kv.core.ExportFormat.EntryLine;
import io.kv.core.ExportFormat.NamespaceLine;
import io.kv.core.ImportReport.NamespaceReport;
import io.kv.core.ImportReport.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The planning half of {@link KvImport}: reads the target to decide, for each namespace of an
 * export and each of its entries, what the import will do (create, update, leave unchanged,
 * skip, or pass over as expired), and refuses before any change what the conflict policy or the
 * secrecy rules forbid. It writes nothing; {@link ImportWriter} carries a plan out. Not
 * thread-safe: one planner serves one run of an import.
 */
final class ImportPlanner {
  private final KvStore target;
  private final ConflictPolicy policy;
  private final Clock clock;

  ImportPlanner(KvStore target, ConflictPolicy policy, Clock clock) {
    this.target = target;
    this.policy = policy;
    this.clock = clock;
  }

  /** The decisions for one namespace. */
  static final class Plan {
    final String name;
    Optional<NamespaceLine> declaration = Optional.empty();
    Optional<Outcome> declarationOutcome = Optional.empty();
    final List<EntryLine> entries = new ArrayList<>();
    final List<Outcome> outcomes = new ArrayList<>();

    Plan(String name) {
      this.name = name;
    }

    /** What was decided, counted by outcome, with the keys when {@code reportKeys}. */
    NamespaceReport report(boolean reportKeys) {
      Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
      Map<Outcome, List<String>> keys = new EnumMap<>(Outcome.class);
      for (int i = 0; i < entries.size(); i++) {
        Outcome o = outcomes.get(i);
        counts.merge(o, 1L, Long::sum);
        if (reportKeys) {
          keys.computeIfAbsent(o, x -> new ArrayList<>()).add(entries.get(i).entry().key());
        }
      }
      return new NamespaceReport(name, declarationOutcome, count(counts, Outcome.CREATED),
          count(counts, Outcome.UPDATED), count(counts, Outcome.UNCHANGED), count(counts, Outcome.SKIPPED),
          count(counts, Outcome.EXPIRED), keys);
    }

    private static long count(Map<Outcome, Long> counts, Outcome o) {
      return counts.getOrDefault(o, 0L);
    }
  }

  /**
   * The plans of the namespaces of {@code file} that {@code wanted} accepts, sorted by name.
   *
   * @param restoring whether the target restores entries as they are, versions and history included
   * @throws AlreadyExistsException at the first conflict, under {@link ConflictPolicy#FAIL}
   * @throws StateConflictException if a secret would be stored unencrypted or encrypted twice
   */
  Collection<Plan> plan(Contents file, Predicate<String> wanted, boolean restoring) {
    Map<String, Plan> plans = new TreeMap<>();
    for (NamespaceLine ns : file.namespaces()) {
      if (wanted.test(ns.namespace().name())) {
        plans.computeIfAbsent(ns.namespace().name(), Plan::new).declaration = Optional.of(ns);
      }
    }
    for (EntryLine e : file.entries()) {
      if (wanted.test(e.entry().namespace())) {
        plans.computeIfAbsent(e.entry().namespace(), Plan::new).entries.add(e);
      }
    }
    for (Plan plan : plans.values()) {
      planDeclaration(plan);
      checkSecrets(plan);
      planEntries(plan, restoring);
    }
    return plans.values();
  }

  private void planDeclaration(Plan plan) {
    if (plan.declaration.isEmpty()) {
      return;
    }
    NamespaceLine line = plan.declaration.get();
    Optional<Namespace> existing = target.namespaces().get(plan.name);
    Outcome outcome;
    if (existing.isEmpty()) {
      outcome = Outcome.CREATED;
    } else if (existing.get().settings().equals(line.namespace().settings())) {
      outcome = Outcome.UNCHANGED;
    } else {
      outcome = conflict(() -> new AlreadyExistsException(plan.name, null, "namespace '" + plan.name
          + "' already exists with other settings (line " + line.line() + " of the export); import with"
          + " ConflictPolicy.SKIP to keep them or OVERWRITE to replace them"));
    }
    plan.declarationOutcome = Optional.of(outcome);
  }

  /** Refuses, before any change, what would leave a secret unencrypted or encrypt it twice. */
  private void checkSecrets(Plan plan) {
    String name = plan.name;
    boolean inFile = plan.declaration.map(d -> d.namespace().settings().secret())
        .orElseGet(() -> plan.entries.stream().anyMatch(EntryLine::encrypted));
    boolean inTarget;
    Outcome declared = plan.declarationOutcome.orElse(Outcome.SKIPPED);
    if (declared == Outcome.CREATED || declared == Outcome.UPDATED || declared == Outcome.UNCHANGED) {
      inTarget = inFile;
    } else {
      inTarget = target.namespaces().get(name).map(ns -> ns.settings().secret()).orElse(false);
    }
    if (inFile != inTarget) {
      throw new StateConflictException(name, null, "namespace '" + name + "' is " + (inFile ? "secret" : "not secret")
          + " in the export but "
          + (inTarget ? "secret" : "not secret") + " in the target; declare it alike in both, or import with"
          + " ConflictPolicy.OVERWRITE to take the export's declaration");
    }
    refuseFlagChangeOverEntries(plan, inFile);
    Capabilities.SecretValues handling = target.capabilities().secretValues();
    boolean encrypts = handling == Capabilities.SecretValues.ENCRYPTED;
    for (EntryLine e : plan.entries) {
      if (e.encrypted() && !inFile) {
        throw new StateConflictException(name, e.entry().key(), "entry '" + name + "/" + e.entry().key() + "' (line "
            + e.line() + ") is marked encrypted in a namespace that is not secret");
      }
    }
    if (!inFile) {
      return;
    }
    if (handling == Capabilities.SecretValues.REFUSED) {
      throw new StateConflictException(name, null, "namespace '" + name + "' is secret, but the target is a layer"
          + " stack without encryption: build it with encryption(keyRing), or import into the backend beneath it");
    }
    for (EntryLine e : plan.entries) {
      if (e.encrypted() && encrypts) {
        throw new StateConflictException(name, e.entry().key(), "entry '" + name + "/" + e.entry().key() + "' (line "
            + e.line() + ") holds encrypted values, and the target encrypts: they would be encrypted twice."
            + " Import into the backend beneath the stack; a stack over it whose key ring holds the keys they were"
            + " sealed with reads them");
      }
      if (!e.encrypted() && !encrypts) {
        throw new StateConflictException(name, e.entry().key(), "entry '" + name + "/" + e.entry().key() + "' (line "
            + e.line() + ") of secret namespace '" + name + "' holds plaintext values, and the target does not"
            + " encrypt: import through a layer stack with encryption(keyRing)");
      }
    }
  }

  /**
   * Refuses a declaration that would change the secret flag of a namespace the target holds
   * entries in: they were stored under the old flag and would be read under the new one. An
   * encrypting target refuses such a change itself, but only when the import gets to it, after
   * the namespaces before it were written.
   */
  private void refuseFlagChangeOverEntries(Plan plan, boolean secret) {
    Outcome declared = plan.declarationOutcome.orElse(Outcome.SKIPPED);
    if (declared != Outcome.CREATED && declared != Outcome.UPDATED) {
      return;
    }
    boolean current = target.namespaces().get(plan.name).map(ns -> ns.settings().secret()).orElse(false);
    if (current == secret) {
      return;
    }
    long held;
    try {
      held = target.count(plan.name);
    } catch (NotFoundException e) {
      // A stack that requires declared namespaces: an undeclared namespace holds nothing it can see.
      return;
    }
    if (held > 0) {
      throw new StateConflictException(plan.name, null, "namespace '" + plan.name + "' is "
          + (secret ? "secret" : "not secret")
          + " in the export, and the target holds " + held + (held == 1 ? " entry" : " entries") + " in it stored "
          + (current ? "encrypted" : "unencrypted") + "; import into an empty namespace, or declare it alike in both");
    }
  }

  private void planEntries(Plan plan, boolean restoring) {
    Instant now = clock.instant();
    List<EntryLine> live = new ArrayList<>();
    for (EntryLine e : plan.entries) {
      if (!e.entry().isExpiredAt(now)) {
        live.add(e);
      }
    }
    Map<String, Entry> existing = existing(plan.name, live);
    for (EntryLine e : plan.entries) {
      if (e.entry().isExpiredAt(now)) {
        plan.outcomes.add(Outcome.EXPIRED);
        continue;
      }
      Entry cur = existing.get(e.entry().key());
      if (cur == null) {
        plan.outcomes.add(Outcome.CREATED);
      } else if (restoring ? sameVersion(cur, e) : sameContent(cur, e.entry())) {
        plan.outcomes.add(Outcome.UNCHANGED);
      } else {
        plan.outcomes.add(conflict(() -> new AlreadyExistsException(plan.name, e.entry().key(), "entry '" + plan.name + "/"
            + e.entry().key() + "' already exists with other content (line " + e.line() + " of the export); import with"
            + " ConflictPolicy.SKIP to keep it or OVERWRITE to replace it")));
      }
    }
  }

  /** What the target holds under the keys of {@code entries}, read in bulk. */
  private Map<String, Entry> existing(String namespace, List<EntryLine> entries) {
    Map<String, Entry> out = new TreeMap<>();
    for (int from = 0; from < entries.size(); from += ListOptions.MAX_LIMIT) {
      List<String> keys = new ArrayList<>();
      for (EntryLine e : entries.subList(from, Math.min(entries.size(), from + ListOptions.MAX_LIMIT))) {
        keys.add(e.entry().key());
      }
      try {
        out.putAll(target.getAll(namespace, keys));
      } catch (NotFoundException e) {
        // A stack that requires declared namespaces: the namespace is not declared yet, so it is empty.
        return Map.of();
      }
    }
    return out;
  }

  private Outcome conflict(Supplier<AlreadyExistsException> failure) {
    switch (policy) {
      case SKIP:
        return Outcome.SKIPPED;
      case OVERWRITE:
        return Outcome.UPDATED;
      case FAIL:
        throw failure.get();
      default:
        throw new AssertionError(policy);
    }
  }

  /** Whether the target holds the entry exactly as the file has it, version and history included. */
  private boolean sameVersion(Entry cur, EntryLine e) {
    // A revision numbers a change of one store; the file carries none (toMillis leaves it 0).
    if (!cur.withRevision(0).equals(toMillis(e.entry()))) {
      return false;
    }
    if (e.history().isEmpty()) {
      return true;
    }
    List<VersionRecord> held = target.history(cur.namespace(), cur.key());
    // The target may keep fewer earlier versions than the source did.
    return !held.isEmpty() && held.size() <= e.history().size() && held.equals(e.history().subList(0, held.size()));
  }

  /** Whether the target holds the entry's value, metadata, tags and expiry: all a put can write. */
  private static boolean sameContent(Entry cur, Entry e) {
    return cur.value().equals(e.value()) && cur.metadata().equals(e.metadata()) && cur.tags().equals(e.tags())
        && cur.expiresAt().map(ImportPlanner::millis).equals(e.expiresAt().map(ImportPlanner::millis));
  }

  private static Entry toMillis(Entry e) {
    return new Entry(e.namespace(), e.key(), e.value(), e.version(), millis(e.createdAt()), millis(e.updatedAt()),
        e.expiresAt().map(ImportPlanner::millis), e.metadata(), e.tags());
  }

  static Instant millis(Instant i) {
    return Instant.ofEpochMilli(i.toEpochMilli());
  }
}
