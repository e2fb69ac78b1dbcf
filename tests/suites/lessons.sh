#!/bin/sh
# Every lesson is also a test: run each lessons/*.lua headless, in both
# languages, and count it as passed when it exits 0.
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
        if "$build/quorumlab" --headless "$lesson" --lang "$lang" >"$out" 2>&1; then
            passed=$((passed + 1))
            echo "ok   $lesson ($lang): $(tail -n 1 "$out")"
        else
            failed=$((failed + 1))
            echo "FAIL $lesson ($lang)"
            tail -n 20 "$out" | sed 's/^/    /'
        fi
    done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
