#!/usr/bin/env bash
# bench/run.sh jmh-ab REF [pattern]: one microbenchmark, this tree (A) against the commit REF (B), both at once.
# run.sh builds this tree first; this script builds REF and runs the two.
#
# On a shared VM the rate of one benchmark moves 20-40 % between iterations (the host's load), more than most
# changes are worth, so A then B cannot tell them apart. Here A and B run at the same time, one on each core, so
# both see the same machine at the same moments, and what is compared is A's rate over B's in each iteration. The
# two cores are not equally fast either (9 % apart in one run on 12-06, 50 % in the next, whichever side sat
# there), so the two swap cores every second (JMH's forked JVMs with them), and each 2-second iteration spends as
# long on either. And a JVM's JIT can settle on slower code for the same bytecode (one fork of an A/A pair ran 21 %
# behind the other for its whole run), so each side runs three forks, each warmed up for 12 s (on one core the
# compiler shares the core with the benchmark: at 6 s the rate was still climbing). Two rounds; it reports each
# round's median ratio over all iterations and their geometric mean. An A/A run (REF = HEAD, the tree clean) on
# 12-06 measured 1.006 and 1.032, so 1.019 (a second: 1.017): read a result within about 3 % of 1 as no difference.
#
# The udfs and jobs jars are built for REF in a detached git worktree under target/; the benchmark classes are
# this tree's for both, so REF must have the operators they call. Needs two cores and taskset (util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 1 || "$1" == -* ]]; then
    echo "usage: bench/run.sh jmh-ab REF [benchmark pattern, default ChainBenchmark]" >&2
    exit 2
fi
ref=$(git rev-parse --verify "$1^{commit}")
pattern=${2:-ChainBenchmark}
command -v taskset >/dev/null || { echo "taskset is missing: apt-get install util-linux" >&2; exit 1; }
[[ $(nproc) -ge 2 ]] || { echo "needs two cores, this machine has $(nproc)" >&2; exit 1; }

work=target/jmh-ab
rm -rf "$work/A" "$work/B"
mkdir -p "$work/A" "$work/B"
[[ -f bench/target/bench.classpath ]] || { echo "run it as bench/run.sh jmh-ab REF [pattern]" >&2; exit 2; }
cp udfs/target/midstream-udfs-*-SNAPSHOT.jar jobs/target/midstream-jobs-*-SNAPSHOT.jar "$work/A/"
rm -f "$work"/A/*-tests.jar "$work"/A/*-flink.jar

echo "Building $1 ($ref) in $work/ref…"
git worktree remove --force "$work/ref" 2>/dev/null || rm -rf "$work/ref"
git worktree add -q --detach "$work/ref" "$ref"
trap 'git worktree remove --force "$work/ref" 2>/dev/null || true' EXIT
# package, not install: the local repository keeps this tree's jars
(cd "$work/ref" && ./mvnw -q -B -ntp -DskipTests -Djacoco.skip=true package -pl jobs -am)
cp "$work"/ref/udfs/target/midstream-udfs-*-SNAPSHOT.jar "$work"/ref/jobs/target/midstream-jobs-*-SNAPSHOT.jar \
    "$work/B/"
rm -f "$work"/B/*-tests.jar "$work"/B/*-flink.jar

source deploy/local/java-opens.sh
classpath() { # the bench classpath with the udfs and jobs jars of $1 (A or B)
    echo "bench/target/classes:$(tr ':' '\n' < bench/target/bench.classpath \
        | sed -E "s#.*/(midstream-(jobs|udfs)-[^/]*-SNAPSHOT\.jar)#$work/$1/\1#" | paste -sd:)"
}
run() { # side core round
    # one core each: the JVM sizes its GC and compiler threads to it, so neither side takes the other's core
    exec taskset -c "$2" java -Djmh.ignoreLock=true "${JAVA_OPENS[@]}" -Xmx2g -cp "$(classpath "$1")" \
        org.openjdk.jmh.Main -f 3 -wi 6 -w 2s -i 10 -r 2s -prof gc \
        -jvmArgs "${JAVA_OPENS[*]} -Xmx2g -XX:ActiveProcessorCount=1" "$pattern" > "$work/$1-$3.log" 2>&1
}
pin() { # core pid: the process, its forked JVM and all their threads
    local p
    for p in "$2" $(pgrep -P "$2" || true); do
        taskset -a -p -c "$1" "$p" >/dev/null 2>&1 || true
    done
}
rates() { grep -E '^Iteration' "$1" | awk '{print $3}'; }
median() { sort -g | awk '{a[NR] = $1} END {if (NR == 0) exit 1; printf "%.4f\n", (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2}'; }
bytes() { grep 'gc.alloc.rate.norm' "$1" | tail -1 | awk '{print $(NF - 3)}'; }

ratios=()
for round in 1 2; do
    coreA=$((round - 1)); coreB=$((1 - coreA))
    echo "Round $round: A starts on core $coreA, B on core $coreB, swapping every second, $pattern…"
    run A "$coreA" "$round" & pidA=$!
    run B "$coreB" "$round" & pidB=$!
    while kill -0 "$pidA" 2>/dev/null && kill -0 "$pidB" 2>/dev/null; do
        sleep 1
        coreA=$((1 - coreA)); coreB=$((1 - coreB))
        pin "$coreA" "$pidA"
        pin "$coreB" "$pidB"
    done
    if ! wait "$pidA" || ! wait "$pidB"; then
        kill "$pidA" "$pidB" 2>/dev/null || true
        echo "a benchmark failed: see $work/A-$round.log and $work/B-$round.log" >&2
        exit 1
    fi
    ratio=$(paste <(rates "$work/A-$round.log") <(rates "$work/B-$round.log") | awk '{printf "%.4f\n", $1 / $2}' | median)
    printf '  A median %.0f ops/s, %s B/op;  B median %.0f ops/s, %s B/op;  A/B per iteration: median %s\n' \
        "$(rates "$work/A-$round.log" | median)" "$(bytes "$work/A-$round.log")" \
        "$(rates "$work/B-$round.log" | median)" "$(bytes "$work/B-$round.log")" "$ratio"
    ratios+=("$ratio")
done
awk -v a="${ratios[0]}" -v b="${ratios[1]}" -v ref="$1" \
    'BEGIN {printf "A (this tree) / B (%s): %.3f, the geometric mean of the two rounds\n", ref, sqrt(a * b)}'
