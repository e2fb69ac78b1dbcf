#!/bin/sh
# End-to-end tests of two worlds side by side (lab.compare): the real
# binary in tmux, keys as a learner types them, the captured screen read.
# A lesson compares 3 servers with 5: each half names its world and shows
# its ensemble; the lesson's kill of zk1 and zk2 lands in both, leaving the
# left without a quorum and the right serving (a strict majority); a key
# and a command typed by the learner reach both worlds; at 80x24 the left
# world shows alone and a line says why; the halves' names in Korean.
#   usage: tests/suites/e2e_compare.sh BUILD_DIR  (prints "N passed, N failed" last)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BIN=$BUILD/quorumlab
SUITE=e2e_compare
. tests/lib/tmux.sh

echo "== e2e_compare on $BIN"

cat >"$TMP/cmp.lua" <<'LUA'
lab.say{ en = "Three servers or five", ko = "서버 셋 또는 다섯" }
lab.compare{ left = { zookeepers = 3, brokers = 2 }, right = { zookeepers = 5, brokers = 2 },
             labels = { { en = "3 servers", ko = "서버 3대" }, { en = "5 servers", ko = "서버 5대" } } }
lab.run(3000)
lab.say{ en = "zk1 and zk2 crash in both worlds", ko = "두 월드 모두 zk1, zk2 크래시" }
lab.kill("zk1"); lab.kill("zk2")
lab.run(4000)
lab.check(lab.on("right", function() return lab.ensemble().serving end), "5 servers less 2: serving")
LUA

# both halves' rows: the line of server $2 on the screen holds it twice
twice() { screen "$1" | grep -E "^[ >]$2 +$3 .* [ >]$2 +$3" | head -n 1; }

start a 120 40 "$TMP/cmp.lua"
if wait_re a "LEFT  3 servers +RIGHT  5 servers" 15 &&
   wait_re a "ENSEMBLE  3 servers, quorum 2 +ENSEMBLE  5 servers, quorum 3" 5; then
    ok "120x40: two halves, each with its world's name and ensemble"
else bad "120x40: two halves" a; fi
if wait_count a "PLACEMENT  0 partitions" 2 5 && [ "$(screen a | grep -o 'EVENTS' | wc -l)" -ge 2 ]; then
    ok "each half has its placement grid and its own event log"
else bad "each half: grid and events" a; fi
# n once the step has played (n during it would only fast-forward it)
wait_for a "waiting: press n to go on" 20 || bad "step 1 ends and waits" a
keys a n
if wait_for a "zk1 and zk2 crash in both worlds" 10 && wait_for a "NO QUORUM: 1 of 3 up, 2 needed" 15 &&
   wait_for a "quorum 3 of 5 · 3 up · serving" 5 &&
   [ -n "$(twice a zk1 DOWN)" ] && [ -n "$(twice a zk2 DOWN)" ]; then
    ok "the lesson's kill reaches both: left NO QUORUM, right quorum 3 of 5 serving"
else bad "the kill in both worlds" a; fi
if wait_for a "5 servers less 2: serving" 10; then ok "the check read the right world (lab.on)"
else bad "lab.on check on screen" a; fi
# the learner's own faults: a command and a key
keys a :; typed a "restart zk1"; keys a Enter
if wait_re a "^[ >]zk1 +FOLLOWING .* [ >]zk1 +FOLLOWING" 20; then ok ":restart zk1 restarts zk1 in both worlds"
else bad ":restart zk1 in both" a; fi
keys a Tab Tab
sleep 0.3
keys a k
if wait_re a "^>zk3 +DOWN .* >zk3 +DOWN" 10; then ok "k on the selected zk3 crashes zk3 in both (selected in both halves)"
else bad "k in both worlds" a; fi
keys a q
wait_for a "exited 0" 10 || bad "a quits" a

start s 80 24 "$TMP/cmp.lua"
if wait_for s "both worlds need 100x30: only the left one (3 servers) shown" 15 &&
   wait_for s "ENSEMBLE  3 servers, quorum 2" 5 && ! has s "ENSEMBLE  5 servers"; then
    ok "80x24: the left world alone and a line that says both need 100x30"
else bad "80x24: the note" s; fi
keys s q
wait_for s "exited 0" 10 || bad "s quits" s

start k 120 40 "$TMP/cmp.lua" --lang ko
if wait_re k "왼쪽  서버 3대 +오른쪽  서버 5대" 15; then ok "ko 120x40: 왼쪽  서버 3대, 오른쪽  서버 5대"
else bad "ko: the halves' names" k; fi
keys k q
wait_for k "exited 0" 10 || bad "k quits" k

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
