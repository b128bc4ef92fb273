package io.kv.core.internal;

import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.Page;
import io.kv.Principal;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.core.AuditAction;
import io.kv.core.AuditFailedException;
import io.kv.core.AuditFailurePolicy;
import io.kv.core.AuditRecord;
import io.kv.core.AuditSink;
import io.kv.core.TransactionalAuditSink;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit layer, outermost in the stack: writes an {@link AuditRecord} to its {@link
 * AuditSink} for every data and namespace operation, after the operation ran, stating its
 * outcome. Records never hold a value nor an exception message, only the exception's kind.
 *
 * <p>One record per operation, with the action {@link AuditAction} documents; a bulk operation
 * writes one record per distinct key it names, in the order given (one record without a key if
 * it names none, or if it fails while naming more than {@link ListOptions#MAX_LIMIT} keys, which
 * every store refuses). {@code subscribe}, {@code as}, {@code principal}, {@code capabilities}
 * and {@code close} are not audited: they read no entry (events carry no value). Because it sits
 * above the permission layer, denied calls are recorded as failures of kind {@code
 * PermissionDeniedException}.
 *
 * <p>When the sink throws, the {@link AuditFailurePolicy} decides: {@link
 * AuditFailurePolicy#FAIL_OPERATION} throws an {@link AuditFailedException} (for a write, after
 * the change took effect), {@link AuditFailurePolicy#LOG_AND_CONTINUE} logs the sink's exception
 * and returns the result. The timestamp of a record is read from the injected clock once the
 * operation completed (a successful read's from the read clock, which {@code KvStores} makes a
 * {@link TickedClock} when the application gave no clock); except with a {@link
 * TransactionalAuditSink} under {@code FAIL_OPERATION}, where the records of a change are made
 * when it starts and offered to its transaction (see there), and a failure's records once it
 * failed. Thread-safe: its settings are immutable (two caches that let records share objects are
 * written without locks, where a race only misses a reuse), and the sink must be thread-safe.
 */
public final class AuditLayer extends StackLayer {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLayer.class);

  private final AuditSink sink;
  // The sink when it can join a change's transaction and the policy lets it; else null.
  private final TransactionalAuditSink joining;
  private final AuditFailurePolicy failurePolicy;
  private final Clock clock;
  /** The time of a successful read's record: {@link #clock}, or a cheaper one it was given. */
  private final Clock readClock;
  private final Principal principal;
  private final Namespaces namespaces;
  // Reuse caches of the hot path, written without synchronisation: see now(Clock) and namespaceOf().
  private Stamp stamp = new Stamp(Long.MIN_VALUE, Instant.EPOCH);
  private Optional<String> lastNamespace = Optional.empty();

  /**
   * An audit layer over {@code delegate}.
   *
   * @param delegate the next layer down
   * @param sink where records go
   * @param failurePolicy what to do when the sink throws
   * @param clock the time of records
   * @throws NullPointerException if an argument is null
   */
  public AuditLayer(KvStore delegate, AuditSink sink, AuditFailurePolicy failurePolicy, Clock clock) {
    this(delegate, sink, failurePolicy, clock, clock);
  }

  /**
   * An audit layer over {@code delegate} that times the records of successful reads by {@code
   * readClock}, and every other record by {@code clock}: reads are most of what a store serves,
   * and {@link TickedClock} times them for a load instead of a system clock read.
   *
   * @param delegate the next layer down
   * @param sink where records go
   * @param failurePolicy what to do when the sink throws
   * @param clock the time of changes' and failures' records
   * @param readClock the time of successful reads' records
   * @throws NullPointerException if an argument is null
   */
  public AuditLayer(KvStore delegate, AuditSink sink, AuditFailurePolicy failurePolicy, Clock clock, Clock readClock) {
    super(delegate);
    this.sink = Objects.requireNonNull(sink, "sink");
    this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.readClock = Objects.requireNonNull(readClock, "readClock");
    this.joining = sink instanceof TransactionalAuditSink t && failurePolicy == AuditFailurePolicy.FAIL_OPERATION
        ? t : null;
    this.principal = delegate().principal();
    this.namespaces = new AuditedNamespaces(delegate().namespaces());
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new AuditLayer(delegate, sink, failurePolicy, clock, readClock);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Entry> get(String namespace, String key) {
    // Spelled out rather than through audit(): the read of the layer below is then a call of its
    // own here, which the JIT inlines, where a Supplier shared by every audited operation is a
    // call it cannot.
    Optional<Entry> result;
    try {
      result = delegate().get(namespace, key);
    } catch (RuntimeException | Error e) {
      write(record(now(clock), AuditAction.READ, namespace, key, e), e);
      throw e;
    }
    // The read succeeded, so namespace and key were not null.
    write(new AuditRecord(now(readClock), principal, AuditAction.READ, namespaceOf(namespace), Optional.of(key),
        true, Optional.empty()), null);
    return result;
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    return auditEach(readClock, AuditAction.READ, namespace, keys, () -> delegate().getAll(namespace, keys));
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    return audit(readClock, AuditAction.READ, namespace, key, () -> delegate().history(namespace, key));
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    return audit(readClock, AuditAction.LIST, namespace, null, () -> delegate().list(namespace, options));
  }

  @Override
  public long count(String namespace) {
    return audit(readClock, AuditAction.COUNT, namespace, null, () -> delegate().count(namespace));
  }

  // ---------------------------------------------------------------- writes

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    return auditChange(AuditAction.WRITE, namespace, key, () -> delegate().put(namespace, key, value, options));
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    return auditChange(AuditAction.WRITE, namespace, key, () -> delegate().create(namespace, key, value, options));
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    return auditChange(AuditAction.WRITE, namespace, key, () -> delegate().update(namespace, key, value, options));
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    return auditChange(AuditAction.WRITE, namespace, key,
        () -> delegate().compareAndSet(namespace, key, expectedVersion, value, options));
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    return auditEachChange(AuditAction.WRITE, namespace, values == null ? null : values.keySet(),
        () -> delegate().putAll(namespace, values, options));
  }

  @Override
  public boolean delete(String namespace, String key) {
    return auditChange(AuditAction.DELETE, namespace, key, () -> delegate().delete(namespace, key));
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    auditChange(AuditAction.DELETE, namespace, key, () -> {
      delegate().deleteIfVersion(namespace, key, expectedVersion);
      return null;
    });
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    return auditEachChange(AuditAction.DELETE, namespace, keys, () -> delegate().deleteAll(namespace, keys));
  }

  /**
   * One record per written key (WRITE) and per deleted key (DELETE), in write order, each with
   * the transaction's outcome: a transaction that failed records every key as failed.
   */
  @Override
  public TransactionResult commit(String namespace, Transaction transaction) {
    if (joining != null) {
      return joined(records(namespace, transaction, null), () -> delegate().commit(namespace, transaction),
          e -> records(namespace, transaction, e));
    }
    TransactionResult result;
    try {
      result = delegate().commit(namespace, transaction);
    } catch (RuntimeException | Error e) {
      write(records(namespace, transaction, e), e);
      throw e;
    }
    write(records(namespace, transaction, null), null);
    return result;
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    return auditChange(AuditAction.ROTATE, namespace, key, () -> delegate().rotate(namespace, key, value, options));
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    return auditChange(AuditAction.ROLLBACK, namespace, key, () -> delegate().rollback(namespace, key, toVersion, options));
  }

  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  // ---------------------------------------------------------------- recording

  /** {@link #audit} of a change, whose record joins the change's transaction when the sink can. */
  private <T> T auditChange(AuditAction action, String namespace, String key, Supplier<T> operation) {
    if (joining == null) {
      return audit(clock, action, namespace, key, operation);
    }
    return joined(List.of(record(now(clock), action, namespace, key, null)), operation,
        e -> List.of(record(now(clock), action, namespace, key, e)));
  }

  /** {@link #auditEach} of a change, whose records join the change's transaction when the sink can. */
  private <T> T auditEachChange(AuditAction action, String namespace, Collection<String> keys, Supplier<T> operation) {
    if (joining == null) {
      return auditEach(clock, action, namespace, keys, operation);
    }
    return joined(records(clock, action, namespace, keys, null), operation, e -> records(clock, action, namespace, keys, e));
  }

  /**
   * Runs a change with its success records offered to its transaction; records them after it
   * unless they were committed with it, or records the failure's records if it failed.
   */
  private <T> T joined(List<AuditRecord> ifSucceeds, Supplier<T> operation,
      Function<Throwable, List<AuditRecord>> ifFails) {
    T result;
    boolean committed;
    try (TransactionalAuditSink.Enlistment enlistment = joining.enlist(ifSucceeds)) {
      result = operation.get();
      committed = enlistment.committed();
    } catch (RuntimeException | Error e) {
      write(ifFails.apply(e), e);
      throw e;
    }
    if (!committed) {
      write(ifSucceeds, null);
    }
    return result;
  }

  /** Runs {@code operation} and records it, a success timed by {@code success}, a failure by {@link #clock}. */
  private <T> T audit(Clock success, AuditAction action, String namespace, String key, Supplier<T> operation) {
    T result;
    try {
      result = operation.get();
    } catch (RuntimeException | Error e) {
      write(record(now(clock), action, namespace, key, e), e);
      throw e;
    }
    write(record(now(success), action, namespace, key, null), null);
    return result;
  }

  private <T> T auditEach(Clock success, AuditAction action, String namespace, Collection<String> keys, Supplier<T> operation) {
    T result;
    try {
      result = operation.get();
    } catch (RuntimeException | Error e) {
      write(records(clock, action, namespace, keys, e), e);
      throw e;
    }
    write(records(success, action, namespace, keys, null), null);
    return result;
  }

  /** One record per distinct key, or one without a key; see the class comment. */
  private List<AuditRecord> records(Clock at, AuditAction action, String namespace, Collection<String> keys, Throwable failure) {
    Instant now = now(at);
    if (keys == null || keys.isEmpty() || (failure != null && keys.size() > ListOptions.MAX_LIMIT)) {
      return List.of(record(now, action, namespace, null, failure));
    }
    List<AuditRecord> out = new ArrayList<>(keys.size());
    for (String key : new LinkedHashSet<>(keys)) {
      out.add(record(now, action, namespace, key, failure));
    }
    return out;
  }

  /** One record per write of {@code transaction}, or one without a key when there is no transaction. */
  private List<AuditRecord> records(String namespace, Transaction transaction, Throwable failure) {
    Instant now = now(clock);
    if (transaction == null) {
      return List.of(record(now, AuditAction.WRITE, namespace, null, failure));
    }
    List<AuditRecord> out = new ArrayList<>(transaction.writes().size());
    for (Transaction.Write w : transaction.writes()) {
      AuditAction action = w.kind() == Transaction.Write.Kind.DELETE ? AuditAction.DELETE : AuditAction.WRITE;
      out.add(record(now, action, namespace, w.key(), failure));
    }
    return out;
  }

  /**
   * The time of a record, to the millisecond like every timestamp of kv: {@link Clock#millis()}
   * is a cheaper read of the system clock than {@link Clock#instant()}, and a read of an
   * audited stack pays it on every call.
   */
  private Instant now(Clock from) {
    if (from instanceof TickedClock ticked) {
      // Its Instant is made once per tick and shared: nothing to cache here.
      return ticked.instant();
    }
    long millis = from.millis();
    // Records of one millisecond share their Instant: an audited get allocates what its record
    // needs and little more. A stale read of the field by another thread is only a missed reuse.
    Stamp last = stamp;
    if (last.millis == millis) {
      return last.instant;
    }
    Instant instant = Instant.ofEpochMilli(millis);
    stamp = new Stamp(millis, instant);
    return instant;
  }

  private AuditRecord record(Instant at, AuditAction action, String namespace, String key, Throwable failure) {
    return new AuditRecord(at, principal, action, namespaceOf(namespace), Optional.ofNullable(key),
        failure == null, failure == null ? Optional.empty() : Optional.of(AuditRecord.errorKindOf(failure)));
  }

  /** {@code namespace} as a record holds it, reusing the last one when the caller passes the same string. */
  private Optional<String> namespaceOf(String namespace) {
    if (namespace == null) {
      return Optional.empty();
    }
    Optional<String> last = lastNamespace;
    if (last.isPresent() && last.get() == namespace) {
      return last;
    }
    Optional<String> wrapped = Optional.of(namespace);
    lastNamespace = wrapped;
    return wrapped;
  }

  /** A millisecond and its Instant, published together (both final). */
  private record Stamp(long millis, Instant instant) {}

  /**
   * Hands every record to the sink, even when one of them fails. Under FAIL_OPERATION the first
   * failure is thrown once all were tried, or added to the operation's own exception.
   */
  private void write(List<AuditRecord> records, Throwable operationFailure) {
    AuditFailedException failed = null;
    for (AuditRecord r : records) {
      try {
        sink.record(r);
      } catch (RuntimeException e) {
        failed = sinkFailed(r, e, failed);
      }
    }
    raise(failed, operationFailure);
  }

  /** {@link #write(List, Throwable)} of one record, without a list: the path of every single-key call. */
  private void write(AuditRecord record, Throwable operationFailure) {
    try {
      sink.record(record);
    } catch (RuntimeException e) {
      raise(sinkFailed(record, e, null), operationFailure);
    }
  }

  /** Logs or collects a failure of the sink, by the policy; returns the failure to raise, if any. */
  private AuditFailedException sinkFailed(AuditRecord r, RuntimeException e, AuditFailedException earlier) {
    if (failurePolicy == AuditFailurePolicy.LOG_AND_CONTINUE) {
      // The record holds no value, so it is safe to log.
      LOG.error("audit sink failed to record {}; the operation goes on (LOG_AND_CONTINUE)", r, e);
      return earlier;
    }
    if (earlier == null) {
      return new AuditFailedException(r, e);
    }
    earlier.addSuppressed(e);
    return earlier;
  }

  private static void raise(AuditFailedException failed, Throwable operationFailure) {
    if (failed == null) {
      return;
    }
    if (operationFailure == null) {
      throw failed;
    }
    operationFailure.addSuppressed(failed);
  }

  @Override
  public String toString() {
    return "AuditLayer[" + sink + ", " + failurePolicy + "] -> " + delegate();
  }

  /** Namespace administration, audited with the {@code NAMESPACE_*} actions. */
  private final class AuditedNamespaces extends ForwardingNamespaces {
    AuditedNamespaces(Namespaces delegate) {
      super(delegate);
    }

    @Override
    public Namespace create(String name, NamespaceSettings settings) {
      return auditChange(AuditAction.NAMESPACE_CREATE, name, null, () -> delegate().create(name, settings));
    }

    @Override
    public Optional<Namespace> get(String name) {
      return audit(readClock, AuditAction.NAMESPACE_READ, name, null, () -> delegate().get(name));
    }

    @Override
    public List<Namespace> list() {
      return audit(readClock, AuditAction.NAMESPACE_LIST, null, null, delegate()::list);
    }

    @Override
    public Namespace update(String name, NamespaceSettings settings) {
      return auditChange(AuditAction.NAMESPACE_UPDATE, name, null, () -> delegate().update(name, settings));
    }

    @Override
    public boolean delete(String name, DeleteMode mode) {
      return auditChange(AuditAction.NAMESPACE_DELETE, name, null, () -> delegate().delete(name, mode));
    }
  }
}
