#!/bin/sh
# Prints the benchmark figures as a table: every BUILD/bench/bench_* binary
# is run once and its rows ("label<TAB>value<TAB>unit", comments start with
# #) are laid out under its name. Figures only: nothing here passes or fails,
# and a benchmark that cannot run is reported, not fatal.
#   tests/bench.sh BUILD_DIR      (make bench runs it after building)
# BENCH_SIM_S, BENCH_ZK_MIN and BENCH_KAFKA_S override the simulated durations;
# BENCH_LUA_RUNS (3) and BENCH_LUA_SIZES (100x10000,300x100000) bench_lua's
# runs per figure and its sizes (brokers x partitions); BENCH_FAILOVER_MODE
# (zk,kraft: ZooKeeper mode, then KRaft mode; or one of them) and
# BENCH_FAILOVER_SIZES (1000,10000,100000) bench_failover's controller
# failover runs.
set -u
build=${1:-build}
cd "$(dirname "$0")/.."

# Arguments per benchmark: the simulated duration it runs for.
args_for() {
    case "$1" in
        bench_sim) echo "${BENCH_SIM_S:-200}" ;;
        bench_zk)  echo "${BENCH_ZK_MIN:-10}" ;;
        bench_kafka) echo "${BENCH_KAFKA_S:-60} 100 10000" ;;
        bench_lua) echo "$build ${BENCH_LUA_RUNS:-3} ${BENCH_LUA_SIZES:-100x10000,300x100000}" ;;
        bench_failover) echo "${BENCH_FAILOVER_MODE:-zk,kraft} ${BENCH_FAILOVER_SIZES:-1000,10000,100000}" ;;
        *)         echo "" ;;
    esac
}

found=0
printf "quorumlab benchmarks (%s, %s)\n" "$(uname -m)" \
    "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')"
for b in "$build"/bench/bench_*; do
    [ -x "$b" ] || continue
    found=1
    name=$(basename "$b")
    out=$(mktemp)
    # shellcheck disable=SC2046 # the argument list is meant to split
    "$b" $(args_for "$name") >"$out" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ]; then
        echo
        echo "== $name"
        sed -n 's/^# */   /p' "$out"
        awk -F '\t' '!/^#/ && NF >= 2 {
            v = $2
            if (v + 0 >= 1e6)      s = sprintf("%.2f M", v / 1e6)
            else if (v + 0 >= 1e4) s = sprintf("%.1f k", v / 1e3)
            else                   s = sprintf("%.3g", v)
            printf "   %-28s %14s %s\n", $1, s, $3
        }' "$out"
    else
        echo
        echo "== $name: did not run (exit $rc); its output:"
        sed 's/^/   /' "$out" | tail -n 10
    fi
    rm -f "$out"
done
[ "$found" -eq 1 ] || echo "no benchmarks in $build/bench (run: make bench)"
exit 0
