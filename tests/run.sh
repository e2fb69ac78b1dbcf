#!/bin/sh
# Runs the whole suite against one or more build directories (the first is
# the normal build, later ones e.g. the sanitizer build) and prints the
# totals last, as "N passed, N failed". Exit 0 only when nothing failed.
#   unit tests:      BUILD/tests/test_*        (cmocka; each case counts)
#   scenario tests:  tests/scenarios/*.lua     (headless; each file counts)
#   other suites:    tests/suites/*.sh BUILD   (each prints "N passed, N failed")
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
failures=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

note_fail() { failed=$((failed + 1)); failures="$failures\n  $1"; }

for build in "$@"; do
    echo "== suite on $build"
    for t in "$build"/tests/test_*; do
        [ -x "$t" ] || continue
        if "$t" >"$log" 2>&1; then rc=0; else rc=$?; fi
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        p=${p:-0}; f=${f:-0}
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed
        passed=$((passed + p))
        if [ "$f" -gt 0 ]; then
            failed=$((failed + f - 1)); note_fail "$build: $(basename "$t")"
            sed 's/^/    /' "$log" | grep -v '^    \[ \(RUN\|       OK\) ' | tail -n 30
        fi
        echo "  unit $(basename "$t"): $p passed, $f failed"
    done
    for s in tests/scenarios/*.lua; do
        [ -f "$s" ] || continue
        if "$build/quorumlab" --headless "$s" >"$log" 2>&1; then
            passed=$((passed + 1))
            echo "  scenario $(basename "$s"): ok ($(tail -n 1 "$log"))"
        else
            note_fail "$build: $s"
            echo "  scenario $(basename "$s"): FAILED"
            sed 's/^/    /' "$log" | tail -n 25
        fi
    done
    for suite in tests/suites/*.sh; do
        [ -f "$suite" ] || continue
        "$suite" "$build" >"$log" 2>&1
        rc=$?
        line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
        p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p'); p=${p:-0}
        f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p'); f=${f:-0}
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        passed=$((passed + p))
        if [ "$f" -gt 0 ]; then
            failed=$((failed + f - 1)); note_fail "$build: $suite"
            echo "    failing checks:"
            grep -E 'FAIL' "$log" | head -n 20 | sed 's/^/      /'
            sed 's/^/    /' "$log" | tail -n 30
        fi
        echo "  suite $(basename "$suite"): $p passed, $f failed"
    done
done

if [ "$failed" -gt 0 ]; then
    printf "failures:%b\n" "$failures"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
