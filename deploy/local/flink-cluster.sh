#!/usr/bin/env bash
# A real Flink 2.2 standalone session cluster on this machine: one JobManager and one TaskManager process,
# lib/ assembled from Maven Central (local-cluster/), conf/ from flink-conf/local/config.yaml.
#
#   deploy/local/flink-cluster.sh start            # build lib/ if needed, start JM + TM, wait for the TM
#   deploy/local/flink-cluster.sh flink run -d jobs/target/midstream-jobs-0.1.0-SNAPSHOT-flink.jar --config …
#   deploy/local/flink-cluster.sh flink list | stop --savepointPath file:///… <jobId> | cancel <jobId>
#   deploy/local/flink-cluster.sh status
#   deploy/local/flink-cluster.sh kill-taskmanager | start-taskmanager
#   deploy/local/flink-cluster.sh kill-jobmanager | start-jobmanager
#   deploy/local/flink-cluster.sh stop
#
# MIDSTREAM_HA=zookeeper runs JobManager high availability as in production: a ZooKeeper server in its own process
# (Flink's own quorum peer, from lib/; port $MIDSTREAM_ZK_PORT, default 2181) holds the leader and the job's
# checkpoints, the HA storage is $MIDSTREAM_CLUSTER_DIR/ha. A JobManager killed and started again then recovers the
# running jobs from their latest completed checkpoint.
#
# Everything lives under $MIDSTREAM_CLUSTER_DIR (default .midstream/cluster): conf/, log/, tmp/, checkpoints/,
# savepoints/. The web UI and REST API are on http://localhost:$MIDSTREAM_REST_PORT (default 8081).
# $MIDSTREAM_RPC_PORT is the JobManager's RPC port (default 6123). $MIDSTREAM_FLINK_CONF adds or overrides
# configuration lines ("key: value", one per line). Before an upgrade: deploy/local/midstream check-upgrade.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
source "$repo/deploy/local/java-opens.sh"

home="$(mkdir -p "${MIDSTREAM_CLUSTER_DIR:-$repo/.midstream/cluster}" && cd "${MIDSTREAM_CLUSTER_DIR:-$repo/.midstream/cluster}" && pwd)"
rest_port="${MIDSTREAM_REST_PORT:-8081}"
zk_port="${MIDSTREAM_ZK_PORT:-2181}"
lib="$repo/local-cluster/target/flink/lib"
conf="$home/conf"

log() { echo "flink-cluster: $*" >&2; }

ensure_lib() {
    if [[ ! -d "$lib" ]] || ! ls "$lib"/flink-runtime-*.jar >/dev/null 2>&1; then
        log "assembling lib/ from Maven Central (once)…"
        (cd "$repo" && ./mvnw -q -B -ntp -DskipTests -pl local-cluster -am package)
    fi
}

write_conf() {
    mkdir -p "$conf" "$home/log" "$home/tmp" "$home/checkpoints" "$home/savepoints"
    local overrides=(
        "execution.checkpointing.dir: file://$home/checkpoints"
        "execution.checkpointing.savepoint-dir: file://$home/savepoints"
        "io.tmp.dirs: $home/tmp"
        "web.tmpdir: $home/tmp"
        "rest.port: $rest_port"
        "rest.address: 127.0.0.1"
        "rest.bind-address: 127.0.0.1"
        "jobmanager.rpc.address: 127.0.0.1"
        "jobmanager.rpc.port: ${MIDSTREAM_RPC_PORT:-6123}"
        "jobmanager.bind-host: 127.0.0.1"
        "taskmanager.bind-host: 127.0.0.1"
        "taskmanager.host: 127.0.0.1"
        "metrics.reporter.prom.port: ${MIDSTREAM_PROM_PORTS:-9249-9260}"
    )
    # Extra "key: value" lines, one per line, e.g. faster failure detection for fault tests.
    if [[ -n "${MIDSTREAM_FLINK_CONF:-}" ]]; then
        while IFS= read -r line; do [[ -n "$line" ]] && overrides+=("$line"); done <<<"$MIDSTREAM_FLINK_CONF"
    fi
    if [[ "${MIDSTREAM_HA:-none}" == zookeeper ]]; then
        mkdir -p "$home/ha" "$home/zookeeper"
        overrides+=(
            "high-availability.type: zookeeper"
            "high-availability.zookeeper.quorum: 127.0.0.1:$zk_port"
            "high-availability.storageDir: file://$home/ha"
            "high-availability.cluster-id: /midstream-local"
        )
        cat > "$conf/zoo.cfg" <<ZOO
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$home/zookeeper
clientPort=$zk_port
clientPortAddress=127.0.0.1
admin.enableServer=false
ZOO
    elif [[ "${MIDSTREAM_HA:-none}" != none ]]; then
        log "MIDSTREAM_HA=${MIDSTREAM_HA} is not a high-availability mode here: use zookeeper, or none (the default)"
        exit 2
    fi
    local pattern
    pattern="$(printf '%s\n' "${overrides[@]}" | sed 's/:.*//' | paste -sd'|')"
    { grep -vE "^($pattern):" "$repo/flink-conf/local/config.yaml"; printf '%s\n' "${overrides[@]}"; } > "$conf/config.yaml"
    cat > "$conf/log4j.properties" <<'LOG4J'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = File
appender.file.type = File
appender.file.name = File
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
LOG4J
    cat > "$conf/log4j-cli.properties" <<'LOG4J'
rootLogger.level = WARN
rootLogger.appenderRef.console.ref = Console
appender.console.type = Console
appender.console.name = Console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %-5p %c{1} - %m%n
LOG4J
}

# The JVM flags (line 1) and -D dynamic properties (line 2) Flink's own scripts derive from the memory config.
resource_params() {
    java -cp "$lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$conf" 2>/dev/null \
        | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

running() { [[ -f "$home/$1.pid" ]] && kill -0 "$(cat "$home/$1.pid")" 2>/dev/null; }

start_process() { # name main-class jvm-flags dynamic-properties
    local name="$1" main="$2" jvm="$3" dynamic="$4"
    # shellcheck disable=SC2086 # the flag strings are lists of words
    nohup java "${JAVA_OPENS[@]}" $jvm -Djava.io.tmpdir="$home/tmp" -Dlog.file="$home/log/$name.log" \
        -Dlog4j.configurationFile="file:$conf/log4j.properties" -cp "$lib/*" "$main" --configDir "$conf" $dynamic \
        > "$home/log/$name.out" 2>&1 < /dev/null &
    echo $! > "$home/$name.pid"
}

start_taskmanager() {
    if running taskmanager; then log "TaskManager already running"; return; fi
    local params
    params="$(resource_params GET_TM_RESOURCE_PARAMS)"
    start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
        "$(sed -n 1p <<<"$params")" "$(sed -n 2p <<<"$params")"
    log "TaskManager started (pid $(cat "$home/taskmanager.pid"))"
}

# poll_until SECONDS FAILURE-MESSAGE COMMAND...: runs COMMAND every 0.5 s until it succeeds; after SECONDS, logs
# the message and fails.
poll_until() {
    local seconds="$1" failure="$2"
    shift 2
    for _ in $(seq 1 $((seconds * 2))); do
        if "$@"; then return 0; fi
        sleep 0.5
    done
    log "$failure"
    return 1
}

taskmanager_registered() { curl -sf "http://127.0.0.1:$rest_port/taskmanagers" 2>/dev/null | grep -q '"id"'; }
rest_answers() { curl -sf "http://127.0.0.1:$rest_port/overview" >/dev/null 2>&1; }
zookeeper_listens() { (exec 3<>"/dev/tcp/127.0.0.1/$zk_port") 2>/dev/null; }

wait_for_taskmanager() {
    poll_until 60 "no TaskManager registered within 60 s; see $home/log" taskmanager_registered
}

start_zookeeper() {
    [[ "${MIDSTREAM_HA:-none}" == zookeeper ]] || return 0
    if running zookeeper; then log "ZooKeeper already running"; return; fi
    start_process zookeeper org.apache.flink.runtime.zookeeper.FlinkZooKeeperQuorumPeer "-Xmx128m" \
        "--zkConfigFile $conf/zoo.cfg --peerId 1"
    poll_until 30 "ZooKeeper did not listen on 127.0.0.1:$zk_port within 30 s; see $home/log/zookeeper.log" \
        zookeeper_listens || return 1
    log "ZooKeeper started (pid $(cat "$home/zookeeper.pid"), 127.0.0.1:$zk_port)"
}

start_jobmanager() {
    if running jobmanager; then log "JobManager already running"; return; fi
    local params
    params="$(resource_params GET_JM_RESOURCE_PARAMS)"
    start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
        "$(sed -n 1p <<<"$params")" "$(sed -n 2p <<<"$params")"
    log "JobManager started (pid $(cat "$home/jobmanager.pid"))"
}

wait_for_rest() {
    poll_until 60 "the JobManager's REST API did not answer on port $rest_port within 60 s; see $home/log" rest_answers
}

start() {
    ensure_lib
    write_conf
    local t0=$SECONDS
    start_zookeeper
    start_jobmanager
    start_taskmanager
    wait_for_taskmanager
    log "ready in $((SECONDS - t0)) s: web UI http://localhost:$rest_port, logs in $home/log"
}

stop_process() {
    local name="$1"
    if running "$name"; then
        local pid
        pid="$(cat "$home/$name.pid")"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -9 "$pid" 2>/dev/null || true
        log "$name stopped"
    fi
    rm -f "$home/$name.pid"
}

case "${1:-}" in
    start) start ;;
    stop) stop_process taskmanager; stop_process jobmanager; stop_process zookeeper ;;
    start-taskmanager) ensure_lib; write_conf; start_taskmanager; wait_for_taskmanager ;;
    kill-taskmanager) running taskmanager && kill -9 "$(cat "$home/taskmanager.pid")" && rm -f "$home/taskmanager.pid" && log "TaskManager killed (-9)" ;;
    start-jobmanager) ensure_lib; write_conf; start_jobmanager; wait_for_rest ;;
    kill-jobmanager) running jobmanager && kill -9 "$(cat "$home/jobmanager.pid")" && rm -f "$home/jobmanager.pid" && log "JobManager killed (-9)" ;;
    status) curl -sf "http://127.0.0.1:$rest_port/overview" && echo || { log "not running"; exit 1; } ;;
    flink)
        shift
        ensure_lib
        [[ -f "$conf/config.yaml" ]] || write_conf
        FLINK_CONF_DIR="$conf" exec java "${JAVA_OPENS[@]}" -Dlog4j.configurationFile="file:$conf/log4j-cli.properties" \
            -cp "$lib/*" org.apache.flink.client.cli.CliFrontend "$@" ;;
    *) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
