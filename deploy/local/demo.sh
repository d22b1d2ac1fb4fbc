#!/usr/bin/env bash
# Runs the Midstream demo: embedded Kafka and PostgreSQL, a local Flink with its web UI on
# http://localhost:8081, one job with both layers (the orders and customers pipelines into clean topics, and the
# sales transform joining and aggregating them), and a generator of messy orders. Options: --help.
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "Building (first run downloads dependencies from Maven Central)…"
./mvnw -q -B -ntp -DskipTests install -pl demo -am
./mvnw -q -B -ntp -pl demo dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile=target/demo.classpath >/dev/null

data_dir=.midstream
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    [[ "${args[$i]}" == "--data-dir" && $((i + 1)) -lt ${#args[@]} ]] && data_dir="${args[$((i + 1))]}"
done
mkdir -p "$data_dir/logs" "$data_dir/tmp"

source deploy/local/java-opens.sh
exec java "${JAVA_OPENS[@]}" -Xmx2g -XX:+UseParallelGC \
    -Dmidstream.log.dir="$data_dir/logs" \
    -Djava.io.tmpdir="$data_dir/tmp" \
    -cp "demo/target/classes:$(cat demo/target/demo.classpath)" \
    dev.midstream.demo.Demo "$@"
