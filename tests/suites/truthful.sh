#!/bin/sh
# End-to-end tests that the dashboard does not mislead (issue 9): the
# real binary in tmux, keys typed as a learner would, the screen read back.
# An isolated broker is marked alone and a split names sides; the failed
# plot stays at zero while the ensemble's leader dies and no client fails;
# :lua shows values; the znode browser shows a whole value and its stat;
# at 120x40 and 80x24.
#   usage: tests/suites/truthful.sh BUILD_DIR   (prints "N passed, N failed" last)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BIN=$BUILD/quorumlab
SUITE=truthful
. tests/lib/tmux.sh

echo "== truthful on $BIN"

# the row of the placement grid's heads that says each broker's state
state_row() { screen "$1" | grep -oE 'state +[^*]*' | head -n 1; }
# count WORD < TEXT: how many times WORD appears
count() { grep -oE -- "$1" | wc -l | tr -d ' '; }

# --- isolating 101 marks 101 alone; a split names each node's side ---
for size in "120 40" "80 24"; do
    set -- $size
    s=iso$1
    start $s "$1" "$2" --sandbox --seed 3
    if wait_for $s "· serving" 15 && wait_for $s "101" 15; then
        keys $s :; typed $s "isolate 101"; keys $s Enter
        wait_for $s "isol" 10
        row=$(state_row $s)
        if [ "$(echo "$row" | count isol)" = 1 ] && [ "$(echo "$row" | count 'up ')" -ge 2 ] &&
           echo "$row" | grep -qE '^state +isol '; then
            ok "${1}x$2: :isolate 101 marks 101 alone ($row)"
        else bad "${1}x$2: :isolate 101 marks 101 alone (row: $row)" $s; fi
        keys $s :; typed $s "heal"; keys $s Enter
        # the state row, not the screen: the events keep saying "isolate"
        wait_re $s "state +up +up +up +up" 10
        keys $s :; typed $s "split zk1,101,102 / zk2,zk3,103,104"; keys $s Enter
        if wait_for $s "up B" 10 && state_row $s | grep -qE '^state +up A +up A +up B +up B' &&
           screen $s | grep -E '^[ >]zk2 ' | grep -q "side B"; then
            ok "${1}x$2: a split shows each broker's and server's side"
        else bad "${1}x$2: a split shows each broker's and server's side ($(state_row $s))" $s; fi
    else bad "${1}x$2: sandbox with brokers" $s; fi
    keys $s q
    wait_for $s "exited 0" 10 || bad "$s quits" $s
done

# --- the failed plot counts clients' failed records only: killing the
# ensemble's leader makes every broker reconnect to ZooKeeper, which no
# producer sees; the plot stays at 0 while p1 says fail 0 ---
start f 120 40 --sandbox --seed 3
if wait_for f "· serving" 15 && wait_for f "p1 " 15; then
    L=$(leader f)
    keys f :; typed f "kill $L"; keys f Enter
    wait_for f "fault: crash $L" 10
    worst=0; p1fail=""
    i=0
    while [ $i -lt 30 ]; do
        v=$(screen f | sed -nE 's/^ failed ([0-9]+)\/s.*/\1/p' | head -n 1)
        [ -n "$v" ] && [ "$v" -gt "$worst" ] && worst=$v
        p1fail=$(screen f | grep -oE 'p1 .*fail [0-9]+' | sed -E 's/.*fail //' | head -n 1)
        sleep 0.1; i=$((i + 1))
    done
    if wait_for f "quorum 2 of 3 · 2 up · serving" 20 && [ "$worst" = 0 ] && [ "$p1fail" = 0 ]; then
        ok "killing the ensemble leader ($L): failed 0/s while p1 says fail 0"
    else bad "killing the ensemble leader: failed plot peaked at $worst/s, p1 fail $p1fail" f; fi
else bad "sandbox with p1" f; fi
keys f q
wait_for f "exited 0" 10 || bad "f quits" f

# --- lesson 1 before any client: nothing failed, so the plot says 0 ---
start g 80 24 lessons/01_brokers.lua --speed 50
if wait_for g "no producer or consumer yet" 20; then
    sleep 2
    if screen g | grep -qE '^ failed 0/s'; then ok "80x24 lesson 1: failed 0/s beside no producer or consumer yet"
    else bad "80x24 lesson 1: failed 0/s beside no producer or consumer yet" g; fi
else bad "lesson 1 starts" g; fi
keys g q
wait_for g "exited 0" 10 || bad "g quits" g

# --- :lua shows the value: an expression as the lua prompt does, the
# audit as a one-line summary ---
start v 80 24 --sandbox --seed 3
if wait_for v "· serving" 15; then
    keys v :; typed v "lua 1+1"; keys v Enter
    if wait_for v "lua: 2" 5; then ok ":lua 1+1 shows 2"
    else bad ":lua 1+1 shows 2" v; fi
    keys v :; typed v "lua lab.audit()"; keys v Enter
    if wait_for v "lua: {acked=" 5 && screen v | grep -q "lost=0, lost_records={}, pending="; then
        ok ":lua lab.audit() shows a summary"
    else bad ":lua lab.audit() shows a summary" v; fi
    keys v :; typed v "lua x = 1"; keys v Enter
    if wait_for v "lua: ok" 5; then ok ":lua x = 1 (a statement) says ok"
    else bad ":lua x = 1 says ok" v; fi
else bad "sandbox for :lua" v; fi
keys v q
wait_for v "exited 0" 10 || bad "v quits" v

# --- a produce to a missing topic says why; the hint names a topic that
# exists (lesson 9's is pay, not orders) ---
start m 120 40 --sandbox --seed 3 --speed 50
if wait_for m "· serving" 15 && wait_for m "p1 " 15; then
    keys m :; typed m "produce nosuch 10"; keys m Enter
    if wait_for m "p2 to nosuch: 0 acknowledged, 10 failed: TIMEOUT: Topic nosuch not present in metadata" 30; then
        ok ":produce nosuch 10 says TIMEOUT, as KafkaProducer.waitOnMetadata"
    else bad ":produce nosuch 10 says why it failed" m; fi
else bad "sandbox for :produce" m; fi
keys m q
wait_for m "exited 0" 10 || bad "m quits" m
start h 120 40 lessons/09_sessions_failure_detection.lua --speed 50
if wait_for h "(:produce pay 100)" 30; then ok "lesson 9: the hint names its topic pay"
else bad "lesson 9: the hint names its topic pay" h; fi
keys h q
wait_for h "exited 0" 10 || bad "h quits" h

# --- Korean: a particle agrees with the word before it (zk3으로, never
# "zk3 (으)로" or "zk3 로"), at 80x24 ---
start k 80 24 --sandbox --seed 3 --lang ko
if wait_for k "서비스" 15; then
    # no particle stands apart from its word anywhere on screen ("h 로",
    # "f 로"): the key hint reads "? 키로", the tree "(f로 탐색)"
    if wait_for k "? 키로 모든 키, : 키로 명령줄" 5 && has k "(f로 탐색)" &&
       ! screen k | grep -qE "[A-Za-z0-9?)] (로|으로|을|를|은|는|이|가|의|에서|까지) "; then
        ok "--lang ko 80x24: no space between a word and its particle"
    else bad "--lang ko: a particle apart from its word" k; fi
    keys k :; typed k "pause zk3"; keys k Enter
    if wait_for k ":resume zk3으로 재개" 5 && ! screen k | grep -qF "(으)로"; then
        ok "--lang ko 80x24: ':pause zk3' says ':resume zk3으로 재개'"
    else bad "--lang ko: the particle after zk3" k; fi
else bad "Korean sandbox" k; fi
keys k q
wait_for k "exited 0" 10 || bad "k quits" k

# --- the producer's acks on screen; an election's line says the winner's
# zxid and what its count counts ---
start e 120 40 --sandbox --seed 3
if wait_for e "· serving" 15 && wait_for e "p1 acks=1 →" 15; then
    ok "the sandbox's p1 shows acks=1"
    L=$(leader e)
    keys e :; typed e "kill $L"; keys e Enter
    if wait_re e "elected: zk[0-9], zxid 0x[0-9a-f]+ \\(by 2 servers\\)" 20; then
        ok "after killing $L: 'elected: zkN, zxid 0x… (by N servers)'"
    else bad "the election line names the winner's zxid and its count" e; fi
else bad "sandbox: p1 acks=1" e; fi
keys e q
wait_for e "exited 0" 10 || bad "e quits" e

# --- a fresher log wins: zk1 paused while the ensemble writes (104's
# crash changes the ISRs) falls behind zk2; with the leader zk3 dead and
# zk1 resumed, zk1 votes zk2 over itself, and the line shows both logs'
# zxids (FastLeaderElection.totalOrderPredicate: the higher zxid wins) ---
for run in "120 40 en 10" "80 24 ko 3"; do
    set -- $run
    s=fr$1
    # slower where the log panel is short: the line must stay long enough
    # on screen for the poll to read it
    start $s "$1" "$2" --sandbox --seed 3 --lang $3 --speed $4
    if wait_for $s "p1 acks" 15 && [ "$(leader $s)" = zk3 ]; then
        keys $s :; typed $s "pause zk1"; keys $s Enter; sleep 1
        keys $s :; typed $s "kill 104"; keys $s Enter
        wait_for $s "orders-0  LEAD isr  .    out" 20
        keys $s :; typed $s "kill zk3"; keys $s Enter
        keys $s :; typed $s "resume zk1"; keys $s Enter
        if [ $3 = en ]; then
            want="zk1 votes zk2 (logged zxid 0x10000003a) over zk1"; want2="(0x10000003"
        else
            want="zk1: zk2에 투표"; want2="zk1(0x10000003"
        fi
        if wait_for $s "$want" 20 && has $s "$want2"; then
            ok "$1x$2 $3: a fresher log's win shows both zxids"
        else bad "$1x$2 $3: the vote for a fresher log names both zxids" $s; fi
    else bad "$1x$2: sandbox led by zk3 for the fresher-log election" $s; fi
    keys $s q
    wait_for $s "exited 0" 10 || bad "$s quits" $s
done

# --- nothing cut: a LOOKING server's vote keeps its zxid whole at 120
# columns, the plots' title keeps its unit and the quorum line its counts
# at 80x24 (English and Korean); :produce says p2 is its own producer ---
for run in "120 40 en" "80 24 en" "80 24 ko"; do
    set -- $run
    s=cut$1$3
    start $s "$1" "$2" --sandbox --seed 3 --lang $3
    if wait_for $s "p1 acks" 15; then
        if [ "$3" = ko ]; then plots="그래프  레코드/초"; noq="쿼럼 없음: 가동 1/3, 필요 2"
        elif [ "$1" = 80 ]; then plots="PLOTS  records/s, newest right"; noq="NO QUORUM: 1 of 3 up, 2 needed"
        else plots="PLOTS  clients' records/s, newest right"; noq="NO QUORUM: 1 of 3 up, 2 needed"; fi
        if has $s "$plots"; then ok "$1x$2 $3: the plots' title whole: $plots"
        else bad "$1x$2 $3: the plots' title fits" $s; fi
        if [ "$3" = en ] && [ "$1" = 120 ]; then
            keys $s Space :; typed $s "produce orders 10"; keys $s Enter
            if wait_for $s "p2 sends 10 records to orders (p2: :produce's own producer, acks=1)" 5; then
                ok ":produce says p2 is its own producer, with its acks"
            else bad ":produce names its producer" $s; fi
            keys $s Space
        fi
        keys $s :; typed $s "kill zk2"; keys $s Enter
        keys $s :; typed $s "kill zk3"; keys $s Enter
        if wait_re $s "zk1 +LOOKING +(votes zk1|zk1에 투표) (\((zxid )?0x[0-9a-f]+, (round|라운드) [0-9]+\)|0x[0-9a-f]+ r[0-9]+|r[0-9]+)" 10 &&
           wait_for $s "$noq" 5; then
            ok "$1x$2 $3: the LOOKING row and the quorum line are whole"
        else bad "$1x$2 $3: LOOKING row and quorum line not cut" $s; fi
    else bad "$1x$2 $3: sandbox" $s; fi
    keys $s q
    wait_for $s "exited 0" 10 || bad "$s quits" $s
done

# --- each producer's settings and its lost records: p1 (acks=1, no key)
# writes to 101 while 101 and p1 are cut off from the rest; once healed,
# 101 follows the new leaders and truncates what only it had
# (Partition.truncateTo): the writes p1 saw acknowledged are gone, and
# the clients panel counts them as the audit does ---
cat > "$TMP/lost.lua" <<'LUA'
lab.cluster{ zookeepers = 3, brokers = 3 }
lab.wait_brokers()
lab.create_topic{ name = "t", partitions = 1, replication_factor = 3 }
local p = lab.producer{ acks = 1 }
p:send_many("t", 5, 0)
-- the first 5 on every replica (acks=1 answers before the followers
-- fetch): only the 10 written while cut off are the leader's alone
lab.run_until(function() return lab.partition("t", 0).hw == 5 end, 10000)
local l = lab.partition("t", 0).leader
local rest = { "zk1", "zk2", "zk3" }
for _, id in ipairs({ 101, 102, 103 }) do if id ~= l then rest[#rest + 1] = id end end
lab.split({ l, "p1" }, rest)
p:send_many("t", 10, 0)
lab.run_until(function() return lab.partition("t", 0).leader ~= l end, 60000)
lab.heal()
lab.run(10000)
lab.say("the old leader truncated what only it had")
lab.say("done")
LUA
start lo 120 40 "$TMP/lost.lua"
if wait_re lo "p1 acks=1 →[0-9]+ +ok 15 +fail 0 +lost 10" 60 &&
   has lo "   partition 0  delivery.timeout.ms=120000"; then
    ok "p1's 10 writes acknowledged by a cut-off leader, truncated, count as lost"
else bad "p1's lost count after the old leader's truncation" lo; fi
keys lo q
start l8 80 24 --sandbox --seed 3
if wait_for l8 "p1 acks=1" 15 && wait_re l8 "^ +(fail 0  )?lost 0  no key: sticky" 5; then
    ok "80x24: p1's counts whole, lost and the partitioner on its second line"
else bad "80x24: p1's second line" l8; fi
keys l8 q
wait_for l8 "exited 0" 10 || bad "l8 quits" l8

# --- the znode browser opens a whole value with its stat: Enter on a
# leaf (/brokers/ids/101, 89 bytes, wrapped at 80 columns), Esc back;
# v on /brokers/topics/orders, a znode with children, q back ---
for size in "120 40" "80 24"; do
    set -- $size
    s=zn$1
    start $s "$1" "$2" --sandbox --seed 3
    if wait_for $s "· serving" 15 && wait_for $s "p1 acks" 15; then
        keys $s f Down Down Down Down Down Enter
        if wait_for $s "ZNODE  /brokers/ids/101" 5 && has $s "ephemeralOwner = 0x100000000000001" &&
           has $s "dataLength = 89" && has $s "numChildren = 0" && has $s "cZxid = 0x1" &&
           has $s "ctime = t=" && has $s '"jmx_port":-1}'; then
            ok "$1x$2: Enter on /brokers/ids/101 shows its stat and whole value"
        else bad "$1x$2: Enter on a leaf opens its value and stat" $s; fi
        keys $s Escape
        if wait_gone $s "ZNODE  /brokers" 5 && has $s "ZNODES  zk"; then ok "$1x$2: Esc goes back to the tree"
        else bad "$1x$2: Esc closes the znode view" $s; fi
        keys $s Down Down Down Down Down v
        if wait_for $s "ZNODE  /brokers/topics/orders" 5 && has $s "numChildren = 1" &&
           has $s '"removing_replicas":{}}'; then
            ok "$1x$2: v on /brokers/topics/orders shows the whole assignment"
        else bad "$1x$2: v opens a znode with children" $s; fi
        keys $s q
        if wait_gone $s "ZNODE  /brokers" 5 && ! has $s "exited"; then ok "$1x$2: q goes back, not out"
        else bad "$1x$2: q closes the znode view only" $s; fi
    else bad "$1x$2: sandbox for the znode browser" $s; fi
    keys $s q
    wait_for $s "exited 0" 10 || bad "$s quits" $s
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
