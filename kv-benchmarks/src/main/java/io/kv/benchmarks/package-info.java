/**
 * JMH benchmarks of kv's hot paths, each measured beside a plain baseline in the same run so the
 * ratio between them survives a noisy machine.
 *
 * <p>Build and run from the repository root:
 *
 * <pre>{@code
 * mvn -q -B -pl kv-benchmarks -am package -DskipTests && java -jar kv-benchmarks/target/benchmarks.jar
 * }</pre>
 *
 * <p>{@link io.kv.benchmarks.Main} accepts JMH's options, for a quick look for instance {@code
 * java -jar kv-benchmarks/target/benchmarks.jar -f 1 -wi 2 -w 1s -i 3 -r 1s}, or {@code -p
 * keyCount=1000,100000} for other sizes; {@code -h} lists them. After JMH's own report it prints
 * each score and the store-to-baseline ratios with their goals. Scores from a laptop or a shared
 * machine only compare with scores from the same run.
 */
package io.kv.benchmarks;
