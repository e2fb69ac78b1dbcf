#!/bin/sh
# Every lesson is also a test: run each lessons/*.lua headless, in both
# languages, and count it as passed when it exits 0 after at least one
# check (a lesson that checks nothing claims nothing).
# Usage: tests/suites/lessons.sh BUILD_DIR
set -u
build=${1:-build}
cd "$(dirname "$0")/../.."
passed=0
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for lesson in lessons/*.lua; do
    for lang in en ko; do
        if "$build/quorumlab" --headless "$lesson" --lang "$lang" >"$out" 2>&1; then rc=0; else rc=$?; fi
        n=$(tail -n 1 "$out" | sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p')
        if [ "$rc" -eq 0 ] && [ "${n:-0}" -gt 0 ]; then
            passed=$((passed + 1))
            echo "ok   $lesson ($lang): $(tail -n 1 "$out")"
        else
            failed=$((failed + 1))
            if [ "$rc" -eq 0 ]; then echo "FAIL $lesson ($lang): ran no check"
            else echo "FAIL $lesson ($lang): exit $rc"; fi
            tail -n 20 "$out" | sed 's/^/    /'
        fi
    done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
