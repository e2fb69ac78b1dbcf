#!/bin/sh
# Each binary is linked only with the libraries its code uses (the
# Makefile's three groups): cmocka only into unit tests, curses only into
# the program and the tests of viz/, never into a test of a lab/ module
# (nor viz/ objects).
# Reads the link commands `make -n -B` prints (the toolchain links with
# --as-needed, so the binaries themselves would hide an extra -l).
# Usage: links.sh BUILD_DIR
set -u
cd "$(dirname "$0")/../.."
build=${1:-build}
passed=0
failed=0
ok()   { passed=$((passed + 1)); echo "  ok   - $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL - $1"; }
cmds=$(mktemp)
trap 'rm -f "$cmds"' EXIT
# a make of its own, whatever make called this suite
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -n -B BUILD="$build" all >"$cmds" 2>&1

# expect BINARY WANTED UNWANTED: libraries (as -lNAME) its link must name
# and must not name
expect() {
    bin=$1; want=$2; unwanted=$3
    cmd=$(grep -E -- "-o $bin( |\$)" "$cmds" | tail -n 1)
    [ -n "$cmd" ] || { fail "no link command for $bin"; return; }
    bad=""
    for l in $want; do echo "$cmd" | grep -qE -- "-l$l( |\$)" || bad="$bad without -l$l"; done
    for l in $unwanted; do echo "$cmd" | grep -qE -- "-l$l( |\$)" && bad="$bad with -l$l"; done
    case "$unwanted" in *ncursesw*) echo "$cmd" | grep -q "/obj/viz/" && bad="$bad with viz objects" ;; esac
    libs=$(echo "$cmd" | grep -oE -- ' -l[^ ]+' | tr -d '\n')
    if [ -z "$bad" ]; then ok "$(basename "$bin"):$libs"
    else fail "$(basename "$bin"):$bad (links$libs)"; fi
}

expect "$build/quorumlab" "lua5.4 ncursesw" "cmocka"
for src in tests/unit/test_*.c; do
    t=$(basename "$src" .c)
    case "$t" in
        test_viz_*) expect "$build/tests/$t" "cmocka lua5.4 ncursesw" "" ;;
        test_opts)  expect "$build/tests/$t" "cmocka" "lua5.4 ncursesw tinfo" ;;
        *)          expect "$build/tests/$t" "cmocka lua5.4" "ncursesw tinfo" ;;
    esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
