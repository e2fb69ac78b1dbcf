#!/bin/sh
# valgrind memcheck over every lesson and scenario (headless) and 100 fuzz
# seeds: 0 errors, 0 leaks. Skipped (counting nothing) when valgrind is
# missing, and for a sanitizer build: ASan's shadow memory and valgrind's
# own instrumentation cannot run in one process. Usage: valgrind.sh BUILD_DIR
# Time (measured): about 45 s on the 2-core dev machine (29 runs).
set -u
cd "$(dirname "$0")/../.."
build="${1:-build}"
bin="$build/quorumlab"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok()   { passed=$((passed + 1)); echo "  ok   - $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL - $1"; }

if ! command -v valgrind >/dev/null 2>&1; then
    echo "  skip - valgrind is not installed"
    echo "0 passed, 0 failed"
    exit 0
fi
case "$build" in
    *asan*)
        echo "  skip - $build is an ASan build: ASan and valgrind do not mix (run this on the normal build)"
        echo "0 passed, 0 failed"
        exit 0 ;;
esac

# memcheck NAME ARGS...: exit status 9 means valgrind found errors; leaks
# of any kind count as errors through --errors-for-leak-kinds=all.
memcheck() {
    name=$1; shift
    # a headless run leaves its world to the exit unless told to free it
    QUORUMLAB_FREE_AT_EXIT=1 valgrind --quiet --leak-check=full --show-leak-kinds=all \
        --errors-for-leak-kinds=all --error-exitcode=9 \
        --log-file="$tmp/vg.log" "$bin" "$@" >"$tmp/out" 2>&1
    rc=$?
    # 0..2 are the program's own verdicts (the other suites judge those);
    # anything else means it did not run to its end
    if [ "$rc" -le 2 ] && [ ! -s "$tmp/vg.log" ]; then
        ok "$name: 0 errors, 0 leaks (exit $rc)"
    else
        fail "$name: valgrind reports (exit $rc)"
        head -n 30 "$tmp/vg.log" | sed 's/^/      /'
    fi
}

for f in lessons/*.lua tests/scenarios/*.lua; do
    [ -f "$f" ] || continue
    memcheck "$f" --headless "$f"
done
memcheck "100 fuzz seeds" --fuzz 100 --seed 1 --fuzz-keep-going

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
