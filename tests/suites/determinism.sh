#!/bin/sh
# Headless runs as a user sees them: one seed and script give byte-identical
# --trace files (and output); another seed gives another run; the exit
# status says what happened (0 passed, 1 a check failed, 2 a script error)
# and errors read "file:line: message". Usage: determinism.sh BUILD_DIR
set -u
cd "$(dirname "$0")/../.."
bin="${1:-build}/quorumlab"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok()   { passed=$((passed + 1)); echo "  ok   - $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL - $1"; }

# --- determinism ---
scenario=tests/scenarios/zk_partition_minority.lua
"$bin" --headless "$scenario" --seed 7 --trace "$tmp/a.jsonl" >"$tmp/a.out" 2>&1
"$bin" --headless "$scenario" --seed 7 --trace "$tmp/b.jsonl" >"$tmp/b.out" 2>&1
if [ -s "$tmp/a.jsonl" ] && cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl"; then
    ok "one seed, two runs: identical traces ($(wc -l <"$tmp/a.jsonl") events)"
else
    fail "one seed, two runs: traces differ or are empty"
fi
if cmp -s "$tmp/a.out" "$tmp/b.out"; then ok "one seed, two runs: identical output"
else fail "one seed, two runs: output differs"; fi
"$bin" --headless "$scenario" --seed 8 --trace "$tmp/c.jsonl" >/dev/null 2>&1
if ! cmp -s "$tmp/a.jsonl" "$tmp/c.jsonl"; then ok "another seed gives another run"
else fail "seeds 7 and 8 gave the same trace: the seed is ignored"; fi
if grep -q '"kind":"send"' "$tmp/a.jsonl" && grep -q '"kind":"role"' "$tmp/a.jsonl"; then
    ok "the trace holds messages and role changes"
else
    fail "the trace lacks message or role events"
fi

# KRaft snapshots (taking, cleaning, FetchSnapshot) keep a run a function
# of its seed too
ks=tests/scenarios/kraft_snapshot.lua
"$bin" --headless "$ks" --trace "$tmp/k1.jsonl" >/dev/null 2>&1
"$bin" --headless "$ks" --trace "$tmp/k2.jsonl" >/dev/null 2>&1
if [ -s "$tmp/k1.jsonl" ] && cmp -s "$tmp/k1.jsonl" "$tmp/k2.jsonl" &&
   grep -q 'FetchSnapshot' "$tmp/k1.jsonl"; then
    ok "KRaft snapshots: two runs, identical traces with FetchSnapshot"
else
    fail "KRaft snapshots: traces differ, are empty or lack FetchSnapshot"
fi

# --- exit status and messages ---
# expect NAME STATUS PATTERN SCRIPT: runs SCRIPT, wants STATUS and PATTERN
# somewhere in the output, and "N passed, N failed" as the last line.
expect() {
    name=$1; want=$2; pattern=$3
    printf '%s\n' "$4" >"$tmp/$name.lua"
    "$bin" --headless "$tmp/$name.lua" >"$tmp/$name.out" 2>&1
    rc=$?
    last=$(tail -n 1 "$tmp/$name.out")
    if [ "$rc" -eq "$want" ] && grep -q -- "$pattern" "$tmp/$name.out" &&
       echo "$last" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
        ok "$name: exit $rc, says '$pattern'"
    else
        fail "$name: exit $rc (want $want), pattern '$pattern', last line '$last'"
        sed 's/^/      /' "$tmp/$name.out" | tail -n 8
    fi
}
expect passing 0 '1 passed, 0 failed' 'lab.check(true, "fine")'
expect failed_check 1 'FAIL - wrong on purpose' 'lab.check(true, "fine")
lab.check(1 == 2, "wrong on purpose")'
expect runtime_error 2 'runtime_error.lua:2: boom' 'lab.check(true, "fine")
error("boom")'
expect syntax_error 2 'syntax_error.lua:[0-9]*: unexpected symbol' 'lab.check(('
expect unknown_node 2 "unknown_node.lua:2: bad argument #1 to 'kill' (unknown node 'zk9'" 'lab.cluster{ zookeepers = 3 }
lab.kill("zk9")'
expect absurd_size 2 'absurd_size.lua:1: lab.cluster: zookeepers must be 1 to 15' 'lab.cluster{ zookeepers = 1e9 }'
expect no_world 2 'no_world.lua:1: no world yet' 'lab.run(10)'
expect endless_loop 2 'endless_loop.lua:1: the script ran' 'while true do end'
expect runaway_memory 2 'not enough memory' 'local t, mb = {}, ("x"):rep(1 << 20) for i = 1, 1e6 do t[i] = mb .. i end'
expect sandbox_io 2 "attempt to index a nil value (global 'io')" 'io.open("/tmp/x", "w")'
expect sandbox_os 2 "attempt to index a nil value (global 'os')" 'os.execute("true")'
expect sandbox_dofile 2 "attempt to call a nil value (global 'dofile')" 'dofile("/etc/passwd")'
expect sandbox_require 2 "module 'io' is not available" 'require("io")'
expect error_in_watch 2 'error_in_watch.lua:4: inside a watch' 'lab.cluster{ zookeepers = 1 }
lab.run_until(function() return lab.ensemble().serving end, 10000)
local s = lab.zk_session{}
s:watch("/w", function() error("inside a watch") end)
s:create("/w", "")
lab.run(1000)'

# --trust opens the full library
printf 'lab.check(io ~= nil and os ~= nil, "trusted")\n' >"$tmp/trust.lua"
if "$bin" --headless "$tmp/trust.lua" --trust >/dev/null 2>&1; then ok "--trust opens io and os"
else fail "--trust did not open io and os"; fi

# command-line mistakes
if "$bin" --seed >/dev/null 2>&1; [ $? -eq 2 ]; then ok "a missing option value exits 2"
else fail "a missing option value did not exit 2"; fi
if "$bin" --headless /nonexistent.lua >"$tmp/nf.out" 2>&1; [ $? -eq 2 ] &&
   grep -q 'cannot open /nonexistent.lua' "$tmp/nf.out"; then ok "a missing script exits 2 and says so"
else fail "a missing script: wrong status or message"; fi
if "$bin" --help | grep -q -- '--headless'; then ok "--help explains --headless"
else fail "--help"; fi
# one parser for every mode: a wrong flag is the usage's first lines, then
# one line naming it, last, where it stays in view (first, it scrolled
# away above 50 lines of usage), exit 2; a flag that does nothing in the
# mode asked is wrong too
for args in "--frobnicate" "--headless x.lua --speed 20" "--list --seed 3"; do
    # shellcheck disable=SC2086
    "$bin" $args >"$tmp/bad.out" 2>"$tmp/bad.err"
    rc=$?
    last=$(tail -n 1 "$tmp/bad.err")
    if [ "$rc" -eq 2 ] && [ ! -s "$tmp/bad.out" ] && echo "$last" | grep -q -- "${args%% *}" &&
       grep -q '^usage: ' "$tmp/bad.err" && [ "$(wc -l < "$tmp/bad.err")" -le 12 ]; then
        ok "'$args': exit 2, the usage's first lines, then $last"
    else fail "'$args': exit $rc, '$last'"; fi
done
# --lesson N: a number the picker does not show is one line saying which
# there are, exit 2
"$bin" --lesson 99 >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
n=$(ls lessons/*.lua | wc -l)
if [ "$rc" -eq 2 ] && [ "$(wc -l < "$tmp/bad.err")" -eq 1 ] &&
   grep -q -- "--lesson 99: no such lesson; give 1 to $n or a name" "$tmp/bad.err"; then
    ok "--lesson 99: exit 2, one line: give 1 to $n or a name"
else fail "--lesson 99: exit $rc, '$(cat "$tmp/bad.err")'"; fi
# --list: every lesson, one a line, with its title in the language asked
n=$(ls lessons/*.lua | wc -l)
if [ "$("$bin" --list | grep -c '^lessons/.*\.lua  *Lesson [0-9]')" -eq "$n" ] &&
   [ "$("$bin" --list --lang ko | grep -c '^lessons/.*\.lua  *[0-9]*강: ')" -eq "$n" ]; then
    ok "--list: the $n lessons with their titles, in English and Korean"
else fail "--list: $("$bin" --list 2>&1 | head -n 2)"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
