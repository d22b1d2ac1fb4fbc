#!/usr/bin/env bash
# The benchmark harness (README "Performance"). Builds, then runs on embedded Kafka and PostgreSQL:
#   bench/run.sh [--records N] [--quick] [--latency-rate N] …      Midstream vs Flink SQL vs PostgreSQL's ceiling
#   bench/run.sh --sink-only | --remote                             the table writes alone; remote steps
#   bench/run.sh --help                                             every option
#   bench/run.sh jmh [JMH options] [pattern]                        operator microbenchmarks (records/s per core)
#   bench/run.sh jmh-ab REF [pattern]                               one of them, this tree against commit REF
# Results: bench/results/latest.{md,csv,png}; logs: target/bench.log. Extra JVM options (e.g. a JFR recording):
#   BENCH_JVM_OPTS="-XX:StartFlightRecording=filename=target/bench.jfr" bench/run.sh --quick
set -euo pipefail
cd "$(dirname "$0")/.."

echo "Building (first run downloads the table planner and JMH from Maven Central)…"
./mvnw -q -B -ntp -DskipTests install -pl bench -am
./mvnw -q -B -ntp -pl testkit dependency:build-classpath -Dmdep.outputFile=target/broker.classpath >/dev/null
./mvnw -q -B -ntp -pl bench dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile=target/bench.classpath >/dev/null
classpath="bench/target/classes:$(cat bench/target/bench.classpath)"
source deploy/local/java-opens.sh

if [[ "${1:-}" == "jmh-ab" ]]; then
    shift
    exec bench/jmh-ab.sh "$@"
fi
if [[ "${1:-}" == "jmh" ]]; then
    shift
    exec java "${JAVA_OPENS[@]}" -Xmx2g -cp "$classpath" org.openjdk.jmh.Main -f 1 -wi 3 -w 2s -i 5 -r 3s \
        -jvmArgs "${JAVA_OPENS[*]} -Xmx2g" "$@"
fi
mkdir -p target
# -Xms as -Xmx: Flink starts its TaskManagers so, and a growing heap made the runs of one JVM faster one after the
# other (12-07: the second of two identical runs 68,751 events/s with a growing heap, 83,100 with a fixed one).
# shellcheck disable=SC2086
exec java "${JAVA_OPENS[@]}" -Xmx6g -Xms6g -XX:+UseParallelGC -Duser.timezone=UTC ${BENCH_JVM_OPTS:-} \
    -Dmidstream.bench.log=target/bench.log \
    -Dmidstream.bench.broker-classpath="testkit/target/classes:$(cat testkit/target/broker.classpath)" \
    -cp "$classpath" dev.midstream.bench.Bench "$@"
