package io.kv.micrometer;

import io.kv.Entry;
import io.kv.ForwardingKvStore;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespaces;
import io.kv.Page;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Times every entry operation of its delegate, and through {@link #namespaces()} every namespace
 * operation, in {@link OperationTimers}. A {@code get} that finds nothing and a {@code delete}
 * that deletes nothing end {@code not_found}: the key was not there, as a {@code
 * NotFoundException} from {@code update} would say. Views for a principal are timed into the same
 * timers. Thread-safe.
 */
final class TimedKvStore extends ForwardingKvStore {
  private final OperationTimers timers;

  TimedKvStore(KvStore delegate, OperationTimers timers) {
    super(delegate);
    this.timers = timers;
  }

  @Override
  protected KvStore over(KvStore view) {
    return new TimedKvStore(view, timers);
  }

  // By hand: the hottest call allocates no lambda.
  @Override
  public Optional<Entry> get(String namespace, String key) {
    long start = timers.start();
    Outcome outcome = Outcome.ERROR;
    try {
      Optional<Entry> entry = delegate().get(namespace, key);
      outcome = entry.isPresent() ? Outcome.SUCCESS : Outcome.NOT_FOUND;
      return entry;
    } catch (RuntimeException | Error e) {
      outcome = Outcome.of(e);
      throw e;
    } finally {
      timers.record(Operation.GET, namespace, outcome, start);
    }
  }

  @Override
  public boolean delete(String namespace, String key) {
    return timers.time(Operation.DELETE, namespace, () -> delegate().delete(namespace, key), Boolean::booleanValue);
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    return timers.time(Operation.GET_ALL, namespace, () -> delegate().getAll(namespace, keys));
  }

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    return timers.time(Operation.PUT, namespace, () -> delegate().put(namespace, key, value, options));
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    return timers.time(Operation.CREATE, namespace, () -> delegate().create(namespace, key, value, options));
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    return timers.time(Operation.UPDATE, namespace, () -> delegate().update(namespace, key, value, options));
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    return timers.time(Operation.COMPARE_AND_SET, namespace,
        () -> delegate().compareAndSet(namespace, key, expectedVersion, value, options));
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    timers.time(Operation.DELETE_IF_VERSION, namespace, () -> {
      delegate().deleteIfVersion(namespace, key, expectedVersion);
      return null;
    });
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    return timers.time(Operation.PUT_ALL, namespace, () -> delegate().putAll(namespace, values, options));
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    return timers.time(Operation.DELETE_ALL, namespace, () -> delegate().deleteAll(namespace, keys));
  }

  @Override
  public TransactionResult commit(String namespace, Transaction transaction) {
    return timers.time(Operation.COMMIT, namespace, () -> delegate().commit(namespace, transaction));
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    return timers.time(Operation.LIST, namespace, () -> delegate().list(namespace, options));
  }

  @Override
  public long count(String namespace) {
    return timers.time(Operation.COUNT, namespace, () -> delegate().count(namespace));
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    return timers.time(Operation.ROTATE, namespace, () -> delegate().rotate(namespace, key, value, options));
  }

  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    return timers.time(Operation.ROLLBACK, namespace, () -> delegate().rollback(namespace, key, toVersion, options));
  }

  @Override
  public List<VersionRecord> history(String namespace, String key) {
    return timers.time(Operation.HISTORY, namespace, () -> delegate().history(namespace, key));
  }

  @Override
  public Namespaces namespaces() {
    return new TimedNamespaces(delegate().namespaces(), timers);
  }
}
