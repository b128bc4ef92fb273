package io.kv.core;

import io.kv.AlreadyExistsException;
import io.kv.Capabilities;
import io.kv.Entry;
import io.kv.EntryRestorer;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NotFoundException;
import io.kv.StateConflictException;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.ExportFormat.Contents;
import io.kv.core.ExportFormat.EntryLine;
import io.kv.core.ExportFormat.NamespaceLine;
import io.kv.core.ImportReport.NamespaceReport;
import io.kv.core.ImportReport.Outcome;
import io.kv.spi.BuilderChecks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads a file written by {@link KvExport} into any {@link KvStore}, or, as a dry run, reports
 * what it would change without changing anything.
 *
 * <pre>{@code
 * KvImport importer = KvImport.builder(h2Backend).conflictPolicy(ConflictPolicy.SKIP).build();
 * ImportReport plan = importer.dryRun().readFrom(file);   // changes nothing
 * ImportReport done = importer.readFrom(file);            // the same report, with dryRun() false
 * }</pre>
 *
 * <h2>How it works</h2>
 * The whole file is read and checked first: a line that breaks the format fails the import with
 * an {@link ExportFormatException} naming the line, before anything is read from or written to
 * the target. Then the import compares each namespace declaration and entry with what the
 * target holds and decides its {@link ImportReport.Outcome outcome}; what the target already
 * holds as in the file is left alone, so an import can be run again. Conflicts (the target holds
 * something else) follow the {@link ConflictPolicy}: {@link ConflictPolicy#FAIL} (the default)
 * refuses the import at this point, before any change. A dry run stops here and returns the
 * report; a real run then writes the declarations (through {@code target.namespaces()}), then the
 * entries, and returns the same report. The import reads the whole file into memory.
 *
 * <h2>Versions, timestamps, history</h2>
 * When the target implements {@link EntryRestorer} (the memory and JDBC stores do; a layer
 * stack does not), each entry is restored exactly: version, timestamps, expiry, metadata, tags
 * and history. Otherwise each entry is written with {@code create} or {@code put}: its value,
 * metadata, tags and expiry (as a TTL from now; the namespace's default TTL applies to an entry
 * without one) and the reason of its newest history record. Versions then start again, and {@link
 * ImportReport#versionsRestored()} says so. Namespace declarations keep their settings; their
 * own timestamps are those of the import.
 *
 * <h2>Secrets</h2>
 * An entry marked {@code "encrypted":true} holds envelopes sealed by kv-core's encryption layer.
 * Import such a file into a backend (not a stack with encryption, which would encrypt them a
 * second time, and is refused), and read it through a stack with a {@link KeyRing} holding the
 * keys they were sealed with. An export written in the clear ({@link
 * KvExport.Builder#allowPlaintextSecrets}) imports only through a stack with encryption, which
 * seals the values on their way in; into a backend it is refused. A namespace that is secret in
 * the file must be secret in the target, and the other way round, and a declaration from the
 * file may change the secret flag only of a namespace in which the target holds no entries.
 * These checks also run before any change. Whether the target encrypts is what it reports in {@link
 * io.kv.Capabilities#secretValues()}, so a decorator of the application's own that forwards
 * {@code capabilities()} is treated as the store it wraps.
 *
 * <h2>Failures</h2>
 * A real run that fails while writing (the target refuses a value over its size limit, or fails)
 * leaves what it wrote; run it again with {@link ConflictPolicy#OVERWRITE} or {@link
 * ConflictPolicy#SKIP} once the cause is fixed. Writers that change the target while an import
 * runs can make the outcome differ from a dry run's.
 *
 * <p>Immutable and thread-safe; each {@code readFrom} call is an import of its own.
 */
public final class KvImport {
  private final KvStore target;
  private final ConflictPolicy policy;
  private final boolean dryRun;
  private final boolean reportKeys;
  private final Optional<Set<String>> namespaces;
  private final Clock clock;

  private KvImport(KvStore target, ConflictPolicy policy, boolean dryRun, boolean reportKeys,
      Optional<Set<String>> namespaces, Clock clock) {
    this.target = target;
    this.policy = policy;
    this.dryRun = dryRun;
    this.reportKeys = reportKeys;
    this.namespaces = namespaces;
    this.clock = clock;
  }

  /**
   * A builder of an import into {@code target}.
   *
   * @throws NullPointerException if {@code target} is null
   */
  public static Builder builder(KvStore target) {
    return new Builder(target);
  }

  /** This import as a dry run: it reads the target and the file, and changes nothing. */
  public KvImport dryRun() {
    return new KvImport(target, policy, true, reportKeys, namespaces, clock);
  }

  /** Whether this import is a dry run. */
  public boolean isDryRun() {
    return dryRun;
  }

  /**
   * Imports {@code file}.
   *
   * @return what the import did, or would do in a dry run
   * @throws NullPointerException if {@code file} is null
   * @throws UncheckedIOException if the file cannot be read
   * @throws ExportFormatException if the file is not a valid kv export; nothing was changed
   * @throws AlreadyExistsException with {@link ConflictPolicy#FAIL}, if the target holds an entry
   *     or declaration of the file with other content; nothing was changed
   * @throws StateConflictException if secret values would be stored unencrypted or encrypted
   *     twice (see the class description); nothing was changed
   * @throws io.kv.KvException if the target refuses a write or fails
   */
  public ImportReport readFrom(Path file) {
    Objects.requireNonNull(file, "file");
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return run(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the kv export " + file, e);
    }
  }

  /**
   * Imports the file {@code in} holds, as UTF-8; leaves it open.
   *
   * @return what the import did, or would do in a dry run
   * @throws NullPointerException if {@code in} is null
   * @throws UncheckedIOException if reading fails
   * @throws ExportFormatException if the file is not a valid kv export; nothing was changed
   * @throws AlreadyExistsException as {@link #readFrom(Path)}
   * @throws StateConflictException as {@link #readFrom(Path)}
   * @throws io.kv.KvException if the target refuses a write or fails
   */
  public ImportReport readFrom(InputStream in) {
    Objects.requireNonNull(in, "in");
    return readFrom(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /**
   * Imports the file {@code in} holds; leaves it open.
   *
   * @return what the import did, or would do in a dry run
   * @throws NullPointerException if {@code in} is null
   * @throws UncheckedIOException if reading fails
   * @throws ExportFormatException if the file is not a valid kv export; nothing was changed
   * @throws AlreadyExistsException as {@link #readFrom(Path)}
   * @throws StateConflictException as {@link #readFrom(Path)}
   * @throws io.kv.KvException if the target refuses a write or fails
   */
  public ImportReport readFrom(Reader in) {
    Objects.requireNonNull(in, "in");
    try {
      return run(in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the kv export", e);
    }
  }

  // ---------------------------------------------------------------- planning

  /** The decisions for one namespace. */
  private static final class Plan {
    final String name;
    Optional<NamespaceLine> declaration = Optional.empty();
    Optional<Outcome> declarationOutcome = Optional.empty();
    final List<EntryLine> entries = new ArrayList<>();
    final List<Outcome> outcomes = new ArrayList<>();

    Plan(String name) {
      this.name = name;
    }
  }

  private ImportReport run(BufferedReader in) throws IOException {
    Contents file = ExportFormat.read(in);
    boolean restoring = target instanceof EntryRestorer;
    Map<String, Plan> plans = new TreeMap<>();
    for (NamespaceLine ns : file.namespaces()) {
      if (wanted(ns.namespace().name())) {
        plans.computeIfAbsent(ns.namespace().name(), Plan::new).declaration = Optional.of(ns);
      }
    }
    for (EntryLine e : file.entries()) {
      if (wanted(e.entry().namespace())) {
        plans.computeIfAbsent(e.entry().namespace(), Plan::new).entries.add(e);
      }
    }
    for (Plan plan : plans.values()) {
      planDeclaration(plan);
      checkSecrets(plan);
      planEntries(plan, restoring);
    }
    if (!dryRun) {
      for (Plan plan : plans.values()) {
        apply(plan, restoring);
      }
    }
    List<NamespaceReport> reports = new ArrayList<>();
    for (Plan plan : plans.values()) {
      reports.add(report(plan));
    }
    return new ImportReport(dryRun, restoring, reports);
  }

  private boolean wanted(String namespace) {
    return namespaces.isEmpty() || namespaces.get().contains(namespace);
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
      throw new StateConflictException(name, null, "namespace '" + name + "' is " + (inFile ? "secret" : "not secret") + " in the export but "
          + (inTarget ? "secret" : "not secret") + " in the target; declare it alike in both, or import with"
          + " ConflictPolicy.OVERWRITE to take the export's declaration");
    }
    refuseFlagChangeOverEntries(plan, inFile);
    Capabilities.SecretValues handling = target.capabilities().secretValues();
    boolean encrypts = handling == Capabilities.SecretValues.ENCRYPTED;
    for (EntryLine e : plan.entries) {
      if (e.encrypted() && !inFile) {
        throw new StateConflictException(name, e.entry().key(), "entry '" + name + "/" + e.entry().key() + "' (line " + e.line()
            + ") is marked encrypted in a namespace that is not secret");
      }
    }
    if (!inFile) {
      return;
    }
    if (handling == Capabilities.SecretValues.REFUSED) {
      throw new StateConflictException(name, null, "namespace '" + name + "' is secret, but the target is a layer stack without"
          + " encryption: build it with encryption(keyRing), or import into the backend beneath it");
    }
    for (EntryLine e : plan.entries) {
      if (e.encrypted() && encrypts) {
        throw new StateConflictException(name, e.entry().key(), "entry '" + name + "/" + e.entry().key() + "' (line "
            + e.line() + ") holds encrypted values, and the target encrypts: they would be encrypted twice. Import into the backend beneath"
            + " the stack; a stack over it whose key ring holds the keys they were sealed with reads them");
      }
      if (!e.encrypted() && !encrypts) {
        throw new StateConflictException(name, e.entry().key(), "entry '" + name + "/" + e.entry().key() + "' (line "
            + e.line() + ") of secret namespace '" + name + "' holds plaintext values, and the target does not encrypt: import through a"
            + " layer stack with encryption(keyRing)");
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
      throw new StateConflictException(plan.name, null, "namespace '" + plan.name + "' is " + (secret ? "secret" : "not secret")
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
    if (!cur.equals(toMillis(e.entry()))) {
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
        && cur.expiresAt().map(KvImport::millis).equals(e.expiresAt().map(KvImport::millis));
  }

  // ---------------------------------------------------------------- applying

  private void apply(Plan plan, boolean restoring) {
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
        write(plan.entries.get(i), outcome, restoring);
      }
    }
  }

  private void write(EntryLine line, Outcome outcome, boolean restoring) {
    Entry e = line.entry();
    if (restoring) {
      ((EntryRestorer) target).restore(e, line.history());
      return;
    }
    WriteOptions options = WriteOptions.none().withMetadata(e.metadata()).withTags(e.tags());
    if (!line.history().isEmpty() && line.history().get(0).reason().isPresent()) {
      options = options.withReason(line.history().get(0).reason().get());
    }
    if (e.expiresAt().isPresent()) {
      Duration ttl = Duration.ofMillis(millis(e.expiresAt().get()).toEpochMilli() - clock.millis());
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

  // ---------------------------------------------------------------- reporting

  private NamespaceReport report(Plan plan) {
    Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
    Map<Outcome, List<String>> keys = new EnumMap<>(Outcome.class);
    for (int i = 0; i < plan.entries.size(); i++) {
      Outcome o = plan.outcomes.get(i);
      counts.merge(o, 1L, Long::sum);
      if (reportKeys) {
        keys.computeIfAbsent(o, x -> new ArrayList<>()).add(plan.entries.get(i).entry().key());
      }
    }
    return new NamespaceReport(plan.name, plan.declarationOutcome, count(counts, Outcome.CREATED),
        count(counts, Outcome.UPDATED), count(counts, Outcome.UNCHANGED), count(counts, Outcome.SKIPPED),
        count(counts, Outcome.EXPIRED), keys);
  }

  private static long count(Map<Outcome, Long> counts, Outcome o) {
    return counts.getOrDefault(o, 0L);
  }

  private static Entry toMillis(Entry e) {
    return new Entry(e.namespace(), e.key(), e.value(), e.version(), millis(e.createdAt()), millis(e.updatedAt()),
        e.expiresAt().map(KvImport::millis), e.metadata(), e.tags());
  }

  private static Instant millis(Instant i) {
    return Instant.ofEpochMilli(i.toEpochMilli());
  }

  /**
   * Configures a {@link KvImport}. Each setting is checked at once and may be given only once.
   * Not thread-safe; the import it builds is.
   */
  public static final class Builder {
    private final KvStore target;
    private ConflictPolicy policy;
    private Boolean dryRun;
    private Boolean reportKeys;
    private Set<String> namespaces;
    private Clock clock;

    private Builder(KvStore target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * What to do with what the target already holds with other content; default {@link
     * ConflictPolicy#FAIL}.
     *
     * @throws NullPointerException if {@code policy} is null
     * @throws IllegalStateException if a policy was already set
     */
    public Builder conflictPolicy(ConflictPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      this.policy = BuilderChecks.once(this.policy, policy, "conflictPolicy");
      return this;
    }

    /**
     * Whether to only report what the import would do, changing nothing; default false.
     *
     * @throws IllegalStateException if it was already set
     */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = BuilderChecks.once(this.dryRun, dryRun, "dryRun");
      return this;
    }

    /**
     * Whether the report lists the keys of each outcome, besides counting them; default false.
     *
     * @throws IllegalStateException if it was already set
     */
    public Builder reportKeys(boolean reportKeys) {
      this.reportKeys = BuilderChecks.once(this.reportKeys, reportKeys, "reportKeys");
      return this;
    }

    /**
     * Imports only these namespaces of the file; default all.
     *
     * @throws NullPointerException if {@code names} or a name is null
     * @throws IllegalArgumentException if no name is given
     * @throws IllegalStateException if namespaces were already given
     */
    public Builder namespaces(String... names) {
      Objects.requireNonNull(names, "names");
      if (names.length == 0) {
        throw new IllegalArgumentException("name at least one namespace, or leave namespaces(...) out to import all");
      }
      Set<String> set = new LinkedHashSet<>();
      for (String name : names) {
        set.add(Objects.requireNonNull(name, "name"));
      }
      if (namespaces != null) {
        throw new IllegalStateException("namespaces were already given");
      }
      namespaces = Collections.unmodifiableSet(set);
      return this;
    }

    /**
     * The clock that decides which entries have expired, and the TTL of entries written with
     * {@code put}; default {@link Clock#systemUTC()}. Give it the target's clock.
     *
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if a clock was already set
     */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      this.clock = BuilderChecks.once(this.clock, clock, "clock");
      return this;
    }

    /** Builds the import. The builder may be reused. */
    public KvImport build() {
      return new KvImport(target, policy != null ? policy : ConflictPolicy.FAIL, dryRun != null && dryRun,
          reportKeys != null && reportKeys, Optional.ofNullable(namespaces), clock != null ? clock : Clock.systemUTC());
    }
  }
}
