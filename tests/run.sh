#!/bin/bash
# Runs the suite against one or more build directories (the first is the
# normal build, later ones e.g. the sanitizer build) and prints the totals
# last, as "N passed, N failed" (", N skipped" follows when a suite skipped
# something). Exit 0 only when nothing failed.
#   unit        BUILD/tests/test_*        (cmocka; each case counts)
#   scenarios   tests/scenarios/*.lua     (headless; each file counts, and
#                                          one that ran no check fails)
#   suites      tests/suites/*.sh BUILD   (each prints "N passed, N failed";
#                                          a line "  skip - why" is a skip)
#   e2e         the suites that drive the dashboard in tmux, a subset of
#               suites: those that source tests/lib/tmux.sh or run tmux -L
# usage: tests/run.sh [--only KIND[,KIND...]] [-j N] BUILD...
#   (default: unit,scenarios,suites)
#
# Jobs (the unit binaries of a build, its scenarios, each suite on each
# build) run side by side, N at a time (-j N, or QL_TEST_JOBS; default the
# number of cores). The tmux suites decide on what the screen shows within
# bounded waits, so they run one at a time (QL_TMUX_JOBS, default 1) beside
# the headless jobs; a suite on the wall clock with real clients (--listen)
# mostly waits, so it runs one at a time in a lane of its own, beside the
# N; no suite runs on two builds at once (its tmux sockets and ports are
# its own, but one suite twice would compete with itself). Each job's
# report is printed whole, in the order the jobs are listed, with the
# seconds it took; -j 1 runs them one after another.
# QL_TEST_LOGS=DIR keeps each suite's whole output there (BUILD-SUITE.log,
# the build's slashes as dashes), where a wait that ran out says so.
set -u
cd "$(dirname "$0")/.."
only="unit,scenarios,suites"
jobs=${QL_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
tmux_jobs=${QL_TMUX_JOBS:-1}
while [ $# -gt 0 ]; do
    case "$1" in
    --only) only=${2:?"--only needs unit, scenarios, suites or e2e"}; shift 2 ;;
    -j) jobs=${2:?"-j needs a number"}; shift 2 ;;
    -j*) jobs=${1#-j}; shift ;;
    *) break ;;
    esac
done
for k in $(echo "$only" | tr ',' ' '); do
    case "$k" in unit|scenarios|suites|e2e) ;;
        *) echo "run.sh: unknown kind '$k' (unit, scenarios, suites, e2e)" >&2; exit 2 ;;
    esac
done
case "$jobs$tmux_jobs" in *[!0-9]*|'') echo "run.sh: -j and QL_TMUX_JOBS take a number" >&2; exit 2 ;; esac
[ "$jobs" -ge 1 ] || jobs=1
[ "$tmux_jobs" -ge 1 ] || tmux_jobs=1
[ $# -gt 0 ] || { echo "usage: tests/run.sh [--only unit,scenarios,suites,e2e] [-j N] BUILD..." >&2; exit 2; }
# wait -n -p (which job ended) came with bash 5.1 (Debian 12 has 5.2)
if [ "${BASH_VERSINFO[0]}" -lt 5 ] || { [ "${BASH_VERSINFO[0]}" -eq 5 ] && [ "${BASH_VERSINFO[1]}" -lt 1 ]; }; then
    echo "run.sh: needs bash 5.1 or newer (this is $BASH_VERSION)" >&2; exit 2
fi
dir=$(mktemp -d)

wants() { case ",$only," in *",$1,"*) return 0 ;; esac; return 1; }
now_ms() { date +%s%3N; }
# is_tmux SUITE: it drives the dashboard in tmux (the helpers, or its own)
is_tmux() { grep -qE 'tests/lib/tmux\.sh|tmux -L' "$1"; }
# is_wall SUITE: headless, on the wall clock with real clients (--listen)
is_wall() { [ "$jobs" -gt 1 ] && grep -q -- '--listen' "$1"; }

# Each job runs in the background with its output in $dir/N.out and its
# verdict in $dir/N.res: "P F" (the checks passed and failed), then one
# line "fail WHAT" per failure and "skip WHY" per skip.
res() { echo "$1 $2" >"$res"; }

# job_unit BUILD: every cmocka binary; a crash counts as one failure
job_unit() {
    p_all=0; f_all=0
    for t in "$1"/tests/test_*; do
        [ -x "$t" ] || continue
        if "$t" >"$log" 2>&1; then rc=0; else rc=$?; fi
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        p=${p:-0}; f=${f:-0}
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        p_all=$((p_all + p)); f_all=$((f_all + f))
        if [ "$f" -gt 0 ]; then
            echo "fail $1: $(basename "$t")" >>"$res.list"
            sed 's/^/    /' "$log" | grep -v '^    \[ \(RUN\|       OK\) ' | tail -n 30
        fi
        echo "  unit $(basename "$t"): $p passed, $f failed"
    done
    res "$p_all" "$f_all"
}

# job_scenarios BUILD: each file passes when it exits 0 after at least one
# check ran (its last line "N passed, 0 failed" with N > 0): a script
# that stopped early or checked nothing proves nothing
job_scenarios() {
    p_all=0; f_all=0
    for s in tests/scenarios/*.lua; do
        [ -f "$s" ] || continue
        if "$1/quorumlab" --headless "$s" >"$log" 2>&1; then rc=0; else rc=$?; fi
        last=$(tail -n 1 "$log")
        n=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p')
        if [ "$rc" -eq 0 ] && [ "${n:-0}" -gt 0 ]; then
            p_all=$((p_all + 1))
            echo "  scenario $(basename "$s"): ok ($last)"
        else
            f_all=$((f_all + 1)); echo "fail $1: $s" >>"$res.list"
            if [ "$rc" -eq 0 ]; then why="ran no check"; else why="exit $rc"; fi
            echo "  scenario $(basename "$s"): FAILED ($why)"
            sed 's/^/    /' "$log" | tail -n 25
        fi
    done
    res "$p_all" "$f_all"
}

# job_suite BUILD SUITE: one suite; its last "N passed, N failed" counts,
# and a failing exit status with no failure counted is one failure
job_suite() {
    name=$(basename "$2" .sh)
    "$2" "$1" >"$log" 2>&1
    rc=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p'); p=${p:-0}
    f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p'); f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$f" -gt 0 ]; then
        echo "fail $1: $2" >>"$res.list"
        echo "    failing checks:"
        grep -E 'FAIL' "$log" | head -n 20 | sed 's/^/      /'
        sed 's/^/    /' "$log" | tail -n 30
    fi
    echo "  suite $name.sh: $p passed, $f failed ($(( ($(now_ms) - t0 + 500) / 1000 )) s)"
    # a skip is said where it happens and again in the summary
    grep -E '^ *skip - ' "$log" | sed 's/^ *skip - //' | while IFS= read -r why; do
        echo "skip $1: $name.sh: $why" >>"$res.list"
        echo "    skipped: $why"
    done
    if [ -n "${QL_TEST_LOGS:-}" ]; then
        mkdir -p "$QL_TEST_LOGS" && cp "$log" "$QL_TEST_LOGS/$(echo "$1" | tr / -)-$name.log"
    fi
    res "$p" "$f"
}

# The jobs, in the order their reports print: per build, the unit tests,
# the scenarios, then each suite
n=0
add() { jb_build[n]=$build; jb_kind[n]=$1; jb_arg[n]=$2; jb_lane[n]=$3; n=$((n + 1)); }
for build in "$@"; do
    if wants unit; then add unit "" free; fi
    if wants scenarios; then add scenarios "" free; fi
    if wants suites || wants e2e; then
        for suite in tests/suites/*.sh; do
            [ -f "$suite" ] || continue
            if is_tmux "$suite"; then add suite "$suite" tmux
            elif ! wants suites; then :
            elif is_wall "$suite"; then add suite "$suite" wall
            else add suite "$suite" free
            fi
        done
    fi
done

# run_job I: job I in the background, in its own process group (set -m)
# so an interrupt can end it with everything it started
set -m
run_job() {
    i=$1
    (
        log=$dir/$i.log res=$dir/$i.res t0=$(now_ms)
        : >"$res.list"
        case "${jb_kind[i]}" in
        unit) job_unit "${jb_build[i]}"
              echo "  unit tests: $(( ($(now_ms) - t0 + 500) / 1000 )) s" ;;
        scenarios) job_scenarios "${jb_build[i]}"
              echo "  scenarios: $(( ($(now_ms) - t0 + 500) / 1000 )) s" ;;
        suite) job_suite "${jb_build[i]}" "${jb_arg[i]}" ;;
        esac
    ) </dev/null >"$dir/$i.out" 2>&1 &
    jb_pid[i]=$!
    pid_job[$!]=$i
}
declare -a jb_state pid_job   # state: "" waiting, run, done
stop_all() {
    exec 2>/dev/null   # no "Terminated" notice per job
    for i in "${!jb_state[@]}"; do
        [ "${jb_state[i]}" = run ] && kill -TERM -- "-${jb_pid[i]}" 2>/dev/null
    done
    { wait; } 2>/dev/null
    rm -rf "$dir"
    exit 130
}
trap stop_all INT TERM
trap 'rm -rf "$dir"' EXIT

# can_start I: a free slot for its lane, and its suite not running on
# another build
can_start() {
    i=$1
    if [ "${jb_lane[i]}" = wall ]; then
        [ "$running_wall" -lt 1 ] || return 1
    else
        [ "$running" -lt "$jobs" ] || return 1
    fi
    if [ "${jb_lane[i]}" = tmux ] && [ "$running_tmux" -ge "$tmux_jobs" ]; then return 1; fi
    if [ "${jb_kind[i]}" = suite ]; then
        for j in "${!jb_state[@]}"; do
            [ "${jb_state[j]}" = run ] && [ "${jb_arg[j]}" = "${jb_arg[i]}" ] && return 1
        done
    fi
    return 0
}
# start_some: the tmux lane first (its suites take the longest), then
# the rest in order
start_some() {
    for lane in tmux wall free; do
        for ((i = 0; i < n; i++)); do
            [ -z "${jb_state[i]:-}" ] && [ "${jb_lane[i]}" = $lane ] || continue
            can_start "$i" || continue
            run_job "$i"; jb_state[i]=run
            case $lane in
            wall) running_wall=$((running_wall + 1)) ;;
            tmux) running=$((running + 1)); running_tmux=$((running_tmux + 1)) ;;
            *) running=$((running + 1)) ;;
            esac
        done
    done
}

passed=0
failed=0
skipped=0
failures=""
skips=""
shown=0
last_build=""
# show_done: the reports of the finished jobs that are next in order
show_done() {
    while [ "$shown" -lt "$n" ] && [ "${jb_state[shown]:-}" = done ]; do
        i=$shown
        if [ "${jb_build[i]}" != "$last_build" ]; then
            last_build=${jb_build[i]}; echo "== $only on $last_build"
        fi
        cat "$dir/$i.out"
        read -r p f <"$dir/$i.res" 2>/dev/null || { p=0; f=1; echo "fail ${jb_build[i]}: ${jb_kind[i]} ${jb_arg[i]} ended without a verdict" >>"$dir/$i.res.list"; }
        passed=$((passed + p)); failed=$((failed + f))
        # a failing item counts its failed checks, but once in the list
        while IFS= read -r l; do
            case "$l" in
            fail\ *) failures="$failures\n  ${l#fail }" ;;
            skip\ *) skipped=$((skipped + 1)); skips="$skips\n  ${l#skip }" ;;
            esac
        done <"$dir/$i.res.list"
        shown=$((shown + 1))
    done
}

t_start=$(now_ms)
running=0
running_tmux=0
running_wall=0
start_some
while [ $((running + running_wall)) -gt 0 ]; do
    wait -n -p pid
    i=${pid_job[pid]:-}
    [ -n "$i" ] || continue
    jb_state[i]=done
    case "${jb_lane[i]}" in
    wall) running_wall=$((running_wall - 1)) ;;
    tmux) running=$((running - 1)); running_tmux=$((running_tmux - 1)) ;;
    *) running=$((running - 1)) ;;
    esac
    start_some
    show_done
done
show_done

echo "time: $(( ($(now_ms) - t_start + 500) / 1000 )) s for $n jobs, $jobs at a time"
[ "$skipped" -gt 0 ] && printf "skipped:%b\n" "$skips"
[ "$failed" -gt 0 ] && printf "failures:%b\n" "$failures"
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
