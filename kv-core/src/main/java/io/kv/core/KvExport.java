package io.kv.core;

import io.kv.Capabilities;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.Page;
import io.kv.StateConflictException;
import io.kv.VersionRecord;
import io.kv.core.internal.SecretValues;
import io.kv.spi.BuilderChecks;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the namespaces and entries of a {@link KvStore} to a portable file that {@link KvImport}
 * reads into any store: to move from the memory store to a database, to seed test fixtures, or
 * to leave kv.
 *
 * <pre>{@code
 * ExportReport r = KvExport.builder(backend).build().writeTo(Path.of("kv-export.jsonl"));
 * }</pre>
 *
 * <h2>The file</h2>
 * JSON Lines (UTF-8, one JSON object per line, {@code \n} after each), format version 1:
 *
 * <ol>
 *   <li>a header: {@code {"format":"kv-export","version":1,"exportedAt":"2030-01-01T00:00:00Z"}};
 *   <li>one line per namespace declaration: {@code {"kind":"namespace","name":...,"settings":{
 *       "description","owner","secret","defaultTtl" (ISO-8601 duration or null),"maxVersions"},
 *       "createdAt","updatedAt"}};
 *   <li>one line per entry: {@code {"kind":"entry","namespace","key","type","value","encrypted",
 *       "version","createdAt","updatedAt","expiresAt" (or null),"metadata":{...},"tags":[...],
 *       "history":[{"version","type","value","change","changedBy","changedAt","reason" (or
 *       null)}, ...]}}, history newest first, its first record describing the entry itself. A
 *       value is its text for STRING, JSON, NUMBER and BOOLEAN, and standard base64 for BINARY;
 *   <li>an end line: {@code {"kind":"end","namespaces":n,"entries":m}}, so a file cut short is
 *       refused rather than half imported.
 * </ol>
 *
 * Timestamps are ISO-8601 instants in UTC. Namespaces are written in name order, entries by
 * namespace and key. {@code kv-core/EXPORT.md} describes the format in full.
 *
 * <h2>What is exported</h2>
 * By default every declared namespace with its entries; {@link Builder#namespaces} names the
 * namespaces instead (a namespace that was never declared has entries but no declaration line:
 * the contract cannot list undeclared namespaces, so name them to export them). Only live
 * entries are exported: an entry that has expired is left out. Entries are read a page of {@value
 * ListOptions#MAX_LIMIT} at a time, so a namespace of any size is exported in bounded memory. An
 * export is not a snapshot: an entry written while it runs may or may not be in the file.
 *
 * <h2>Secrets stay encrypted</h2>
 * The export writes what the given store returns. Give it the <em>backend</em> (the store beneath
 * the layer stack) and the values of secret namespaces are the envelopes stored at rest:
 * AES-256-GCM ciphertext, base64 in the file, marked {@code "encrypted":true}. The file then holds
 * no plaintext secret, and a store built with the same {@link KeyRing} over the backend the file
 * is imported into opens them, since an envelope's associated data binds only namespace and key.
 * Give it a stack with encryption and it would read decrypted values: {@link
 * Builder#allowPlaintextSecrets} guards that, and is off by default, so such an export refuses
 * the first secret entry it meets.
 *
 * <p>Immutable and thread-safe; each {@code writeTo} call is an export of its own.
 */
public final class KvExport {
  private final KvStore source;
  private final Optional<List<String>> namespaces;
  private final boolean includeHistory;
  private final boolean allowPlaintextSecrets;
  private final Clock clock;

  private KvExport(Builder b) {
    this.source = b.source;
    this.namespaces = Optional.ofNullable(b.namespaces).map(List::copyOf);
    this.includeHistory = b.includeHistory == null || b.includeHistory;
    this.allowPlaintextSecrets = b.allowPlaintextSecrets != null && b.allowPlaintextSecrets;
    this.clock = b.clock != null ? b.clock : Clock.systemUTC();
  }

  /**
   * A builder of an export of {@code source}. Pass the backend for an export whose secrets stay
   * encrypted; see the class description.
   *
   * @param source the store to export
   * @return a new builder
   * @throws NullPointerException if {@code source} is null
   */
  public static Builder builder(KvStore source) {
    return new Builder(source);
  }

  /**
   * Writes the export to {@code file}, creating it or replacing its content.
   *
   * @param file the file to write
   * @return what was written
   * @throws NullPointerException if {@code file} is null
   * @throws UncheckedIOException if the file cannot be written
   * @throws StateConflictException if a secret namespace's value reads as plaintext and plaintext
   *     secrets are not allowed; the file is then incomplete (it has no end line, and {@link
   *     KvImport} refuses it)
   * @throws io.kv.KvException if the source store fails
   */
  public ExportReport writeTo(Path file) {
    Objects.requireNonNull(file, "file");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      return export(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kv export to " + file, e);
    }
  }

  /**
   * Writes the export to {@code out} as UTF-8; flushes it, and leaves it open.
   *
   * @param out where the export goes; not closed
   * @return what was written
   * @throws NullPointerException if {@code out} is null
   * @throws UncheckedIOException if writing fails
   * @throws StateConflictException as {@link #writeTo(Path)}
   * @throws io.kv.KvException if the source store fails
   */
  public ExportReport writeTo(OutputStream out) {
    Objects.requireNonNull(out, "out");
    return writeTo(new OutputStreamWriter(out, StandardCharsets.UTF_8));
  }

  /**
   * Writes the export to {@code out}; flushes it, and leaves it open.
   *
   * @param out where the export goes; not closed
   * @return what was written
   * @throws NullPointerException if {@code out} is null
   * @throws UncheckedIOException if writing fails
   * @throws StateConflictException as {@link #writeTo(Path)}
   * @throws io.kv.KvException if the source store fails
   */
  public ExportReport writeTo(Writer out) {
    Objects.requireNonNull(out, "out");
    try {
      BufferedWriter buffered = new BufferedWriter(out);
      ExportReport report = export(buffered);
      buffered.flush();
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kv export", e);
    }
  }

  private ExportReport export(Writer out) throws IOException {
    ExportFormat.writeHeader(out, Instant.ofEpochMilli(clock.millis()));
    List<Namespace> declared = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (namespaces.isPresent()) {
      for (String name : namespaces.get()) {
        source.namespaces().get(name).ifPresent(declared::add);
        names.add(name);
      }
    } else {
      declared.addAll(source.namespaces().list());
      declared.forEach(ns -> names.add(ns.name()));
    }
    for (Namespace ns : declared) {
      ExportFormat.writeNamespace(out, ns);
    }
    boolean decrypting = source.capabilities().secretValues() == Capabilities.SecretValues.ENCRYPTED;
    long entries = 0;
    long records = 0;
    long encrypted = 0;
    long plaintext = 0;
    for (String name : names) {
      boolean secret = declared.stream().anyMatch(ns -> ns.name().equals(name) && ns.settings().secret());
      ListOptions page = ListOptions.all().limit(ListOptions.MAX_LIMIT);
      while (true) {
        Page p = source.list(name, page);
        for (Entry listed : p.entries()) {
          Optional<Snapshot> snapshot = snapshot(listed);
          if (snapshot.isEmpty()) {
            continue;
          }
          Entry e = snapshot.get().entry;
          List<VersionRecord> history = snapshot.get().history;
          boolean sealed = false;
          if (secret) {
            sealed = !decrypting && SecretValues.isEnvelope(e.value())
                && history.stream().allMatch(r -> SecretValues.isEnvelope(r.value()));
            if (!sealed && !allowPlaintextSecrets) {
              throw new StateConflictException(name, e.key(), "entry '" + name + "/" + e.key() + "' of secret namespace '" + name
                  + "' reads as plaintext: the source decrypts (a layer stack with encryption). Export from the backend"
                  + " beneath the stack to keep secrets encrypted, or allow plaintext secrets explicitly with"
                  + " allowPlaintextSecrets(true)");
            }
            if (sealed) {
              encrypted++;
            } else {
              plaintext++;
            }
          }
          ExportFormat.writeEntry(out, e, history, sealed);
          entries++;
          records += history.size();
        }
        if (!p.hasMore()) {
          break;
        }
        page = page.after(p.nextCursor().get());
      }
    }
    ExportFormat.writeEnd(out, declared.size(), entries);
    return new ExportReport(declared.size(), entries, records, encrypted, plaintext);
  }

  private static final class Snapshot {
    final Entry entry;
    final List<VersionRecord> history;

    Snapshot(Entry entry, List<VersionRecord> history) {
      this.entry = entry;
      this.history = history;
    }
  }

  /**
   * The entry with a history that matches it: a write between the listing and the history read
   * is caught by the versions, and the entry is read again. Empty if it is gone meanwhile.
   */
  private Optional<Snapshot> snapshot(Entry listed) {
    Entry e = listed;
    for (int attempt = 0; attempt < 5; attempt++) {
      if (!includeHistory) {
        return Optional.of(new Snapshot(e, List.of()));
      }
      List<VersionRecord> history = source.history(e.namespace(), e.key());
      if (!history.isEmpty() && history.get(0).version() == e.version()) {
        return Optional.of(new Snapshot(e, history));
      }
      Optional<Entry> again = source.get(e.namespace(), e.key());
      if (again.isEmpty()) {
        return Optional.empty();
      }
      e = again.get();
    }
    throw new StateConflictException(e.namespace(), e.key(), "entry '" + e.namespace() + "/" + e.key()
        + "' kept changing while it was exported; export again when writes to it have settled");
  }

  /**
   * Configures a {@link KvExport}. Each setting is checked at once and may be given only once.
   * Not thread-safe; the export it builds is.
   */
  public static final class Builder {
    private static final InputRules NAME_RULES = InputRules.defaults().withMaxNamespaceLength(Integer.MAX_VALUE);

    private final KvStore source;
    private Set<String> namespaces;
    private Boolean includeHistory;
    private Boolean allowPlaintextSecrets;
    private Clock clock;

    private Builder(KvStore source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Exports these namespaces, in this order, instead of every declared namespace. A name that
     * is not declared exports its entries without a declaration line.
     *
     * @param names the namespaces to export
     * @return this builder
     * @throws NullPointerException if {@code names} or a name is null
     * @throws IllegalArgumentException if no name is given
     * @throws io.kv.InvalidInputException if a name is not a valid namespace name
     * @throws IllegalStateException if namespaces were already given
     */
    public Builder namespaces(String... names) {
      Objects.requireNonNull(names, "names");
      if (names.length == 0) {
        throw new IllegalArgumentException("name at least one namespace, or leave namespaces(...) out to export all");
      }
      Set<String> set = new LinkedHashSet<>();
      for (String name : names) {
        NAME_RULES.checkNamespace(name);
        set.add(name);
      }
      if (namespaces != null) {
        throw new IllegalStateException("namespaces were already given");
      }
      namespaces = set;
      return this;
    }

    /**
     * Whether each entry's version history goes with it; default true. Without it, an import
     * records each entry's current version alone.
     *
     * @param include whether history records are written
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder includeHistory(boolean include) {
      includeHistory = BuilderChecks.once(includeHistory, include, "includeHistory");
      return this;
    }

    /**
     * Whether entries of secret namespaces may be written in the clear; default false, which
     * refuses the export when a value of a secret namespace is not an encryption envelope (when
     * the source is a stack that decrypts). Set it to true only for a file you will protect as
     * the secrets themselves: a plaintext export imports only through a stack with encryption.
     *
     * @param allow whether secret values may be written in the clear
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder allowPlaintextSecrets(boolean allow) {
      allowPlaintextSecrets = BuilderChecks.once(allowPlaintextSecrets, allow, "allowPlaintextSecrets");
      return this;
    }

    /**
     * The clock of the header's {@code exportedAt}; default {@link Clock#systemUTC()}.
     *
     * @param clock the clock that decides which entries have expired
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
     * Builds the export. The builder may be reused.
     *
     * @return the export
     */
    public KvExport build() {
      return new KvExport(this);
    }
  }
}
