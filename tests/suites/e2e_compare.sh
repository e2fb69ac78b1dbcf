#!/bin/sh
# End-to-end tests of two worlds side by side (lab.compare): the real
# binary in tmux, keys as a learner types them, the captured screen read.
# A lesson compares 3 servers with 5: each half names its world and shows
# its ensemble; the lesson's kill of zk1 and zk2 lands in both, leaving the
# left without a quorum and the right serving (a strict majority); a key
# and a command typed by the learner reach both worlds; at 80x24 the left
# world shows alone and a line says why; the halves' names in Korean.
# --compare (issue 12): the sandbox in ZooKeeper mode left and KRaft right;
# a broker crashed from the keyboard goes down in both, each half elects
# its new leaders its own way (ZooKeeper: after the session expires,
# KafkaController.onBrokerFailure; KRaft: ReplicationControlManager fences
# the broker after broker.session.timeout.ms); zk2 and ctl1 exist in one
# world each, and the other world's log says so; :lua says it read the
# left world; m shows each world's own messages in its half; 80x24 falls
# back.
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
# (the halves' grids stand on the same rows: count them, not lines)
if wait_for a "PLACEMENT  0 partitions" 5 && [ "$(screen a | grep -o 'PLACEMENT  0 partitions' | wc -l)" -ge 2 ] &&
   [ "$(screen a | grep -o 'EVENTS' | wc -l)" -ge 2 ]; then
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
if wait_for s "both worlds need 100x30: left (3 servers) shown, w: right" 15 &&
   wait_for s "ENSEMBLE  3 servers, quorum 2" 5 && ! has s "ENSEMBLE  5 servers"; then
    ok "80x24: the left world alone and a line that says both need 100x30 and w shows the right"
else bad "80x24: the note" s; fi
# w: the right world in the one view, then back to the left
keys s w
if wait_for s "ENSEMBLE  5 servers, quorum 3" 5 && ! has s "ENSEMBLE  3 servers" &&
   wait_for s "both worlds need 100x30: right (5 servers) shown, w: left" 2 &&
   wait_for s "the right world is shown; w: the left one" 2; then
    ok "80x24: w shows the right world, and the lines say which and how back"
else bad "80x24: w to the right world" s; fi
keys s w
if wait_for s "ENSEMBLE  3 servers, quorum 2" 5 && ! has s "ENSEMBLE  5 servers" &&
   wait_for s "the left world is shown; w: the right one" 2; then
    ok "80x24: w again shows the left world"
else bad "80x24: w back to the left world" s; fi
keys s q
wait_for s "exited 0" 10 || bad "s quits" s

start k 120 40 "$TMP/cmp.lua" --lang ko
if wait_re k "왼쪽  서버 3대 +오른쪽  서버 5대" 15; then ok "ko 120x40: 왼쪽  서버 3대, 오른쪽  서버 5대"
else bad "ko: the halves' names" k; fi
keys k q
wait_for k "exited 0" 10 || bad "k quits" k

# --- --compare: ZooKeeper mode beside KRaft, one seed ---
# each half of a 120-column screen: the left is columns 1-59, the right 61-
left_half() { screen "$1" | cut -c1-59; }
right_half() { screen "$1" | cut -c61-; }
half_re() {     # half_re NAME left|right REGEX SECONDS
    _hn=$(( $4 * SLOW * 10 ))
    while [ "$_hn" -gt 0 ]; do
        ${2}_half "$1" | grep -qE -- "$3" && return 0
        sleep 0.1
        _hn=$((_hn - 1))
    done
    ran_out half_re "$1" "$2: $3" "$4"
}
start c 120 40 --compare
if wait_re c "LEFT  ZooKeeper mode +RIGHT  KRaft mode" 15 &&
   wait_re c "quorumlab  compare " 5 &&
   wait_re c "ENSEMBLE  3 servers, quorum 2 +CONTROLLER QUORUM  3 voters, quorum 2" 5 &&
   half_re c left "PLACEMENT  6 partitions" 30 && half_re c right "PLACEMENT  6 partitions" 10; then
    ok "--compare: ZooKeeper mode left, KRaft right, the sandbox's topic in both, the header says compare"
else bad "--compare opens both halves" c; fi
# a :topic finishes in each world at its own time: the status line keeps
# both outcomes, not only the later one
keys c :; typed c "topic t2 3 2"; keys c Enter
if wait_for c "both worlds: topic t2 created" 15; then ok ":topic in both worlds: both outcomes on the status line"
else bad ":topic in both worlds" c; fi
keys c :; typed c "kill 102"; keys c Enter
if wait_for c "both worlds: crashed 102" 5 &&
   half_re c left "state +up +down +up +up" 5 && half_re c right "state +up +down +up +up" 5; then
    ok ":kill 102 crashes broker 102 in both worlds"
else bad ":kill 102 in both" c; fi
# ZooKeeper mode: 102's session expires (18 s), then new leaders; KRaft:
# 102 is fenced after 9 s without a heartbeat, then new leaders
if half_re c left "orders-[0-5] leader 10[134] epoch 1" 60 &&
   half_re c right "fences broker 102" 5 && half_re c right "orders-[0-5] leader 10[134] epoch 1" 5; then
    ok "each half shows its new leaders: ZooKeeper mode's and KRaft's (102 fenced)"
else bad "each half's new leaders" c; fi
keys c Tab; sleep 0.3; keys c k      # zk2: the ZooKeeper world's alone
if wait_for c "crashed zk2: ZooKeeper mode only (KRaft mode has no zk2)" 5 &&
   half_re c right "crashed zk2: ZooKeeper mode only" 5 && half_re c left "^>zk2 +DOWN" 5; then
    ok "k on zk2 crashes it in ZooKeeper mode only, and the KRaft half's log says so"
else bad "k on zk2: one world only" c; fi
keys c Tab Tab; sleep 0.3; keys c k     # Tab after zk3 goes to ctl1 in the right half
if half_re c right "^>ctl1 +Down" 5 && wait_for c "crashed ctl1: KRaft mode only (ZooKeeper mode has no ctl1)" 5 &&
   half_re c left "crashed ctl1: KRaft mode only" 5; then
    ok "Tab reaches ctl1 in the right half; k crashes it there alone, the left log says so"
else bad "k on ctl1: one world only" c; fi
# :lua reads the left world only: its result line names that world, and
# the right half's log says how to ask the right one (lab.on) with the
# expression typed (it said "lua: ..." and nothing else)
keys c :; typed c "lua lab.audit().lost"; keys c Enter
if wait_re c "^lua \(ZooKeeper mode\): [0-9]+ +· KRaft mode: lab.on\(\"right\", \.\.\.\)" 5 &&
   half_re c right ":lua read ZooKeeper mode, not this world" 5; then
    ok ":lua in --compare: the result names the left world, the right log shows lab.on"
else bad ":lua in --compare" c; fi
# a node neither world has: the line fits 120 columns, ")" and all
keys c :; typed c "kill zk9"; keys c Enter
if wait_re c "^unknown node 'zk9' \(ZooKeeper mode: zk1\.\.zk3, 101\.\.104; KRaft mode: ctl1\.\.ctl3, 101\.\.104\) *$" 5; then
    ok "an unknown node in --compare: the whole line fits 120 columns"
else bad "the unknown-node line at 120 columns" c; fi
# m: each half's message view shows its own world's traffic: the KRaft
# side has a column for the active controller (ctl3), whose Fetch answers
# the brokers read, the ZooKeeper side none
keys c m
if half_re c left "^ ?MESSAGES " 5 && half_re c right "^ *MESSAGES " 5 &&
   half_re c right "^ +ctl[23] +10[0-9] " 10 &&
   ! left_half c | grep -qE "^ +ctl[0-9] "; then
    ok "m: each half shows its own world's messages (a controller's column on the KRaft side only)"
else bad "m: both message views" c; fi
keys c q
wait_for c "exited 0" 10 || bad "c quits" c

start cn 80 24 --compare
if wait_for cn "both worlds need 100x30: left (ZooKeeper mode) shown, w: right" 15 &&
   wait_for cn "ENSEMBLE  3 servers, quorum 2" 5 && ! has cn "CONTROLLER QUORUM"; then
    ok "--compare at 80x24: the ZooKeeper world alone and a line that says why"
else bad "--compare at 80x24" cn; fi
# the leader timeline is recorded in compared worlds too (it stayed all
# '.', no record), and w shows KRaft's world with its own
if wait_re cn "^ orders-0 +[0-9.]*[1-4]{4}" 30; then
    ok "--compare at 80x24: the leader timeline records the leaders"
else bad "--compare at 80x24: the leader timeline" cn; fi
keys cn w
if wait_for cn "CONTROLLERS  3, quorum 2" 5 && ! has cn "ENSEMBLE  3 servers" &&
   wait_for cn "both worlds need 100x30: right (KRaft mode) shown, w: left" 2 &&
   wait_re cn "^ orders-0 +[0-9.]*[1-4]{4}" 10; then
    ok "--compare at 80x24: w shows the KRaft world, its timeline recorded too"
else bad "--compare at 80x24: w to KRaft" cn; fi
keys cn q
wait_for cn "exited 0" 10 || bad "cn quits" cn

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
