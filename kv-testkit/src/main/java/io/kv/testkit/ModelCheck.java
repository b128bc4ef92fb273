package io.kv.testkit;

import io.kv.Entry;
import io.kv.KvStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Model-based testing of a {@link KvStore}: random sequences of operations run against the store
 * and against a plain reference model of the contract, and every result is compared: values,
 * versions, timestamps, expiry, errors by type, each page of a listing, counts, history and
 * namespace declarations.
 *
 * <p>A sequence mixes single writes (put, create, update, compareAndSet, rotate, rollback), deletes,
 * bulk reads and writes, paged listings, counts, history, namespace declaration, update and
 * deletion, and moves of the clock forward and back. Each sequence runs in namespaces of its own on
 * the one store, so a sequence starts from an empty state without a new store or database.
 *
 * <p>When a sequence fails, it is shrunk: steps are dropped while it still fails the same way, then
 * the remaining steps are simplified. The {@link AssertionError} thrown names the sequence's seed
 * and lists the shrunk steps; run the same test with {@code -Dkv.model.seed=<seed>} to replay that
 * one sequence. {@code -Dkv.model.sequences=<n>} runs more (or fewer) sequences than the test asks
 * for.
 *
 * <pre>{@code
 * @Test
 * void matchesTheModel() {
 *   ModelCheck.of("my-store", clock -> MyStore.builder().clock(clock).build())
 *       .sequences(2000)
 *       .maxLength(40)
 *       .run();
 * }
 * }</pre>
 *
 * <p>What a run did is published with {@link SuiteFigures} under the suite {@code model-based}.
 * A {@code ModelCheck} is a mutable configuration used by one thread.
 */
public final class ModelCheck {
  /** The system property naming the seed of one sequence to replay. */
  public static final String SEED_PROPERTY = "kv.model.seed";
  /** The system property overriding the number of sequences. */
  public static final String SEQUENCES_PROPERTY = "kv.model.sequences";

  private static final int SHRINK_RUNS = 3000;

  private final String subject;
  private final Function<MutableClock, KvStore> opener;
  private int sequences = 1000;
  private int maxLength = 30;

  private ModelCheck(String subject, Function<MutableClock, KvStore> opener) {
    this.subject = subject;
    this.opener = opener;
  }

  /**
   * A check of the store {@code opener} makes, called once per run with the clock the check moves.
   * The store must be empty in the namespaces a check uses (their names start with {@code m}).
   *
   * @param subject what is checked, as the figures name it (e.g. {@code h2 + stack})
   * @param opener opens a fresh store on the given clock
   * @return a check of the store {@code opener} makes, called once per run with the clock the check
   *     moves
   * @throws NullPointerException if an argument is null
   */
  public static ModelCheck of(String subject, Function<MutableClock, KvStore> opener) {
    return new ModelCheck(Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(opener, "opener"));
  }

  /**
   * How many sequences to run (default 1000), unless {@value #SEQUENCES_PROPERTY} says otherwise.
   *
   * @param sequences how many sequences to run
   * @return this check
   * @throws IllegalArgumentException if {@code sequences} is not positive
   */
  public ModelCheck sequences(int sequences) {
    if (sequences < 1) {
      throw new IllegalArgumentException("sequences must be positive");
    }
    this.sequences = sequences;
    return this;
  }

  /**
   * The most steps in one sequence (default 30); a sequence has between half that and that many.
   *
   * @param maxLength the most operations in one sequence
   * @return this check
   * @throws IllegalArgumentException if {@code maxLength} is less than 2
   */
  public ModelCheck maxLength(int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be at least 2");
    }
    this.maxLength = maxLength;
    return this;
  }

  /**
   * Runs the sequences, publishes the figures, and fails if any sequence found the store
   * different from the model.
   *
   * @return what the run did
   * @throws AssertionError naming the seed and the shrunk sequence of the first failure, and how
   *     many sequences failed
   */
  public Report run() {
    String only = System.getProperty(SEED_PROPERTY);
    String count = System.getProperty(SEQUENCES_PROPERTY);
    int n = count == null || count.isBlank() ? sequences : Integer.parseInt(count.strip());
    long base = new Random().nextLong();
    MutableClock clock = MutableClock.at(KvStoreContract.START);
    try (KvStore store = opener.apply(clock)) {
      Runner runner = new Runner(store, clock);
      List<Long> failedSeeds = new ArrayList<>();
      Failure first = null;
      int run = 0;
      for (int i = 0; i < (only == null ? n : 1); i++) {
        long seed = only == null ? new SplittableRandom(base + i).nextLong() : Long.parseLong(only.strip());
        Optional<Failure> failure = runner.run(generate(seed));
        run++;
        if (failure.isPresent()) {
          failedSeeds.add(seed);
          if (first == null) {
            first = failure.get().withSeed(seed);
          }
        }
      }
      Report report = new Report(run, runner.steps, runner.skipped, failedSeeds.size());
      publish(report);
      if (first != null) {
        Failure shrunk = shrink(runner, first);
        throw new AssertionError(message(report, first, shrunk, failedSeeds));
      }
      return report;
    }
  }

  /** The sequence a seed stands for. */
  List<ModelOp> generate(long seed) {
    Random r = new Random(seed);
    int length = maxLength / 2 + r.nextInt(maxLength - maxLength / 2 + 1);
    List<ModelOp> ops = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      ops.add(ModelOp.random(r));
    }
    // Every sequence ends by reading back all it left behind.
    for (String ns : ModelOp.NAMESPACES) {
      ops.add(new ModelOp.ListAll(ns, "", 1000));
      ops.add(new ModelOp.Count(ns));
    }
    return ops;
  }

  private void publish(Report report) {
    Map<String, Long> figures = new LinkedHashMap<>();
    figures.put("sequences", (long) report.sequences());
    figures.put("operations", report.operations());
    figures.put("failing sequences", (long) report.failures());
    SuiteFigures.publish("model-based", subject, figures);
  }

  // ---------------------------------------------------------------- shrinking

  /**
   * The smallest sequence found that fails the way {@code failure} does: first drop runs of steps
   * (halves, quarters, ... single steps), then replace steps by their simpler forms, while the
   * sequence still fails at a step of the same kind with the same kind of difference.
   */
  private Failure shrink(Runner runner, Failure failure) {
    Failure best = failure.truncated();
    int budget = SHRINK_RUNS;
    boolean progress = true;
    while (progress && budget > 0) {
      progress = false;
      for (int chunk = Math.max(1, best.ops.size() / 2); chunk >= 1 && budget > 0; chunk /= 2) {
        for (int from = 0; from + chunk <= best.ops.size() && budget > 0; ) {
          List<ModelOp> candidate = new ArrayList<>(best.ops.subList(0, from));
          candidate.addAll(best.ops.subList(from + chunk, best.ops.size()));
          budget--;
          Optional<Failure> f = sameFailure(runner, candidate, best);
          if (f.isPresent()) {
            best = f.get();
            progress = true;
          } else {
            from++;
          }
        }
      }
      for (int i = 0; i < best.ops.size() && budget > 0; i++) {
        for (ModelOp simpler : best.ops.get(i).simpler()) {
          List<ModelOp> candidate = new ArrayList<>(best.ops);
          candidate.set(i, simpler);
          budget--;
          Optional<Failure> f = sameFailure(runner, candidate, best);
          if (f.isPresent()) {
            best = f.get();
            progress = true;
            break;
          }
        }
      }
    }
    return best;
  }

  private static Optional<Failure> sameFailure(Runner runner, List<ModelOp> ops, Failure like) {
    if (ops.isEmpty()) {
      return Optional.empty();
    }
    return runner.run(ops).filter(f -> f.signature().equals(like.signature())).map(f -> f.withSeed(like.seed).truncated());
  }

  private String message(Report report, Failure first, Failure shrunk, List<Long> failedSeeds) {
    StringBuilder m = new StringBuilder();
    m.append(subject).append(": ").append(report.failures()).append(" of ").append(report.sequences())
        .append(" sequences differ from the model.\n");
    m.append("First failing sequence: seed ").append(first.seed).append(" (replay with -D").append(SEED_PROPERTY)
        .append('=').append(first.seed).append("), ").append(first.ops.size()).append(" steps to the failure.\n");
    m.append("Shrunk to ").append(shrunk.ops.size()).append(" steps:\n");
    for (int i = 0; i < shrunk.ops.size(); i++) {
      m.append(String.format("  %2d. %s%n", i + 1, shrunk.ops.get(i)));
    }
    m.append("At step ").append(shrunk.ops.size()).append(":\n");
    m.append("  model expected: ").append(Outcome.describe(shrunk.expected)).append('\n');
    m.append("  store returned: ").append(Outcome.describe(shrunk.observed)).append('\n');
    m.append("Seeds of failing sequences (first 20): ")
        .append(failedSeeds.subList(0, Math.min(20, failedSeeds.size()))).append('\n');
    return m.toString();
  }

  // ---------------------------------------------------------------- running

  /**
   * What a run did.
   *
   * @param sequences sequences run
   * @param operations steps run on the store, each compared with the model
   * @param skipped steps left out because they did not apply in the state they met
   * @param failures sequences that differed from the model
   */
  public record Report(int sequences, long operations, long skipped, int failures) {}

  /** A sequence, cut after its failing step, with what the model and the store said there. */
  private record Failure(long seed, List<ModelOp> ops, int at, Object expected, Object observed) {
    Failure withSeed(long seed) {
      return new Failure(seed, ops, at, expected, observed);
    }

    Failure truncated() {
      return new Failure(seed, List.copyOf(ops.subList(0, at + 1)), at, expected, observed);
    }

    String signature() {
      String what = observed instanceof Outcome.Thrown t ? "threw " + t.type() : "returned";
      String wanted = expected instanceof Outcome.Thrown t ? "expected " + t.type() : "expected result";
      return ops.get(at).kind() + ": " + wanted + ", " + what;
    }
  }

  /** Runs sequences on one store, each in fresh namespaces and from a clock past every earlier run. */
  private static final class Runner {
    private final KvStore store;
    private final MutableClock clock;
    private final String run = Long.toString(Math.abs(new Random().nextLong() % 1_000_000), 36);
    private int sequence;
    private long steps;
    private long skipped;
    private Instant highWater = KvStoreContract.START;

    Runner(KvStore store, MutableClock clock) {
      this.store = store;
      this.clock = clock;
    }

    Optional<Failure> run(List<ModelOp> ops) {
      String prefix = "m" + run + "x" + Integer.toString(sequence++, 36);
      // Start past every time an earlier sequence reached, so steps back stay within this sequence.
      Instant start = Instant.ofEpochMilli(highWater.plus(Duration.ofHours(1)).toEpochMilli());
      clock.set(start);
      KvModel model = new KvModel(start);
      ModelOp.Ctx ctx = new ModelOp.Ctx(store, model, clock, ns -> prefix + ns);
      for (int i = 0; i < ops.size(); i++) {
          Optional<ModelOp.Result> result = ops.get(i).apply(ctx);
          if (result.isEmpty()) {
            skipped++;
            continue;
          }
          steps++;
          if (clock.instant().isAfter(highWater)) {
            highWater = clock.instant();
          }
          // The model knows no revisions (expiry reclaims take some when the store gets to them): RevisionContract checks them.
          if (!Objects.equals(result.get().expected(), unrevised(result.get().observed()))) {
            return Optional.of(new Failure(0, ops, i, result.get().expected(), result.get().observed()));
          }
        }
      return Optional.empty();
    }
  }

  /** What the store answered, with every entry's and page's revision 0, as the model's are. */
  static Object unrevised(Object observed) {
    if (observed instanceof Entry e) {
      return e.withRevision(0);
    }
    if (observed instanceof Outcome.PageView p) {
      return new Outcome.PageView(p.entries().stream().map(e -> e.withRevision(0)).toList(), p.hasMore());
    }
    if (observed instanceof Optional<?> o) {
      return o.map(ModelCheck::unrevised);
    }
    if (observed instanceof List<?> l) {
      return l.stream().map(ModelCheck::unrevised).toList();
    }
    return observed;
  }
}
