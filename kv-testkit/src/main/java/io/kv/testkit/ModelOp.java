package io.kv.testkit;

import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.Namespaces.DeleteMode;
import io.kv.Page;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.testkit.KvModel.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One step of a {@link ModelCheck} sequence. A step names namespaces logically ({@code a} and
 * {@code b} plain, {@code s} secret when declared) and versions relative to the current one, so
 * that it means the same when a shrunk sequence replays it in fresh namespaces. Immutable; its
 * {@code toString} is the line a failure report prints.
 */
sealed interface ModelOp {
  /** The logical namespaces; {@code s} is declared secret whenever it is declared. */
  List<String> NAMESPACES = List.of("a", "b", "s");
  List<String> KEYS = List.of("k", "k/a", "k/b", "k/b/c", "x", "x/y", "z");
  List<String> PREFIXES = List.of("", "k", "k/", "k/b", "x", "q");

  /** What the store and the model came to; both {@link Outcome#DONE} for a step with nothing to compare. */
  record Result(Object expected, Object observed) {
    static final Result NOTHING = new Result(Outcome.DONE, Outcome.DONE);
  }

  /** The context a step runs in: the store, the model, the clock, and the real namespace names. */
  record Ctx(KvStore store, KvModel model, MutableClock clock, UnaryOperator<String> names) {}

  /** Runs the step on the store and the model; empty when it does not apply in this state. */
  Optional<Result> apply(Ctx c);

  /** Simpler forms of this step to try while shrinking, simplest first; empty if none. */
  default List<ModelOp> simpler() {
    return List.of();
  }

  /** The kind of step, for grouping failures while shrinking. */
  default String kind() {
    return getClass().getSimpleName();
  }

  // ---------------------------------------------------------------- arguments

  /** Value number {@code n}: a string for even numbers, a number for odd ones. */
  static Value valueOf(int n) {
    return n % 2 == 0 ? Value.string("v" + n) : Value.number(n);
  }

  /** The options of a write, in a form that prints and shrinks. */
  record Opts(long ttlMillis, boolean metadata, boolean tags, boolean reason) {
    static final Opts NONE = new Opts(0, false, false, false);

    WriteOptions toOptions() {
      WriteOptions o = ttlMillis > 0 ? WriteOptions.ttl(Duration.ofMillis(ttlMillis)) : WriteOptions.none();
      if (metadata) {
        o = o.withMetadata(Map.of("owner", "m" + ttlMillis % 3));
      }
      if (tags) {
        o = o.withTags(ttlMillis % 2 == 0 ? Set.of("t1") : Set.of("t1", "t2"));
      }
      if (reason) {
        o = o.withReason("why");
      }
      return o;
    }

    @Override
    public String toString() {
      if (equals(NONE)) {
        return "none";
      }
      return (ttlMillis > 0 ? "ttl=" + ttlMillis + "ms " : "") + (metadata ? "meta " : "") + (tags ? "tags " : "")
          + (reason ? "reason" : "");
    }
  }

  /** Namespace settings in a form that prints and shrinks; {@code s} always gets the secret flag. */
  record Settings(long defaultTtlMillis, int maxVersions, int description) {
    NamespaceSettings toSettings(String logical) {
      NamespaceSettings s = NamespaceSettings.defaults().withDescription("d" + description).withMaxVersions(maxVersions);
      if (defaultTtlMillis > 0) {
        s = s.withDefaultTtl(Duration.ofMillis(defaultTtlMillis));
      }
      // A secret namespace is given history explicitly, so the stack's versioning layer keeps it
      // as declared and the model need not know which layers are present.
      return logical.equals("s") ? s.withSecret(true).withMaxVersions(Math.max(1, maxVersions)) : s;
    }
  }

  /** Runs a call on the store, turning what it throws into an outcome. */
  static Object call(Supplier<Object> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Outcome.of(e);
    }
  }

  /** The version of the live entry, or 0. */
  static long current(Ctx c, String ns, String key) {
    return c.model().get(ns, key).map(Entry::version).orElse(0L);
  }

  // ---------------------------------------------------------------- entry steps

  record Get(String ns, String key) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      return Optional.of(new Result(c.model().get(n, key), call(() -> c.store().get(n, key))));
    }
  }

  /** put, create, update or rotate. */
  record Write(String op, String ns, String key, int value, Opts opts) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      Value v = valueOf(value);
      WriteOptions o = opts.toOptions();
      Object observed = call(() -> switch (op) {
        case "put" -> c.store().put(n, key, v, o);
        case "create" -> c.store().create(n, key, v, o);
        case "update" -> c.store().update(n, key, v, o);
        default -> c.store().rotate(n, key, v, o);
      });
      Condition condition = switch (op) {
        case "put" -> Condition.NONE;
        case "create" -> Condition.ABSENT;
        default -> Condition.PRESENT;
      };
      ChangeType change = op.equals("rotate") ? ChangeType.ROTATED : ChangeType.UPDATED;
      return Optional.of(new Result(c.model().write(n, key, v, o, condition, 0, change, observed), observed));
    }

    @Override
    public List<ModelOp> simpler() {
      List<ModelOp> out = new ArrayList<>();
      if (!opts.equals(Opts.NONE)) {
        out.add(new Write(op, ns, key, value, Opts.NONE));
      }
      if (!op.equals("put")) {
        out.add(new Write("put", ns, key, value, opts));
      }
      if (!key.equals("k")) {
        out.add(new Write(op, ns, "k", value, opts));
      }
      if (!ns.equals("a")) {
        out.add(new Write(op, "a", key, value, opts));
      }
      return out;
    }

    @Override
    public String kind() {
      return op;
    }

    @Override
    public String toString() {
      return op + "(" + ns + ", " + key + ", " + Outcome.describe(valueOf(value)) + ", " + opts + ")";
    }
  }

  /** compareAndSet expecting the current version plus {@code offset} (1 when absent). */
  record Cas(String ns, String key, int offset, int value, Opts opts) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      long expected = Math.max(1, current(c, n, key) + offset);
      Value v = valueOf(value);
      WriteOptions o = opts.toOptions();
      Object observed = call(() -> c.store().compareAndSet(n, key, expected, v, o));
      return Optional.of(new Result(
          c.model().write(n, key, v, o, Condition.VERSION, expected, ChangeType.UPDATED, observed), observed));
    }

    @Override
    public List<ModelOp> simpler() {
      return opts.equals(Opts.NONE) ? List.of() : List.of(new Cas(ns, key, offset, value, Opts.NONE));
    }

    @Override
    public String toString() {
      return "compareAndSet(" + ns + ", " + key + ", current" + (offset == 0 ? "" : offset > 0 ? "+" + offset : offset)
          + ", " + Outcome.describe(valueOf(value)) + ", " + opts + ")";
    }
  }

  record Delete(String ns, String key) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      Object observed = call(() -> c.store().delete(n, key));
      return Optional.of(new Result(c.model().delete(n, key), observed));
    }
  }

  /** deleteIfVersion expecting the current version plus {@code offset} (1 when absent). */
  record DeleteIfVersion(String ns, String key, int offset) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      long expected = Math.max(1, current(c, n, key) + offset);
      Object observed = call(() -> {
        c.store().deleteIfVersion(n, key, expected);
        return Outcome.DONE;
      });
      return Optional.of(new Result(c.model().deleteIfVersion(n, key, expected), observed));
    }
  }

  record GetAll(String ns, List<String> keys) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      Object observed = call(() -> List.copyOf(c.store().getAll(n, keys).values()));
      return Optional.of(new Result(c.model().getAll(n, keys), observed));
    }
  }

  record PutAll(String ns, List<String> keys, int value, Opts opts) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      Map<String, Value> values = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        values.put(keys.get(i), valueOf(value + i));
      }
      WriteOptions o = opts.toOptions();
      Object written = call(() -> c.store().putAll(n, values, o));
      Object expected = c.model().putAll(n, values, o, written);
      Object observed = written instanceof Map<?, ?> m ? List.copyOf(m.values()) : written;
      return Optional.of(new Result(expected, observed));
    }

    @Override
    public List<ModelOp> simpler() {
      List<ModelOp> out = new ArrayList<>();
      if (!opts.equals(Opts.NONE)) {
        out.add(new PutAll(ns, keys, value, Opts.NONE));
      }
      if (keys.size() > 1) {
        out.add(new PutAll(ns, keys.subList(0, keys.size() - 1), value, opts));
        out.add(new PutAll(ns, keys.subList(1, keys.size()), value, opts));
      }
      return out;
    }
  }

  record DeleteAll(String ns, List<String> keys) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      Object observed = call(() -> c.store().deleteAll(n, keys));
      return Optional.of(new Result(c.model().deleteAll(n, keys), observed));
    }

    @Override
    public List<ModelOp> simpler() {
      return keys.size() > 1 ? List.of(new DeleteAll(ns, keys.subList(0, 1))) : List.of();
    }
  }

  /** Every page of a listing, following the cursors. */
  record ListAll(String ns, String prefix, int limit) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      Object observed = call(() -> {
        List<Outcome.PageView> pages = new ArrayList<>();
        ListOptions options = ListOptions.prefix(prefix).limit(limit);
        // More pages than keys exist means the cursors go round in circles.
        for (int i = 0; i <= KEYS.size() + 1; i++) {
          Page page = c.store().list(n, options);
          pages.add(new Outcome.PageView(page.entries(), page.hasMore()));
          if (page.nextCursor().isEmpty()) {
            break;
          }
          options = options.after(page.nextCursor().get());
        }
        return pages;
      });
      return Optional.of(new Result(c.model().list(n, prefix, limit), observed));
    }

    @Override
    public List<ModelOp> simpler() {
      return limit < ListOptions.MAX_LIMIT ? List.of(new ListAll(ns, prefix, ListOptions.MAX_LIMIT)) : List.of();
    }
  }

  record Count(String ns) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      return Optional.of(new Result(c.model().count(n), call(() -> c.store().count(n))));
    }
  }

  record History(String ns, String key) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      return Optional.of(new Result(c.model().history(n, key), call(() -> c.store().history(n, key))));
    }
  }

  /** rollback to the current version less {@code back}; 0 or less is invalid input. */
  record Rollback(String ns, String key, int back, Opts opts) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      long to = current(c, n, key) - back;
      WriteOptions o = opts.toOptions();
      Object observed = call(() -> c.store().rollback(n, key, to, o));
      return Optional.of(new Result(c.model().rollback(n, key, to, o, observed), observed));
    }

    @Override
    public List<ModelOp> simpler() {
      return opts.equals(Opts.NONE) ? List.of() : List.of(new Rollback(ns, key, back, Opts.NONE));
    }

    @Override
    public String toString() {
      return "Rollback[" + ns + ", " + key + ", to current-" + back + ", " + opts + "]";
    }
  }

  // ---------------------------------------------------------------- namespace steps

  record CreateNamespace(String ns, Settings settings) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      // Declaring a namespace secret over entries written in the clear is refused by a stack that
      // encrypts, and allowed by a bare backend: a difference of layers, not of correctness.
      if (ns.equals("s") && c.model().holdsAnything(n)) {
        return Optional.empty();
      }
      NamespaceSettings s = settings.toSettings(ns);
      Object observed = call(() -> c.store().namespaces().create(n, s));
      return Optional.of(new Result(c.model().createNamespace(n, s), observed));
    }
  }

  record UpdateNamespace(String ns, Settings settings) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      NamespaceSettings s = settings.toSettings(ns);
      Object observed = call(() -> c.store().namespaces().update(n, s));
      return Optional.of(new Result(c.model().updateNamespace(n, s, observed), observed));
    }
  }

  record DeleteNamespace(String ns, DeleteMode mode) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      Object observed = call(() -> c.store().namespaces().delete(n, mode));
      return Optional.of(new Result(c.model().deleteNamespace(n, mode), observed));
    }
  }

  record GetNamespace(String ns) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      String n = c.names().apply(ns);
      return Optional.of(new Result(c.model().namespace(n), call(() -> c.store().namespaces().get(n))));
    }
  }

  // ---------------------------------------------------------------- time steps

  /**
   * Moves the clock by {@code millis}, back for a negative amount; a move back stops at the
   * latest expiry already passed (see {@link KvModel#backTarget}).
   */
  record MoveClock(long millis) implements ModelOp {
    @Override
    public Optional<Result> apply(Ctx c) {
      Instant now = c.model().now();
      Instant target = now.plusMillis(millis);
      if (millis < 0) {
        target = c.model().backTarget(target);
      }
      c.clock().set(target);
      c.model().setNow(target);
      return Optional.of(Result.NOTHING);
    }

    @Override
    public List<ModelOp> simpler() {
      return Math.abs(millis) > 1 ? List.of(new MoveClock(millis / 2)) : List.of();
    }

    @Override
    public String kind() {
      return millis < 0 ? "clockBack" : "clockForward";
    }

    @Override
    public String toString() {
      return "clock " + (millis < 0 ? "back " + -millis : "forward " + millis) + " ms";
    }
  }

  /** Moves the clock forward to {@code delta} ms from the next expiry, to hit its boundary. */
  record ClockToExpiry(int delta) implements ModelOp {
    @Override
    public String toString() {
      return "clock to the next expiry" + (delta == 0 ? "" : delta > 0 ? " + " + delta + " ms" : " - " + -delta + " ms");
    }

    @Override
    public Optional<Result> apply(Ctx c) {
      Optional<Instant> next = c.model().nextExpiry();
      if (next.isEmpty() || !next.get().plusMillis(delta).isAfter(c.model().now())) {
        return Optional.empty();
      }
      c.clock().set(next.get().plusMillis(delta));
      c.model().setNow(next.get().plusMillis(delta));
      return Optional.of(Result.NOTHING);
    }
  }

  // ---------------------------------------------------------------- generation

  /** A random step. */
  static ModelOp random(Random r) {
    String ns = r.nextInt(10) < 6 ? "a" : r.nextBoolean() ? "b" : "s";
    String key = KEYS.get(r.nextInt(KEYS.size()));
    int value = r.nextInt(20);
    int pick = r.nextInt(100);
    if (pick < 10) {
      return new Get(ns, key);
    } else if (pick < 20) {
      return new Write("put", ns, key, value, opts(r));
    } else if (pick < 26) {
      return new Write("create", ns, key, value, opts(r));
    } else if (pick < 31) {
      return new Write("update", ns, key, value, opts(r));
    } else if (pick < 35) {
      return new Write("rotate", ns, key, value, opts(r));
    } else if (pick < 43) {
      return new Cas(ns, key, r.nextInt(10) < 7 ? 0 : r.nextBoolean() ? 1 : -1, value, opts(r));
    } else if (pick < 47) {
      return new Delete(ns, key);
    } else if (pick < 50) {
      return new DeleteIfVersion(ns, key, r.nextInt(10) < 7 ? 0 : 1);
    } else if (pick < 53) {
      return new GetAll(ns, keys(r));
    } else if (pick < 57) {
      return new PutAll(ns, keys(r), value, opts(r));
    } else if (pick < 59) {
      return new DeleteAll(ns, keys(r));
    } else if (pick < 64) {
      return new ListAll(ns, PREFIXES.get(r.nextInt(PREFIXES.size())), 1 + r.nextInt(4));
    } else if (pick < 67) {
      return new Count(ns);
    } else if (pick < 72) {
      return new History(ns, key);
    } else if (pick < 77) {
      int back = r.nextInt(20) == 0 ? 99 : r.nextInt(4);
      return new Rollback(ns, key, back, r.nextInt(4) == 0 ? opts(r) : Opts.NONE);
    } else if (pick < 80) {
      return new CreateNamespace(ns, settings(r));
    } else if (pick < 82) {
      return new UpdateNamespace(ns, settings(r));
    } else if (pick < 84) {
      return new DeleteNamespace(ns, r.nextBoolean() ? DeleteMode.CASCADE : DeleteMode.REFUSE_IF_NOT_EMPTY);
    } else if (pick < 85) {
      return new GetNamespace(ns);
    } else if (pick < 92) {
      return new MoveClock(r.nextInt(10) == 0 ? 10_000 + r.nextInt(50_000) : 1 + r.nextInt(3000));
    } else if (pick < 96) {
      return new MoveClock(-(1 + r.nextInt(4000)));
    } else {
      return new ClockToExpiry(r.nextInt(3) - 1);
    }
  }

  private static Opts opts(Random r) {
    long ttl = r.nextInt(3) == 0 ? (r.nextBoolean() ? 1 + r.nextInt(5000) : 1000L * (1 + r.nextInt(5))) : 0;
    return new Opts(ttl, r.nextInt(4) == 0, r.nextInt(4) == 0, r.nextInt(4) == 0);
  }

  private static Settings settings(Random r) {
    long ttl = r.nextInt(4) == 0 ? 500L * (1 + r.nextInt(8)) : 0;
    return new Settings(ttl, r.nextInt(4), r.nextInt(3));
  }

  private static List<String> keys(Random r) {
    int n = 1 + r.nextInt(4);
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(KEYS.get(r.nextInt(KEYS.size())));
    }
    return List.copyOf(keys);
  }
}
