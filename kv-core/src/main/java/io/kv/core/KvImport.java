package io.kv.core;

import io.kv.AlreadyExistsException;
import io.kv.Capabilities;
import io.kv.EntryRestorer;
import io.kv.KvStore;
import io.kv.StateConflictException;
import io.kv.core.ExportFormat.Contents;
import io.kv.core.ImportReport.NamespaceReport;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * When the target offers the {@link EntryRestorer} {@link KvStore#feature feature} (the memory
 * and JDBC stores do, and so does an application's decorator that forwards {@code feature}; a
 * layer stack does not), each entry is restored exactly: version, timestamps, expiry, metadata, tags
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
   * @param target the store to import into
   * @return a new builder
   * @throws NullPointerException if {@code target} is null
   */
  public static Builder builder(KvStore target) {
    return new Builder(target);
  }

  /**
   * This import as a dry run: it reads the target and the file, and changes nothing.
   *
   * @return this import as a dry run
   */
  public KvImport dryRun() {
    return new KvImport(target, policy, true, reportKeys, namespaces, clock);
  }

  /**
   * Whether this import is a dry run.
   *
   * @return whether this import is a dry run
   */
  public boolean isDryRun() {
    return dryRun;
  }

  /**
   * Imports {@code file}.
   *
   * @param file the export file to read
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
   * @param in the export to read; not closed
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
   * @param in the export to read; not closed
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

  private ImportReport run(BufferedReader in) throws IOException {
    Contents file = ExportFormat.read(in);
    Optional<EntryRestorer> restorer = target.feature(EntryRestorer.class);
    boolean restoring = restorer.isPresent();
    Collection<ImportPlanner.Plan> plans = new ImportPlanner(target, policy, clock).plan(file, this::wanted, restoring);
    if (!dryRun) {
      ImportWriter writer = new ImportWriter(target, restorer, clock);
      for (ImportPlanner.Plan plan : plans) {
        writer.apply(plan);
      }
    }
    List<NamespaceReport> reports = new ArrayList<>();
    for (ImportPlanner.Plan plan : plans) {
      reports.add(plan.report(reportKeys));
    }
    return new ImportReport(dryRun, restoring, reports);
  }

  private boolean wanted(String namespace) {
    return namespaces.isEmpty() || namespaces.get().contains(namespace);
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
     * @param policy what to do with content the target holds otherwise
     * @return this builder
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
     * @param dryRun whether the import changes nothing
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = BuilderChecks.once(this.dryRun, dryRun, "dryRun");
      return this;
    }

    /**
     * Whether the report lists the keys of each outcome, besides counting them; default false.
     *
     * @param reportKeys whether to list the keys
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder reportKeys(boolean reportKeys) {
      this.reportKeys = BuilderChecks.once(this.reportKeys, reportKeys, "reportKeys");
      return this;
    }

    /**
     * Imports only these namespaces of the file; default all.
     *
     * @param names the namespaces to import
     * @return this builder
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
     * @param clock the clock that decides which imported entries have expired
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if a clock was already set
     */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      this.clock = BuilderChecks.once(this.clock, clock, "clock");
      return this;
    }

    /**
     * Builds the import. The builder may be reused.
     *
     * @return the import
     */
    public KvImport build() {
      return new KvImport(target, policy != null ? policy : ConflictPolicy.FAIL, dryRun != null && dryRun,
          reportKeys != null && reportKeys, Optional.ofNullable(namespaces), clock != null ? clock : Clock.systemUTC());
    }
  }
}
