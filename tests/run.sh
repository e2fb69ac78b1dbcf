#!/bin/sh
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
#               suites: e2e.sh, e2e_msgs.sh, e2e_pace.sh, e2e_compare.sh, abuse.sh, hangup.sh, teach.sh, truthful.sh,
#               lesson_keys.sh
# usage: tests/run.sh [--only KIND[,KIND...]] BUILD...
#   (default: unit,scenarios,suites)
set -u
cd "$(dirname "$0")/.."
only="unit,scenarios,suites"
if [ "${1:-}" = "--only" ]; then
    only=${2:?"--only needs unit, scenarios, suites or e2e"}
    shift 2
fi
for k in $(echo "$only" | tr ',' ' '); do
    case "$k" in unit|scenarios|suites|e2e) ;;
        *) echo "run.sh: unknown kind '$k' (unit, scenarios, suites, e2e)" >&2; exit 2 ;;
    esac
done
[ $# -gt 0 ] || { echo "usage: tests/run.sh [--only unit,scenarios,suites,e2e] BUILD..." >&2; exit 2; }
tmux_suites="e2e e2e_msgs e2e_pace e2e_compare abuse hangup teach truthful lesson_keys real_dashboard"
passed=0
failed=0
skipped=0
failures=""
skips=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

wants() { case ",$only," in *",$1,"*) return 0 ;; esac; return 1; }
note_fail() { failed=$((failed + 1)); failures="$failures\n  $1"; }

# run_unit BUILD: every cmocka binary; a crash counts as one failure
run_unit() {
    for t in "$1"/tests/test_*; do
        [ -x "$t" ] || continue
        if "$t" >"$log" 2>&1; then rc=0; else rc=$?; fi
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        p=${p:-0}; f=${f:-0}
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        passed=$((passed + p))
        if [ "$f" -gt 0 ]; then
            failed=$((failed + f - 1)); note_fail "$1: $(basename "$t")"
            sed 's/^/    /' "$log" | grep -v '^    \[ \(RUN\|       OK\) ' | tail -n 30
        fi
        echo "  unit $(basename "$t"): $p passed, $f failed"
    done
}

# run_scenarios BUILD: each file passes when it exits 0 after at least one
# check ran (its last line "N passed, 0 failed" with N > 0): a script
# that stopped early or checked nothing proves nothing
run_scenarios() {
    for s in tests/scenarios/*.lua; do
        [ -f "$s" ] || continue
        if "$1/quorumlab" --headless "$s" >"$log" 2>&1; then rc=0; else rc=$?; fi
        last=$(tail -n 1 "$log")
        n=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p')
        if [ "$rc" -eq 0 ] && [ "${n:-0}" -gt 0 ]; then
            passed=$((passed + 1))
            echo "  scenario $(basename "$s"): ok ($last)"
        else
            note_fail "$1: $s"
            if [ "$rc" -eq 0 ]; then why="ran no check"; else why="exit $rc"; fi
            echo "  scenario $(basename "$s"): FAILED ($why)"
            sed 's/^/    /' "$log" | tail -n 25
        fi
    done
}

# run_suites BUILD [NAMES]: every suite, or only those named
run_suites() {
    for suite in tests/suites/*.sh; do
        [ -f "$suite" ] || continue
        name=$(basename "$suite" .sh)
        if [ $# -gt 1 ]; then
            case " $2 " in *" $name "*) ;; *) continue ;; esac
        fi
        "$suite" "$1" >"$log" 2>&1
        rc=$?
        line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
        p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p'); p=${p:-0}
        f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p'); f=${f:-0}
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        passed=$((passed + p))
        if [ "$f" -gt 0 ]; then
            failed=$((failed + f - 1)); note_fail "$1: $suite"
            echo "    failing checks:"
            grep -E 'FAIL' "$log" | head -n 20 | sed 's/^/      /'
            sed 's/^/    /' "$log" | tail -n 30
        fi
        echo "  suite $name.sh: $p passed, $f failed"
        # a skip is said where it happens and again in the summary
        grep -E '^ *skip - ' "$log" | sed 's/^ *skip - //' >"$log.skip"
        while IFS= read -r why; do
            skipped=$((skipped + 1)); skips="$skips\n  $1: $name.sh: $why"
            echo "    skipped: $why"
        done <"$log.skip"
        rm -f "$log.skip"
    done
}

for build in "$@"; do
    echo "== $only on $build"
    if wants unit; then run_unit "$build"; fi
    if wants scenarios; then run_scenarios "$build"; fi
    if wants suites; then run_suites "$build"
    elif wants e2e; then run_suites "$build" "$tmux_suites"
    fi
done

[ "$skipped" -gt 0 ] && printf "skipped:%b\n" "$skips"
[ "$failed" -gt 0 ] && printf "failures:%b\n" "$failures"
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
