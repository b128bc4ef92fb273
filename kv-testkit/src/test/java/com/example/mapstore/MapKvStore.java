package com.example.mapstore;

import io.kv.AlreadyExistsException;
import io.kv.Capabilities;
import io.kv.ChangeEvent;
import io.kv.ChangeFilter;
import io.kv.ChangeListener;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.NotFoundException;
import io.kv.Page;
import io.kv.Principal;
import io.kv.RevisionCompactedException;
import io.kv.Subscription;
import io.kv.Transaction;
import io.kv.TransactionResult;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import io.kv.spi.TransactionChecks;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * A key-value store in sorted maps, written against kv-api alone, as the author of a backend
 * outside kv would write one. It keeps single entries, conditional writes, TTLs by its clock,
 * prefix listing, namespace declarations and change events, delivered on an executor the caller
 * gives. It keeps no version history ({@link #rotate} replaces the value; {@link #rollback} and
 * {@link #history} are unsupported), its bulk writes are not atomic, and it applies none of kv's
 * input rules beyond those kv-api's value types check.
 *
 * <p>Thread-safe: every operation holds one lock shared by the store and its views.
 */
public class MapKvStore implements KvStore {
  /** What the store and all its views share. */
  private static final class State {
    final Clock clock;
    final Executor events;
    final Map<String, TreeMap<String, Entry>> spaces = new TreeMap<>();
    final Map<String, Namespace> namespaces = new TreeMap<>();
    final List<Listening> listening = new CopyOnWriteArrayList<>();
    boolean closed;

    State(Clock clock, Executor events) {
      this.clock = clock;
      this.events = events;
    }
  }

  private record Listening(ChangeFilter filter, ChangeListener listener) {}

  private final State state;
  private final Principal principal;

  /**
   * A new, empty store.
   *
   * @param clock the time of its timestamps and expiries
   * @param events where listeners run
   */
  public MapKvStore(Clock clock, Executor events) {
    this(new State(Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(events, "events")),
        Principal.ANONYMOUS);
  }

  private MapKvStore(State state, Principal principal) {
    this.state = state;
    this.principal = principal;
  }

  /** Whether {@link #close()} was called on the store (not on a view). */
  public boolean isClosed() {
    synchronized (state) {
      return state.closed;
    }
  }

  private Instant now() {
    return Instant.ofEpochMilli(state.clock.millis());
  }

  private TreeMap<String, Entry> space(String namespace) {
    return state.spaces.computeIfAbsent(Objects.requireNonNull(namespace, "namespace"), n -> new TreeMap<>());
  }

  /** The entry of {@code key} if it has not expired; an expired one is dropped on the way. */
  private Entry live(String namespace, String key) {
    TreeMap<String, Entry> space = space(namespace);
    Entry e = space.get(Objects.requireNonNull(key, "key"));
    if (e != null && e.isExpiredAt(now())) {
      space.remove(key);
      return null;
    }
    return e;
  }

  private Entry write(String namespace, String key, Value value, WriteOptions options, Entry current, ChangeType type) {
    Objects.requireNonNull(value, "value");
    Instant now = now();
    Entry next = new Entry(namespace, key, value, current == null ? 1 : current.version() + 1,
        current == null ? now : current.createdAt(), now, options.ttl().map(now::plus),
        options.metadata(), options.tags());
    space(namespace).put(key, next);
    publish(new ChangeEvent(type, namespace, key, next.version(), now, principal));
    return next;
  }

  private void remove(Entry e) {
    space(e.namespace()).remove(e.key());
    publish(new ChangeEvent(ChangeType.DELETED, e.namespace(), e.key(), e.version(), now(), principal));
  }

  /** Hands {@code event} to every matching listener, on the executor, in the order of writes. */
  protected void publish(ChangeEvent event) {
    for (Listening l : state.listening) {
      if (l.filter().matches(event)) {
        state.events.execute(() -> {
          try {
            l.listener().onChange(event);
          } catch (RuntimeException e) {
            // A listener's failure is its own: the write it reports has happened.
          }
        });
      }
    }
  }

  @Override
  public Optional<Entry> get(String namespace, String key) {
    synchronized (state) {
      return Optional.ofNullable(live(namespace, key));
    }
  }

  @Override
  public Map<String, Entry> getAll(String namespace, Collection<String> keys) {
    synchronized (state) {
      Map<String, Entry> found = new LinkedHashMap<>();
      for (String key : keys) {
        Entry e = live(namespace, key);
        if (e != null) {
          found.put(key, e);
        }
      }
      return found;
    }
  }

  @Override
  public Entry put(String namespace, String key, Value value, WriteOptions options) {
    synchronized (state) {
      Entry current = live(namespace, key);
      return write(namespace, key, value, options, current, current == null ? ChangeType.CREATED : ChangeType.UPDATED);
    }
  }

  @Override
  public Entry create(String namespace, String key, Value value, WriteOptions options) {
    synchronized (state) {
      if (live(namespace, key) != null) {
        throw new AlreadyExistsException(namespace, key);
      }
      return write(namespace, key, value, options, null, ChangeType.CREATED);
    }
  }

  @Override
  public Entry update(String namespace, String key, Value value, WriteOptions options) {
    return replace(namespace, key, value, options, ChangeType.UPDATED);
  }

  private Entry replace(String namespace, String key, Value value, WriteOptions options, ChangeType type) {
    synchronized (state) {
      Entry current = live(namespace, key);
      if (current == null) {
        throw new NotFoundException(namespace, key);
      }
      return write(namespace, key, value, options, current, type);
    }
  }

  private Entry expect(String namespace, String key, long expectedVersion) {
    if (expectedVersion < 1) {
      throw new InvalidInputException("expectedVersion", "must be at least 1");
    }
    Entry current = live(namespace, key);
    if (current == null || current.version() != expectedVersion) {
      throw new VersionConflictException(namespace, key, expectedVersion,
          current == null ? OptionalLong.empty() : OptionalLong.of(current.version()));
    }
    return current;
  }

  @Override
  public Entry compareAndSet(String namespace, String key, long expectedVersion, Value value, WriteOptions options) {
    synchronized (state) {
      Entry current = expect(namespace, key, expectedVersion);
      return write(namespace, key, value, options, current, ChangeType.UPDATED);
    }
  }

  @Override
  public boolean delete(String namespace, String key) {
    synchronized (state) {
      Entry current = live(namespace, key);
      if (current != null) {
        remove(current);
      }
      return current != null;
    }
  }

  @Override
  public void deleteIfVersion(String namespace, String key, long expectedVersion) {
    synchronized (state) {
      remove(expect(namespace, key, expectedVersion));
    }
  }

  @Override
  public Map<String, Entry> putAll(String namespace, Map<String, Value> values, WriteOptions options) {
    synchronized (state) {
      Map<String, Entry> written = new LinkedHashMap<>();
      values.forEach((key, value) -> written.put(key, put(namespace, key, value, options)));
      return written;
    }
  }

  @Override
  public TransactionResult commit(String namespace, Transaction transaction) {
    Objects.requireNonNull(transaction, "transaction");
    List<ChangeEvent> events = new ArrayList<>();
    TransactionResult result;
    synchronized (state) {
      TransactionChecks.requireCompares(namespace, transaction, key -> {
        Entry e = live(namespace, key);
        return e == null ? 0 : e.version();
      });
      Instant now = now();
      Map<String, Entry> written = new LinkedHashMap<>();
      List<String> deleted = new ArrayList<>();
      for (Transaction.Write w : transaction.writes()) {
        Entry current = live(namespace, w.key());
        if (w.kind() == Transaction.Write.Kind.DELETE) {
          if (current != null) {
            space(namespace).remove(w.key());
            deleted.add(w.key());
            events.add(new ChangeEvent(ChangeType.DELETED, namespace, w.key(), current.version(), now, principal));
          }
          continue;
        }
        Entry next = new Entry(namespace, w.key(), w.value(), current == null ? 1 : current.version() + 1,
            current == null ? now : current.createdAt(), now, w.options().ttl().map(now::plus),
            w.options().metadata(), w.options().tags());
        space(namespace).put(w.key(), next);
        written.put(w.key(), next);
        events.add(new ChangeEvent(current == null ? ChangeType.CREATED : ChangeType.UPDATED, namespace, w.key(),
            next.version(), now, principal));
      }
      result = new TransactionResult(written, deleted);
      // Published only once every write is in, so a listener never sees part of the transaction.
      events.forEach(this::publish);
    }
    return result;
  }

  @Override
  public int deleteAll(String namespace, Collection<String> keys) {
    synchronized (state) {
      return (int) keys.stream().distinct().filter(key -> delete(namespace, key)).count();
    }
  }

  @Override
  public Page list(String namespace, ListOptions options) {
    synchronized (state) {
      TreeMap<String, Entry> space = space(namespace);
      Map<String, Entry> from = options.cursor().map(after -> (Map<String, Entry>) space.tailMap(after, false)).orElse(space);
      Instant now = now();
      List<Entry> page = new ArrayList<>();
      boolean more = false;
      for (Entry e : from.values()) {
        if (!e.key().startsWith(options.prefix()) || e.isExpiredAt(now)) {
          continue;
        }
        if (page.size() == options.limit()) {
          more = true;
          break;
        }
        page.add(e);
      }
      Optional<String> next = more ? Optional.of(page.get(page.size() - 1).key()) : Optional.empty();
      return new Page(page, next);
    }
  }

  @Override
  public long count(String namespace) {
    synchronized (state) {
      Instant now = now();
      return space(namespace).values().stream().filter(e -> !e.isExpiredAt(now)).count();
    }
  }

  @Override
  public Entry rotate(String namespace, String key, Value value, WriteOptions options) {
    return replace(namespace, key, value, options, ChangeType.ROTATED);
  }

  /** @throws UnsupportedOperationException always: this store keeps no history */
  @Override
  public Entry rollback(String namespace, String key, long toVersion, WriteOptions options) {
    throw new UnsupportedOperationException("this store keeps no history");
  }

  /** @throws UnsupportedOperationException always: this store keeps no history */
  @Override
  public List<VersionRecord> history(String namespace, String key) {
    throw new UnsupportedOperationException("this store keeps no history");
  }

  @Override
  public Namespaces namespaces() {
    return new Declarations();
  }

  /** Declarations kept by name; deleting one also deletes its entries, or refuses to. */
  private final class Declarations implements Namespaces {
    @Override
    public Namespace create(String name, NamespaceSettings settings) {
      synchronized (state) {
        if (state.namespaces.containsKey(name)) {
          throw new AlreadyExistsException(name, null, "namespace '" + name + "' already exists");
        }
        Namespace ns = new Namespace(name, settings, now(), now());
        state.namespaces.put(name, ns);
        return ns;
      }
    }

    @Override
    public Optional<Namespace> get(String name) {
      synchronized (state) {
        return Optional.ofNullable(state.namespaces.get(name));
      }
    }

    @Override
    public List<Namespace> list() {
      synchronized (state) {
        return List.copyOf(state.namespaces.values());
      }
    }

    @Override
    public Namespace update(String name, NamespaceSettings settings) {
      synchronized (state) {
        Namespace old = state.namespaces.get(name);
        if (old == null) {
          throw new NotFoundException(name, null, "namespace '" + name + "' does not exist");
        }
        Namespace ns = new Namespace(name, settings, old.createdAt(), now());
        state.namespaces.put(name, ns);
        return ns;
      }
    }

    @Override
    public boolean delete(String name, DeleteMode mode) {
      synchronized (state) {
        if (mode == DeleteMode.REFUSE_IF_NOT_EMPTY && count(name) > 0) {
          throw new IllegalStateException("namespace '" + name + "' holds entries");
        }
        state.spaces.remove(name);
        return state.namespaces.remove(name) != null;
      }
    }
  }

  @Override
  public Subscription subscribe(ChangeFilter filter, ChangeListener listener) {
    Listening l = new Listening(Objects.requireNonNull(filter, "filter"), Objects.requireNonNull(listener, "listener"));
    state.listening.add(l);
    return () -> state.listening.remove(l);
  }

  /**
   * This store keeps no change log and gives no revisions ({@link #revision()} stays 0), so the
   * only revision a caller can hold is 0, from which there is nothing to replay.
   */
  @Override
  public Subscription subscribe(ChangeFilter filter, long fromRevision, ChangeListener listener) {
    if (fromRevision != 0) {
      throw new RevisionCompactedException(fromRevision, 0);
    }
    return subscribe(filter, listener);
  }

  @Override
  public long revision() {
    return 0;
  }

  @Override
  public KvStore as(Principal principal) {
    return new MapKvStore(state, Objects.requireNonNull(principal, "principal"));
  }

  @Override
  public Principal principal() {
    return principal;
  }

  /** Not atomic, not isolated, not persistent; secret values kept as given. */
  @Override
  public Capabilities capabilities() {
    return new Capabilities(false, false, false);
  }

  /** No optional feature: this store neither rewrites values in place nor restores entries. */
  @Override
  public <T> Optional<T> feature(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return Optional.empty();
  }

  /** Marks the store closed; a view's close does nothing. */
  @Override
  public void close() {
    if (principal.equals(Principal.ANONYMOUS)) {
      synchronized (state) {
        state.closed = true;
      }
    }
  }
}
