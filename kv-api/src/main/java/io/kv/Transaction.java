package io.kv;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A request to change several entries of one namespace at once: compares on keys, then writes,
 * committed all-or-nothing by {@link KvStore#commit}. If any compare fails, including the
 * implicit ones of {@link Write.Kind#CREATE} (the key must be absent) and {@link
 * Write.Kind#UPDATE} (the key must be live), nothing is written and {@link
 * TransactionFailedException} names every compare that failed.
 *
 * <p>The request is bounded by {@link #MAX_OPERATIONS} compares and writes together, and writes
 * each key at most once; {@link Builder#build()} checks both, so a request that breaks them never
 * reaches a store. Keys and values are checked by the store like those of any write.
 *
 * <p>Immutable and thread-safe; the same transaction may be committed any number of times.
 */
public final class Transaction {
  /** The most compares and writes one transaction may hold together (etcd's default limit). */
  public static final int MAX_OPERATIONS = 128;

  private final List<Compare> compares;
  private final List<Write> writes;

  private Transaction(List<Compare> compares, List<Write> writes) {
    this.compares = List.copyOf(compares);
    this.writes = List.copyOf(writes);
  }

  /**
   * A new, empty builder that is not bound to a store; {@link Builder#build()} gives the request
   * to pass to {@link KvStore#commit}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder(null, null);
  }

  /** A builder whose {@link Builder#commit()} commits to {@code store}; see {@link KvStore#transaction}. */
  static Builder boundTo(KvStore store, String namespace) {
    return new Builder(Objects.requireNonNull(store, "store"), Objects.requireNonNull(namespace, "namespace"));
  }

  /**
   * The compares, in the order they were given.
   *
   * @return the compares, immutable
   */
  public List<Compare> compares() {
    return compares;
  }

  /**
   * The writes, in the order they were given and will be applied.
   *
   * @return the writes, immutable
   */
  public List<Write> writes() {
    return writes;
  }

  @Override
  public String toString() {
    return "Transaction[compares=" + compares + ", writes=" + writes + "]";
  }

  /**
   * A condition on one key that must hold, against the live state at commit time, for the
   * transaction to be applied. An expired entry counts as absent.
   *
   * @param key the key compared
   * @param kind what must hold
   * @param version the version the live entry must have for {@link Kind#VERSION_EQUALS}; 0 for
   *     the other kinds
   */
  public record Compare(String key, Kind kind, long version) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** What a compare requires of its key. */
    public enum Kind {
      /** The key is live with exactly the given version. */
      VERSION_EQUALS,
      /** The key has no live entry. */
      ABSENT,
      /** The key has a live entry, of any version. */
      PRESENT
    }

    /**
     * Checks the fields.
     *
     * @param key the key compared
     * @param kind what must hold
     * @param version the expected version, positive for {@link Kind#VERSION_EQUALS}, else 0
     * @throws NullPointerException if {@code key} or {@code kind} is null
     * @throws InvalidInputException if {@code version} does not fit {@code kind} (field {@code
     *     "version"})
     */
    public Compare {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(kind, "kind");
      if (kind == Kind.VERSION_EQUALS ? version <= 0 : version != 0) {
        throw new InvalidInputException("version",
            kind == Kind.VERSION_EQUALS ? "must be positive" : "must be 0 unless the compare is VERSION_EQUALS");
      }
    }

    /**
     * Whether a key with the given live version (0 when absent) satisfies this compare.
     *
     * @param liveVersion the live entry's version, or 0 when the key has no live entry
     * @return whether the compare holds
     */
    public boolean holdsFor(long liveVersion) {
      return switch (kind) {
        case VERSION_EQUALS -> liveVersion == version;
        case ABSENT -> liveVersion == 0;
        case PRESENT -> liveVersion != 0;
      };
    }

    @Override
    public String toString() {
      return key + (kind == Kind.VERSION_EQUALS ? " VERSION_EQUALS " + version : " " + kind);
    }
  }

  /**
   * One write of a transaction. Its {@link #toString()} never shows the value.
   *
   * @param kind what the write does
   * @param key the key written
   * @param value the value written, or null for {@link Kind#DELETE}
   * @param options TTL, metadata, tags and reason; {@link WriteOptions#none()} for a delete
   */
  public record Write(Kind kind, String key, Value value, WriteOptions options) {
    /** What a write does. */
    public enum Kind {
      /** Writes the value whether or not the key is live, as {@link KvStore#put} does. */
      PUT,
      /** Writes the value; fails the transaction if the key is live, as {@link KvStore#create} would. */
      CREATE,
      /** Writes the value; fails the transaction if the key is absent, as {@link KvStore#update} would. */
      UPDATE,
      /** Deletes the key's live entry; an absent key is not a failure. */
      DELETE
    }

    /**
     * Checks the fields.
     *
     * @param kind what the write does
     * @param key the key written
     * @param value the value, null exactly when {@code kind} is {@link Kind#DELETE}
     * @param options the write's options
     * @throws NullPointerException if {@code kind}, {@code key} or {@code options} is null, or
     *     {@code value} is null for a write that is not a delete
     * @throws IllegalArgumentException if a delete carries a value
     */
    public Write {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(options, "options");
      if (kind == Kind.DELETE) {
        if (value != null) {
          throw new IllegalArgumentException("a delete carries no value");
        }
      } else {
        Objects.requireNonNull(value, "value");
      }
    }

    /**
     * The compare this write implies: {@link Compare.Kind#ABSENT} for a create, {@link
     * Compare.Kind#PRESENT} for an update, none for a put or a delete.
     *
     * @return the implied compare, or null when there is none
     */
    public Compare impliedCompare() {
      return switch (kind) {
        case CREATE -> new Compare(key, Compare.Kind.ABSENT, 0);
        case UPDATE -> new Compare(key, Compare.Kind.PRESENT, 0);
        default -> null;
      };
    }

    @Override
    public String toString() {
      return kind + " " + key;
    }
  }

  /**
   * Collects compares and writes in order. {@link #build()} checks the rules of a transaction;
   * a builder obtained from {@link KvStore#transaction} can also {@link #commit()} directly.
   *
   * <p>Not thread-safe: one thread builds a request.
   */
  public static final class Builder {
    private final KvStore store;
    private final String namespace;
    private final List<Compare> compares = new ArrayList<>();
    private final List<Write> writes = new ArrayList<>();

    private Builder(KvStore store, String namespace) {
      this.store = store;
      this.namespace = namespace;
    }

    /**
     * Requires the key to be live with exactly {@code version}.
     *
     * @param key the key
     * @param version the version the live entry must have
     * @return this builder
     * @throws NullPointerException if {@code key} is null
     * @throws InvalidInputException if {@code version} is not positive
     */
    public Builder versionIs(String key, long version) {
      compares.add(new Compare(key, Compare.Kind.VERSION_EQUALS, version));
      return this;
    }

    /**
     * Requires the key to have no live entry.
     *
     * @param key the key
     * @return this builder
     * @throws NullPointerException if {@code key} is null
     */
    public Builder absent(String key) {
      compares.add(new Compare(key, Compare.Kind.ABSENT, 0));
      return this;
    }

    /**
     * Requires the key to have a live entry.
     *
     * @param key the key
     * @return this builder
     * @throws NullPointerException if {@code key} is null
     */
    public Builder present(String key) {
      compares.add(new Compare(key, Compare.Kind.PRESENT, 0));
      return this;
    }

    /**
     * Writes {@code value} under {@code key}, live or not.
     *
     * @param key the key
     * @param value the value
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder put(String key, Value value) {
      return put(key, value, WriteOptions.none());
    }

    /**
     * Writes {@code value} under {@code key} with {@code options}, live or not.
     *
     * @param key the key
     * @param value the value
     * @param options TTL, metadata, tags and reason of the write
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder put(String key, Value value, WriteOptions options) {
      writes.add(new Write(Write.Kind.PUT, key, value, options));
      return this;
    }

    /**
     * Writes {@code value} under {@code key}, which must have no live entry.
     *
     * @param key the key
     * @param value the value
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder create(String key, Value value) {
      return create(key, value, WriteOptions.none());
    }

    /**
     * Writes {@code value} under {@code key} with {@code options}; the key must have no live entry.
     *
     * @param key the key
     * @param value the value
     * @param options TTL, metadata, tags and reason of the write
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder create(String key, Value value, WriteOptions options) {
      writes.add(new Write(Write.Kind.CREATE, key, value, options));
      return this;
    }

    /**
     * Writes {@code value} under {@code key}, which must have a live entry.
     *
     * @param key the key
     * @param value the value
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder update(String key, Value value) {
      return update(key, value, WriteOptions.none());
    }

    /**
     * Writes {@code value} under {@code key} with {@code options}; the key must have a live entry.
     *
     * @param key the key
     * @param value the value
     * @param options TTL, metadata, tags and reason of the write
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder update(String key, Value value, WriteOptions options) {
      writes.add(new Write(Write.Kind.UPDATE, key, value, options));
      return this;
    }

    /**
     * Deletes the live entry under {@code key}; an absent key is not a failure.
     *
     * @param key the key
     * @return this builder
     * @throws NullPointerException if {@code key} is null
     */
    public Builder delete(String key) {
      writes.add(new Write(Write.Kind.DELETE, key, null, WriteOptions.none()));
      return this;
    }

    /**
     * The transaction collected so far.
     *
     * @return the immutable transaction
     * @throws InvalidInputException if there is no write (field {@code "writes"}), a key is
     *     written more than once (field {@code "writes"}, naming the key), or there are more than
     *     {@link #MAX_OPERATIONS} compares and writes (field {@code "operations"})
     */
    public Transaction build() {
      int operations = compares.size() + writes.size();
      if (operations > MAX_OPERATIONS) {
        throw new InvalidInputException("operations",
            "count " + operations + " is over the limit of " + MAX_OPERATIONS + " compares and writes per transaction");
      }
      if (writes.isEmpty()) {
        throw new InvalidInputException("writes", "must hold at least one write");
      }
      Set<String> written = new HashSet<>();
      for (Write w : writes) {
        if (!written.add(w.key())) {
          throw new InvalidInputException("writes", "must write each key once; key " + w.key() + " is written twice");
        }
      }
      return new Transaction(compares, writes);
    }

    /**
     * Builds the transaction and commits it to the store and namespace this builder was obtained
     * for, as {@link KvStore#commit} does.
     *
     * @return what the writes produced
     * @throws IllegalStateException if this builder came from {@link Transaction#builder()} and
     *     is bound to no store
     * @throws InvalidInputException if {@link #build()} refuses the request, or the store refuses
     *     a key, value or option
     * @throws TransactionFailedException if a compare failed; nothing was written
     */
    public TransactionResult commit() {
      if (store == null) {
        throw new IllegalStateException("this builder is bound to no store: pass build() to KvStore.commit");
      }
      return store.commit(namespace, build());
    }
  }
}
