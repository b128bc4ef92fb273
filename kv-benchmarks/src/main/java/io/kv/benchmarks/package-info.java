/**
 * JMH benchmarks of kv's hot paths, each measured beside a plain baseline in the same run so the
 * ratio between them survives a noisy machine, one class per family: {@link
 * io.kv.benchmarks.MemoryBenchmark}, {@link io.kv.benchmarks.ThreadsBenchmark}, {@link
 * io.kv.benchmarks.StackBenchmark}, {@link io.kv.benchmarks.SecretBenchmark}, {@link
 * io.kv.benchmarks.JdbcBenchmark} and {@link io.kv.benchmarks.JdbcScaleBenchmark}; {@link
 * io.kv.benchmarks.Footprint} measures heap per entry, and {@link io.kv.benchmarks.Report} turns
 * a run's results into the ratio table.
 *
 * <p>From the repository root, {@code kv-benchmarks/run.sh} builds, runs and reports everything
 * ({@code --quick} for a smoke check). The jar's main class is JMH's own, so JMH's options work
 * directly, e.g. {@code java -jar kv-benchmarks/target/benchmarks.jar StackBenchmark -f 1}.
 */
package io.kv.benchmarks;
