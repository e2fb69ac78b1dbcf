#!/bin/sh
# Bad input: every tests/badinput/*.lua fixture, run headless, must print
# "FILE:LINE: message" and exit 2. Its first line says what to expect:
#   -- expect LINE: TEXT      (TEXT appears in the message)
# and a sandbox fixture also says
#   -- trusted: ok            (with --trust the same script runs: exit 0)
# Usage: badinput.sh BUILD_DIR
set -u
cd "$(dirname "$0")/../.."
bin="${1:-build}/quorumlab"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok()   { passed=$((passed + 1)); echo "  ok   - $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL - $1"; }

for f in tests/badinput/*.lua; do
    name=$(basename "$f" .lua)
    spec=$(sed -n '1s/^-- expect \([0-9]*\): \(.*\)$/\1 \2/p' "$f")
    line=${spec%% *}
    text=${spec#* }
    if [ -z "$spec" ]; then fail "$name: no '-- expect LINE: TEXT' first line"; continue; fi
    # a bounded run: the endless-loop and memory cases must end by themselves
    timeout 60 "$bin" --headless "$f" >"$tmp/out" 2>&1
    rc=$?
    if [ "$rc" -eq 2 ] && grep -F -- "$f:$line: " "$tmp/out" | grep -qF -- "$text"; then
        ok "$name: exit 2, $(grep -m 1 -F -- "$f:$line: " "$tmp/out")"
    else
        fail "$name: exit $rc (want 2), want '$f:$line: ...$text...'"
        sed 's/^/      /' "$tmp/out" | head -n 6
    fi
    if grep -q '^-- trusted: ok' "$f"; then
        timeout 60 "$bin" --headless "$f" --trust >"$tmp/out" 2>&1
        rc=$?
        if [ "$rc" -eq 0 ]; then ok "$name: allowed with --trust"
        else
            fail "$name: with --trust exit $rc, want 0"
            sed 's/^/      /' "$tmp/out" | head -n 6
        fi
    fi
done

# the command line itself: a missing or unreadable script is exit 2 too
"$bin" --headless "$tmp/none.lua" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "none.lua" "$tmp/out"; then ok "a missing script: exit 2, $(head -n 1 "$tmp/out")"
else fail "a missing script: exit $rc (want 2)"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
