#!/usr/bin/env bash
# Builds the benchmark jar, runs every benchmark in one JMH invocation and turns the results into
# the ratio table: kv-benchmarks/target/{results.json,footprint.properties,ratios.csv,ratios.md,ratios.svg}.
#
#   kv-benchmarks/run.sh           the full set (about 25 minutes on 2 cores); copies the results to
#                                  kv-benchmarks/results/ for the README
#   kv-benchmarks/run.sh --quick   every row with short iterations (under 10 minutes): a smoke check
#
# Further arguments go to JMH, e.g. `run.sh --quick JdbcBenchmark` to run one family.
# Set MVN_ARGS=-o to build offline.
set -euo pipefail

cd "$(dirname "$0")/.."
module=kv-benchmarks
target=$module/target

quick=false
if [[ "${1:-}" == "--quick" ]]; then
  quick=true
  shift
fi

# shellcheck disable=SC2086
mvn -B -ntp -q ${MVN_ARGS:-} -pl "$module" -am package -DskipTests
jar=$target/benchmarks.jar

jmh=()
if $quick; then
  # One fork, one warm-up second, two measured seconds per benchmark: enough to see every row
  # work and its ratio within a factor, not to quote.
  jmh=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
fi

rm -f "$target/results.json" "$target/footprint.properties" "$target/ratios.csv" "$target/ratios.md" "$target/ratios.svg"
# The machine may be shared with other JMH runs; JMH's lock would stop this one rather than wait,
# so it is ignored and the ratios (kv and baseline side by side in this run) carry the noise.
java -Djmh.ignoreLock=true -jar "$jar" "${jmh[@]}" "$@" -rf json -rff "$target/results.json"
java -Djdk.attach.allowAttachSelf=true -cp "$jar" io.kv.benchmarks.Footprint "$target/footprint.properties"
java -cp "$jar" io.kv.benchmarks.Report "$target"

if ! $quick && [[ $# -eq 0 ]]; then
  mkdir -p "$module/results"
  cp "$target/results.json" "$target/footprint.properties" "$target/ratios.csv" "$target/ratios.md" \
    "$target/ratios.svg" "$module/results/"
  echo "Copied the results to $module/results/."
fi
