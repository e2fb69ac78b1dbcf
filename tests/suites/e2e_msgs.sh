#!/bin/sh
# End-to-end tests of the message view (m, lab.messages{}): the real
# binary in tmux, keys as a learner types them, the captured screen read.
# A write in the sandbox shows the leader's PROPOSAL reaching each named
# follower, their ACKs and the COMMITs, each arrow pointing from sender to
# receiver (ZooKeeper's Leader.propose / Follower's ACK / Leader.commit)
# with the zxid each carries,
# at 120x40 in English and at 80x24 in Korean; a lesson opens the view
# filtered with lab.messages{}; the filter keys and the help line.
#   usage: tests/suites/e2e_msgs.sh BUILD_DIR  (prints "N passed, N failed" last)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BIN=$BUILD/quorumlab
SUITE=e2e_msgs
. tests/lib/tmux.sh
# recent NAME: the diagram's rows sent within 50 ms of the last PROPOSAL
# (the write just made, not an earlier one still on screen)
recent() {
    screen "$1" > "$TMP/screen"
    last=$(grep -E "^ +[0-9]+\.[0-9]{3} .*PROPOSAL" "$TMP/screen" | tail -n 1 | awk '{ print $1 }')
    [ -n "$last" ] || return 0
    awk -v t="$last" '$1 ~ /^[0-9]+\.[0-9]+$/ && $1 + 0 >= t - 0.05' "$TMP/screen"
}
# rows NAME TYPE HEAD: how many recent rows show message TYPE with
# arrowhead HEAD
rows() { recent "$1" | grep -E " $2 |$2\$" | grep -cF -- "$3"; }

echo "== e2e_msgs on $BIN"

# write_case NAME W H LANG TITLE [middle]: the sandbox ensemble (with
# "middle", zk3 crashed and restarted first, so zk2 leads with a follower
# on each side), the view full screen with ZAB only, one write from :lua,
# then each arrow checked
write_case() {
    s=$1 w=$2 h=$3 lang=$4 title=$5
    start "$s" "$w" "$h" --sandbox --brokers 0 --seed 2 --lang "$lang"
    if ! wait_for "$s" "LEADING" 15; then bad "$s: a leader" "$s"; return; fi
    if [ "${6:-}" = middle ]; then
        keys "$s" :; typed "$s" "kill zk3"; keys "$s" Enter
        if ! wait_re "$s" "zk2 +LEADING" 20; then bad "$s: zk2 leads after zk3 crashed" "$s"; return; fi
        # a write while zk3 is down: restarted, it then syncs by DIFF
        keys "$s" :; typed "$s" 'lua s0 = lab.zk_session{} s0:create("/w", "1")'; keys "$s" Enter
        wait_for "$s" "lua: ok" 10
        keys "$s" :; typed "$s" "restart zk3"; keys "$s" Enter
        if ! wait_re "$s" "zk3 +FOLLOWING" 20; then bad "$s: zk3 follows again" "$s"; return; fi
    fi
    sleep 0.5
    L=$(leader "$s")
    li=${L#zk}
    keys "$s" m
    if wait_for "$s" "$title" 5; then ok "$s: m opens the message panel beside the ensemble"
    else bad "$s: m opens the message panel" "$s"; fi
    keys "$s" m 2 3 4 5     # full screen; election, session, kafka, kraft off
    if wait_for "$s" "$title  zab  ·" 5 && ! screen "$s" | grep -qE "^ ?>?zk1 +(LEADING|FOLLOWING)"; then
        ok "$s: m again: full screen, 2 3 4 5 leave ZAB alone"
    else bad "$s: full screen, ZAB only" "$s"; fi
    keys "$s" :; typed "$s" 'lua s = lab.zk_session{} s:create("/x", "1")'; keys "$s" Enter
    # two txns (createSession, the create): two COMMITs to each follower
    if wait_count "$s" "COMMIT" 4 10 && sleep 0.5; then ok "$s: a write shows COMMITs"
    else bad "$s: a write shows COMMITs" "$s"; fi
    if screen "$s" | grep -E "zk1 +zk2 +zk3" >/dev/null; then ok "$s: a column per server, in order"
    else bad "$s: a column per server" "$s"; fi
    # from leader zk$li: to a follower left of it the head is ◀, right ▶
    left=$((li - 1)) right=$((3 - li))
    pl=$(rows "$s" PROPOSAL "◀") pr=$(rows "$s" PROPOSAL "▶")
    cl=$(rows "$s" COMMIT "◀") cr=$(rows "$s" COMMIT "▶")
    if [ "$pl" -eq $((2 * left)) ] && [ "$pr" -eq $((2 * right)) ] &&
       [ "$cl" -eq $((2 * left)) ] && [ "$cr" -eq $((2 * right)) ]; then
        ok "$s: PROPOSAL and COMMIT go from leader $L to each follower"
    else bad "$s: PROPOSAL/COMMIT from $L: ◀ $pl/$cl ▶ $pr/$cr, want ◀ $((2 * left)) ▶ $((2 * right))" "$s"; fi
    # each carries the txn's zxid (epoch, counter): one zxid, one per follower
    if [ "$(recent "$s" | grep -oE "PROPOSAL 0x[0-9a-f]+" | sort | uniq -c | awk '$1 == 2' | wc -l)" -eq 2 ]; then
        ok "$s: each PROPOSAL shows its zxid, the same to both followers"
    else bad "$s: PROPOSAL zxids" "$s"; fi
    al=$(rows "$s" ACK "◀") ar=$(rows "$s" ACK "▶")
    if { [ "$right" -eq 0 ] || [ "$al" -ge 2 ]; } && { [ "$left" -eq 0 ] || [ "$ar" -ge 2 ]; }; then
        ok "$s: the followers' ACKs come back to $L"
    else bad "$s: ACKs to $L: ◀ $al ▶ $ar" "$s"; fi
    keys "$s" 0
    if wait_for "$s" "zab election session kafka" 5; then ok "$s: 0 shows every layer again"
    else bad "$s: 0 shows every layer" "$s"; fi
    keys "$s" m
    if wait_for "$s" "LEADING" 5; then ok "$s: m a third time closes the view"
    else bad "$s: m closes the view" "$s"; fi
    keys "$s" q
}

write_case en 120 40 en "MESSAGES"
write_case ko 80 24 ko "메시지" middle

# --- a lesson opens the view filtered, with no key pressed ---
cat > "$TMP/msgs_lesson.lua" <<'LUA'
lab.cluster{ zookeepers = 3, seed = 4 }
lab.run(3000)
local l = lab.ensemble().leader
local f = l == "zk1" and "zk2" or "zk1"
lab.messages{ show = true, layer = "zab", nodes = { l, f } }
lab.say("leader " .. l .. ", follower " .. f .. ": watch the write")
local s = lab.zk_session{}
s:create("/x", "1")
lab.run(200)
lab.check(true, "written")
lab.say("done")
LUA
start l 120 40 "$TMP/msgs_lesson.lua"
if wait_for l "chosen nodes only" 15 && wait_for l "COMMIT" 10; then
    ok "lesson: lab.messages{} opens the panel filtered, the write shows"
else bad "lesson: lab.messages{} opens the panel" l; fi
line=$(screen l | grep -oE "leader zk[0-9], follower zk[0-9]" | head -n 1)
pair=$(echo "$line" | grep -oE "zk[0-9]" | sort | tr '\n' ' ')
set -- $pair
if [ -n "${2:-}" ] && screen l | grep -E " $1 +$2 *\$" >/dev/null &&
   ! screen l | grep -E " zk[0-9] +zk[0-9] +zk[0-9]" >/dev/null; then
    ok "lesson: only the two named servers' columns ($1, $2)"
else bad "lesson: only the columns of ${line:-the two named servers}" l; fi
keys l q

# --- Kafka's requests show their main fields: the sandbox's producer p1
# (acks=1) sends Produce with its partition and record count, followers
# Fetch a partition from an offset; a leader's crash makes the controller
# send LeaderAndIsr with the partition's new leader, leader epoch and ISR
# (a lesson freezes the world there, with the controller's traffic to the
# other survivor alone on screen) ---
for size in "120 40" "80 24"; do
    set -- $size
    s=k$1
    start $s "$1" "$2" --sandbox --seed 3
    if wait_for $s "p1 acks" 15; then
        keys $s m m 1 2 3       # full screen, Kafka alone
        if wait_re $s "Produce orders-[0-5] [0-9]+ recs? acks=1" 10; then
            ok "$1x$2: Produce shows its partition, record count and acks"
        else bad "$1x$2: Produce orders-N n recs acks=1" $s; fi
        if wait_re $s "Fetch orders-[0-5] from [0-9]+" 10; then
            ok "$1x$2: Fetch shows its partition and fetch offset"
        else bad "$1x$2: Fetch orders-N from OFFSET" $s; fi
    else bad "$1x$2: sandbox for Kafka's messages" $s; fi
    keys $s q
    wait_for $s "exited 0" 10 || bad "$s quits" $s
done

cat > "$TMP/kafka_msgs.lua" <<'LUA'
lab.cluster{ zookeepers = 1, brokers = 3 }
lab.wait_brokers()
lab.create_topic{ name = "t", partitions = 1, replication_factor = 3 }
lab.run(2000)
local ctrl = lab.controller()
local old = lab.partition("t", 0).leader
if old == ctrl then lab.elect_leaders("t") end
local other
for _, id in ipairs({ 101, 102, 103 }) do
  if id ~= ctrl and id ~= old then other = id end
end
lab.messages{ show = true, full = true, layer = "kafka", nodes = { tostring(ctrl), tostring(other) } }
lab.kill(old)
lab.run_until(function() return lab.partition("t", 0).leader ~= old end, 60000)
lab.run(5)
lab.say("the new leader's LeaderAndIsr")
lab.say("done")
LUA
for size in "120 40" "80 24"; do
    set -- $size
    s=ka$1
    start $s "$1" "$2" "$TMP/kafka_msgs.lua"
    if wait_re $s "LeaderAndIsr t-0 leader 10[1-3] epoch 1 isr 10[1-3],10[1-3]([^0-9,]|$)" 30; then
        ok "$1x$2: LeaderAndIsr after the leader's crash shows leader, epoch and ISR"
    else bad "$1x$2: LeaderAndIsr t-0 leader L epoch 1 isr A,B" $s; fi
    keys $s q
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
