#!/bin/sh
# End-to-end tests of the dashboard: the real binary runs inside tmux, keys
# are sent as a learner would type them, and the captured screen is checked:
# state words after crashing the ensemble leader from the keyboard, the
# quorum line after a kill from the command line, errors for bad commands,
# the help overlay, resizing down to 80x24 and a terminal too small, pause
# and step, quitting, and the hint when stdout is not a terminal; brokers
# crashed from the keyboard and by :kill 102 until the grid shows a new
# leader, :stop moving leadership at once (in simulated time), a lesson
# stepped with n and b, a Kafka lesson at 80x24, the picker with every
# lesson, and Korean words, help and event log.
#   usage: tests/suites/e2e.sh BUILD_DIR     (prints "N passed, N failed" last)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BIN=$BUILD/quorumlab
SUITE=e2e
. tests/lib/tmux.sh

echo "== e2e on $BIN"

# --- not a terminal: a hint and exit 2 ---
out=$("$BIN" --sandbox </dev/null 2>&1 >/dev/null); rc=$?
if [ "$rc" -eq 2 ] && echo "$out" | grep -q -- "--headless"; then ok "not a terminal: hint and exit 2"
else bad "not a terminal: rc=$rc out=$out"; fi

# --- a live ensemble, crash its leader from the keyboard ---
start a 120 40 --sandbox --seed 3
if wait_for a "quorum 2 of 3 · 3 up · serving" 15; then ok "sandbox shows a serving ensemble"
else bad "sandbox shows a serving ensemble" a; fi
if screen a | head -n 1 | grep -q "quorumlab  sandbox .*speed 10x  RUNNING  seed 3"; then
    ok "header: mode, speed, running, seed"
else bad "header" a; fi
L=$(leader a)
if [ -n "$L" ]; then
    # the selection starts on zk1: Tab moves to the leader
    i=1; while [ "zk$i" != "$L" ]; do keys a Tab; i=$((i + 1)); done
    keys a k
    if wait_for a "crashed $L" 5 && wait_for a "fault: crash $L" 5; then ok "k crashes the selected leader ($L)"
    else bad "k crashes the selected leader" a; fi
    if server_line a "$L" | grep -q "DOWN"; then ok "$L shows DOWN"
    else bad "$L shows DOWN" a; fi
    if wait_for a "quorum 2 of 3 · 2 up · serving" 20; then
        N=$(leader a)
        if [ -n "$N" ] && [ "$N" != "$L" ]; then ok "a new leader ($N) is LEADING"
        else bad "a new leader is LEADING" a; fi
    else bad "the ensemble recovers: quorum 2 of 3 · 2 up" a; fi
    # --- the command line: kill a follower, the quorum is gone ---
    F=""
    for s in zk1 zk2 zk3; do
        [ "$s" = "$L" ] && continue
        [ "$s" = "$(leader a)" ] && continue
        F=$s
    done
    keys a :; typed a "kill $F"; keys a Enter
    if wait_for a "NO QUORUM: 1 of 3 up, 2 needed" 15; then ok ":kill $F: NO QUORUM line"
    else bad ":kill $F: NO QUORUM line" a; fi
    keys a :; typed a "restart $L"; keys a Enter
    if wait_for a "restarted $L" 5 && wait_for a "quorum 2 of 3 · 2 up · serving" 30; then
        ok ":restart $L brings the quorum back"
    else bad ":restart $L brings the quorum back" a; fi
else
    bad "no leader found" a
fi

# --- errors stay in the command line, nothing crashes ---
keys a :; typed a "explode zk9"; keys a Enter
if wait_for a "unknown command 'explode'" 5; then ok "bad command: error shown"
else bad "bad command: error shown" a; fi
keys a :; typed a "kill zk9"; keys a Enter
if wait_for a "unknown node 'zk9' (servers zk1..zk3" 5; then ok "unknown node: error shown"
else bad "unknown node: error shown" a; fi
keys a :; typed a "split zk1 zk2"; keys a Enter
if wait_for a "usage: split" 5; then ok "bad split: usage shown"
else bad "bad split: usage shown" a; fi
# a burst of keys a learner might mash, control characters included
typed a ':%s%n\\@@!~'; keys a Enter C-a C-e F5 F12 Escape NPage PPage Home End BTab
typed a '한국어'; keys a Enter
keys a :; typed a "lua print('정족수 둘')"; keys a Enter
sleep 1
if screen a | head -n 1 | grep -q "quorumlab"; then ok "survives garbage input"
else bad "survives garbage input" a; fi
if wait_for a "정족수 둘" 5; then ok ":lua runs a statement (Korean shown)"
else bad ":lua runs a statement" a; fi
keys a :; typed a "lua lab.kill('zk2')"; keys a Enter
if wait_for a "fault: crash zk2" 5; then ok ":lua acts on the world on screen"
else bad ":lua acts on the world on screen" a; fi

# --- help overlay ---
keys a '?'
if wait_for a "crash the selected node" 5; then ok "? opens the help"
else bad "? opens the help" a; fi
keys a x
if wait_gone a "crash the selected node" 5; then ok "any key closes the help"
else bad "any key closes the help" a; fi

# --- pause, step, speed ---
keys a Space
if wait_for a "PAUSED" 5; then ok "space pauses"
else bad "space pauses" a; fi
t1=$(screen a | head -n 1 | sed -E 's/.*t=([0-9.]+)s.*/\1/')
sleep 1
t2=$(screen a | head -n 1 | sed -E 's/.*t=([0-9.]+)s.*/\1/')
if [ "$t1" = "$t2" ]; then ok "time stands still while paused"
else bad "time stands still while paused ($t1 -> $t2)" a; fi
keys a .
if wait_for a "step:" 5; then ok ". steps one event"
else bad ". steps one event" a; fi
keys a + +
if wait_for a "speed 50x" 5; then ok "+ speeds up (10x, 20x, 50x)"
else bad "+ speeds up" a; fi
keys a Space
if wait_for a "RUNNING" 5; then ok "space resumes"
else bad "space resumes" a; fi

# --- resize: 80x24 still shows everything, smaller says so ---
$T resize-window -t =a: -x 80 -y 24
sleep 1
if wait_for a "ENSEMBLE" 5 && wait_for a "EVENTS" 5 && screen a | tail -n 1 | grep -q "k crash"; then
    ok "80x24 shows the panels and the keys"
else bad "80x24 shows the panels and the keys" a; fi
$T resize-window -t =a: -x 70 -y 20
if wait_for a "terminal too small: 70x20, need 80x24" 5; then ok "too small says so"
else bad "too small says so" a; fi
$T resize-window -t =a: -x 120 -y 40
if wait_for a "ENSEMBLE" 5; then ok "grows back"
else bad "grows back" a; fi

# --- quit ---
keys a q
if wait_for a "exited 0" 5; then ok "q quits with status 0"
else bad "q quits with status 0" a; fi

# --- five servers, a small terminal from the start ---
start b 80 24 --sandbox --zookeepers 5
if wait_for b "quorum 3 of 5 · 5 up · serving" 15 && server_line b zk5 | grep -qE "LEADING|FOLLOWING"; then
    ok "--zookeepers 5 at 80x24"
else bad "--zookeepers 5 at 80x24" b; fi
keys b :; typed b "split zk1,zk2 / zk3,zk4,zk5"; keys b Enter
# the sandbox's brokers are named on neither side: they stay linked to both
if wait_for b "only links between A (zk1,zk2) and B (zk3,zk4,zk5) are cut" 5; then ok ":split is applied"
else bad ":split is applied" b; fi
keys b h
if wait_for b "healed every link" 5; then ok "h heals"
else bad "h heals" b; fi
keys b q
wait_for b "exited 0" 5 || bad "b quits" b

# --- brokers: the sandbox's topic, crashes from the keyboard and :kill ---
start d 130 42 --sandbox --speed 100 --seed 2
if wait_for d "orders-5" 20 && wait_for d "p1 " 10 && [ -n "$(part_leader d orders-0)" ]; then
    ok "sandbox: topic orders in the grid, producer p1 in the clients"
else bad "sandbox: topic orders and producer p1" d; fi
L=$(part_leader d orders-0)
if [ -n "$L" ]; then
    # selection starts on zk1; servers come first, then 101..104
    i=0; while [ "$i" -lt $((3 + L - 101)) ]; do keys d Tab; i=$((i + 1)); done
    keys d k
    if wait_for d "crashed $L" 5; then ok "k crashes broker $L (the leader of orders-0)"
    else bad "k crashes broker $L" d; fi
    if wait_leader_not d orders-0 "$L" 30; then
        ok "after the session timeout orders-0 has a new leader ($(part_leader d orders-0))"
    else bad "orders-0 gets a new leader after $L crashed" d; fi
    if screen d | grep -qE "state +.*down"; then ok "the crashed broker's column says down"
    else bad "the crashed broker's column says down" d; fi
    keys d :; typed d "restart $L"; keys d Enter
    wait_for d "restarted $L" 5 || bad ":restart $L" d
    # :kill 102: a partition it leads moves
    P=""
    for p in 0 1 2 3 4 5; do
        [ "$(part_leader d orders-$p)" = 102 ] && P=orders-$p && break
    done
    if [ -z "$P" ]; then keys d :; typed d "kill 102"; keys d Enter; ok "102 leads nothing now (killed anyway)"
    else
        keys d :; typed d "kill 102"; keys d Enter
        if wait_for d "crashed 102" 5 && wait_leader_not d "$P" 102 30; then
            ok ":kill 102: $P has a new leader ($(part_leader d "$P"))"
        else bad ":kill 102: $P gets a new leader" d; fi
    fi
fi
keys d q
wait_for d "exited 0" 5 || bad "d quits" d

# --- a clean stop moves leadership at once: well inside the 18 s session
# timeout a crash would need. Measured in simulated time, which a busy
# machine cannot stretch: the header before the command is a lower bound
# of when the stop began, the header of the first screen whose grid shows
# the new leader an upper bound of when it moved. At 1x the test's own
# polling adds little simulated time.
start g 130 42 --sandbox --speed 1 --seed 2
# the grid may show the partitions a moment before their leaders: poll
if wait_for g "orders-5" 40 && wait_leader_not g orders-0 none 20; then
    L=$(part_leader g orders-0)
    t0=$(screen g | sim_ms)
    keys g :; typed g "stop $L"; keys g Enter
    n=$((40 * SLOW * 10)); t1=""; M=""
    while [ "$n" -gt 0 ]; do
        scr=$(screen g)
        M=$(echo "$scr" | grid_leader orders-0)
        if [ -n "$M" ] && [ "$M" != "$L" ]; then t1=$(echo "$scr" | sim_ms); break; fi
        sleep 0.1
        n=$((n - 1))
    done
    if [ -n "$t1" ] && [ -n "$t0" ] && [ $((t1 - t0)) -lt 9000 ]; then
        ok ":stop $L: orders-0 moved to $M within $((t1 - t0)) ms of simulated time (a crash takes 18 s)"
    else bad ":stop $L moves leadership at once (t0=$t0 t1=$t1 leader=$M)" g; fi
    if wait_for g "$L stopped cleanly" 40; then ok ":stop $L: then $L stops"
    else bad "$L stops cleanly" g; fi
else bad "1x sandbox shows the topic" g; fi
keys g q
wait_for g "exited 0" 10 || bad "g quits" g

# --- a lesson in the dashboard: steps wait for n, b goes back ---
# (each step plays, then waits with its result: step 1 waits first; step 2
# of lesson 5 asks a prediction, then gives the learner a task)
start e 120 40 lessons/05_odd_ensembles.lua --speed 50
if wait_for e "LESSON  05_odd_ensembles.lua  step 1" 20 && wait_for e "waiting: press n to go on" 5; then
    if wait_for e "● the quorum of 3 is 2" 5; then ok "its checks show as lights"
    else bad "check lights" e; fi
    keys e n
fi
if wait_for e "LESSON  05_odd_ensembles.lua  step 2" 20 && wait_for e "answer: press 1 to 4" 5; then
    ok "the lesson runs in the dashboard and waits at step 2 for an answer"
else bad "the lesson waits at step 2" e; fi
# n skips the prediction, n passes the task to the lesson, n goes on
keys e n
wait_for e "your turn" 10 && keys e n
wait_for e "waiting: press n to go on" 30 && keys e n
if wait_for e "step 3" 10 && wait_for e "Bring one back" 5; then ok "n advances to step 3"
else bad "n advances to step 3" e; fi
keys e b
if wait_for e "step 2" 10 && wait_for e "The notes: odd sizes because" 5; then ok "b replays back to step 2"
else bad "b goes back to step 2" e; fi
keys e q
if wait_for e "exited 0" 5; then ok "q quits a lesson"
else bad "q quits a lesson" e; fi

# --- a Kafka lesson at 80x24: the producer, a clean stop, a second
# producer that cannot start ---
start l 80 24 lessons/03_bootstrap.lua --speed 50
wait_for l "waiting: press n to go on" 20 && keys l n
# step 2 has played when it waits: p1 bootstrapped from 101 and wrote its
# 40 records to the leaders (it shows its acks and the last one it talked
# to; at 80 columns one space between its counts)
if wait_for l "step 2" 20 && wait_for l "PLACEMENT  4 partitions" 10 &&
   wait_for l "p1 acks=all →10" 10 && wait_for l "ok 40 fail 0" 10; then
    ok "lesson 3 at 80x24: the grid and producer p1 with its 40 writes acknowledged"
else bad "lesson 3 at 80x24: grid and p1" l; fi
keys l n
# step 3 is the learner's task (stop 101): n passes it to the lesson,
# which stops 101 cleanly. The log's "controlled shutdown begins" scrolls
# away at 50x behind the step's checks; what shows the stop was clean is
# the grid 3 s later: 101 down and leading nothing (a crash would leave
# it leader until its session expired, 18 s later)
wait_for l "step 3" 20 && wait_for l "your turn" 10 && keys l n
if wait_for l "step 3" 10 && wait_re l "state +down +up +up +up" 20 && wait_re l "lead/repl 0/3 " 10; then
    ok "lesson 3, n: 101 stops cleanly"
else bad "lesson 3, step 3" l; fi
# n while a step plays only hurries it to its end: wait for its result
wait_for l "waiting: press n to go on" 20
# its long check wraps in the 80-column lesson panel instead of being cut
if screen l | grep -q "● p1 goes on without 101" && wait_for l "knows the cluster" 5; then
    ok "lesson 3 at 80x24: a long check line wraps, every word shown"
else bad "lesson 3 at 80x24: the long check wraps" l; fi
keys l n
# step 4 asks a prediction first (2: it never learns of the others)
wait_for l "answer: press 1 to 2" 20 && keys l 2
if wait_for l "step 4" 20 && wait_for l "p2 acks=all →101" 20; then ok "lesson 3, n: a second producer p2 tries 101"
else bad "lesson 3, step 4" l; fi
wait_for l "waiting: press n to go on" 20 && keys l n
# step 5: its task passed to the lesson, then its question answered
wait_for l "your turn" 20 && keys l n
wait_for l "answer: press 1 to 3" 20 && keys l 2
wait_for l "waiting: press n to go on" 20 && keys l n
if wait_for l "lesson over: 7 passed, 0 failed" 30; then ok "lesson 3 ends with its checks passed"
else bad "lesson 3 ends with its checks passed" l; fi
keys l q
wait_for l "exited 0" 5 || bad "l quits" l

# --- no argument: the picker, the first lesson chosen (whichever it is:
# the curriculum changes) ---
first=$(LC_ALL=C ls lessons/*.lua | head -n 1); first=${first#lessons/}
start f 100 30
if wait_for f "PICK A LESSON" 10 && wait_for f "$first" 5; then ok "no argument opens the lesson picker"
else bad "no argument opens the lesson picker" f; fi
if wait_for f "07_leader_election.lua" 5 && wait_for f "Lesson 7: who becomes the leader" 5 &&
   wait_for f "08_follower_reads.lua" 5 && wait_for f "Lesson 8: followers answer reads" 5; then
    ok "the picker lists lessons 7 and 8 with their titles"
else bad "the picker lists lessons 7 and 8" f; fi
# at 80 columns lesson 8's title is cut: "…", and whole under the list
# (Down from the first lesson to it, wherever it is in the list)
$T resize-window -t =f: -x 80 -y 24
pos=$(LC_ALL=C ls lessons/*.lua | grep -n '/08_follower_reads.lua$' | cut -d: -f1)
i=1; while [ "$i" -lt "${pos:-1}" ]; do keys f Down; i=$((i + 1)); done
if wait_for f "> 08_follower_reads.lua" 5 && wait_for f "…" 5 &&
   wait_for f "    Lesson 8: followers answer reads, a moment behind the leader" 5; then
    ok "80 columns: a cut title ends in … and shows whole when chosen"
else bad "80 columns: the chosen lesson's cut title" f; fi
i=1; while [ "$i" -lt "${pos:-1}" ]; do keys f Up; i=$((i + 1)); done
keys f Enter
# (at 80 columns the lesson panel's title drops the word LESSON for the
# step and task counts)
if wait_for f "$first  step 1/" 10; then ok "enter opens the first lesson"
else bad "enter opens the first lesson" f; fi
keys f q
wait_for f "exited 0" 5 || bad "f quits" f

# --- Korean words: panels, help, the event log ---
start k 120 40 --sandbox --lang ko
if wait_for k "쿼럼 2/3 · 3대 가동 · 서비스 중" 15; then ok "--lang ko: the dashboard's words in Korean"
else bad "--lang ko" k; fi
keys k '?'
if wait_for k "선택한 노드를 크래시(비정상 종료)" 5 && wait_for k "도움말" 5; then ok "--lang ko: the help in Korean"
else bad "--lang ko: the help in Korean" k; fi
keys k x
wait_gone k "선택한 노드를 크래시" 5 || bad "--lang ko: the help closes" k
keys k k
if wait_for k "장애: zk1 크래시(비정상 종료)" 5; then ok "--lang ko: the event log in Korean"
else bad "--lang ko: the event log in Korean" k; fi
if wait_for k "에포크" 20; then ok "--lang ko: role changes in Korean (에포크)"
else bad "--lang ko: role changes in Korean" k; fi
# the command line's own errors too (they stayed English)
keys k :; typed k "topic orders six 3"; keys k Enter
if wait_for k "사용법: topic 이름 파티션수 복제수" 5; then
    keys k :; typed k "kil 101"; keys k Enter
    if wait_for k "'kil'이라는 명령은 없습니다. 혹시 'kill'인가요?" 5; then
        ok "--lang ko: the command line's errors in Korean (usage, did you mean)"
    else bad "--lang ko: :kil 101 in Korean" k; fi
else bad "--lang ko: a usage error in Korean" k; fi
keys k q
wait_for k "exited 0" 5 || bad "k quits" k

# --- bad input in the dashboard: an error panel, the world stays ---
# panel_text NAME: the error panel's words (the rows under its title to
# its first blank row), joined by single spaces: a wrapped message whole
panel_text() { screen "$1" | sed -n '/SCRIPT ERROR\|스크립트 오류/,$p' | sed '1d' | sed '/^ *$/q' | tr '\n' ' ' | tr -s ' '; }
# each headless bad-input fixture (syntax, runtime, argument types,
# unknown nodes and topics, the instruction and memory limits, absurd
# sizes) run as a lesson: the panel names FILE:LINE and the message, the
# lesson does not claim success, Esc closes it and the dashboard goes on
i=0
for f in tests/badinput/*.lua; do
    name=$(basename "$f" .lua)
    case "$name" in sandbox_*) continue ;; esac
    spec=$(sed -n '1s/^-- expect \([0-9]*\): \(.*\)$/\1 \2/p' "$f")
    line=${spec%% *}
    text=${spec#* }
    i=$((i + 1))
    s=bi$i
    start $s 100 30 "$f" --speed 50
    if wait_for $s "SCRIPT ERROR" 30 && panel_text $s | grep -qF -- "$f:$line: " &&
       panel_text $s | grep -qF -- "$text"; then
        ok "dashboard, $name: the error panel shows $f:$line: ...$text..."
    else bad "dashboard, $name: the error panel ($f:$line: ...$text...)" $s; fi
    if screen $s | grep -q "stopped by an error after 0 passed, 0 failed" &&
       ! screen $s | grep -q "lesson over"; then ok "dashboard, $name: the lesson panel says it stopped by an error"
    else bad "dashboard, $name: the lesson tally" $s; fi
    keys $s Escape
    if wait_gone $s "SCRIPT ERROR" 5 && screen $s | head -n 1 | grep -q "RUNNING"; then
        ok "dashboard, $name: Esc closes the panel, the dashboard runs on"
    else bad "dashboard, $name: Esc closes the panel" $s; fi
    keys $s q
    wait_for $s "exited 0" 10 || bad "dashboard, $name: q quits with 0" $s
done

# a lesson that fails at its second step: the world it built stays and
# every key acts on it
BADDIR=$(mktemp -d)
cat >"$BADDIR/bad.lua" <<'LUA'
lab.say("step one")
lab.cluster{ zookeepers = 3 }
lab.run(1000)
lab.check(true, "the first check passes")
lab.say("step two")
lab.kill("zk9")
LUA
start m 100 30 "$BADDIR/bad.lua" --speed 20
if wait_for m "step 1" 20 && wait_for m "waiting: press n to go on" 10; then keys m n; fi
if wait_for m "SCRIPT ERROR" 20 && panel_text m | grep -qF "$BADDIR/bad.lua:6: " &&
   panel_text m | grep -qF "unknown node 'zk9'" &&
   wait_for m "The world is left as it was" 5 &&
   wait_for m "Esc closes this panel and keeps playing with the world as it is" 5 &&
   wait_for m "b goes back a step (replays from the seed)   q quits" 5; then
    ok "a lesson's runtime error: the panel with the whole message, the world kept, the keys"
else bad "a lesson's runtime error: the panel" m; fi
if wait_for m "stopped by an error after 1 passed, 0 failed" 5 && ! screen m | grep -q "lesson over"; then
    ok "the lesson tally: stopped by an error after 1 passed, 0 failed"
else bad "the lesson tally after an error" m; fi
# the world still runs under the panel; k does nothing while it is up
t0=$(screen m | sim_ms)
keys m k
sleep 1
t1=$(screen m | sim_ms)
if [ -n "$t0" ] && [ -n "$t1" ] && [ "$t1" -gt "$t0" ] && server_line m zk1 | grep -qv DOWN &&
   screen m | grep -q "SCRIPT ERROR"; then ok "the world runs on under the panel (t $t0 -> $t1 ms); k waits for Esc"
else bad "the world runs on under the panel (t0=$t0 t1=$t1)" m; fi
keys m Escape
wait_gone m "SCRIPT ERROR" 5 || bad "Esc closes the panel" m
keys m k
if wait_for m "crashed zk1" 5 && wait_for m "fault: crash zk1" 5 && server_line m zk1 | grep -q DOWN; then
    ok "after the error k crashes zk1 of the same world"
else bad "after the error, k" m; fi
keys m :; typed m "kill zk2"; keys m Enter
if wait_for m "NO QUORUM: 1 of 3 up, 2 needed" 15; then ok "after the error :kill zk2 acts on it: NO QUORUM"
else bad "after the error, :kill zk2" m; fi
keys m r
if wait_for m "restarted zk1" 5 && wait_for m "quorum 2 of 3 · 2 up · serving" 30; then
    ok "after the error r restarts zk1: the ensemble serves again"
else bad "after the error, r restarts zk1" m; fi
# b replays the script from its seed: a fresh world (zk2 up again), and
# the same error at the same line
# the step before the error plays again and waits; n meets the error again
keys m b
if wait_for m "a new world was built" 20 && wait_for m "waiting: press n to go on" 20 &&
   server_line m zk2 | grep -qE "FOLLOWING|LEADING|LOOKING"; then keys m n; fi
if wait_for m "SCRIPT ERROR" 20 && server_line m zk2 | grep -qE "FOLLOWING|LEADING|LOOKING"; then
    ok "b replays the lesson from its seed: a fresh world"
else bad "b after an error" m; fi
keys m q
wait_for m "exited 0" 10 || bad "m quits" m

# a :lua statement that fails in the sandbox, in Korean: the panel, the
# same world after it, and the status line in Korean
start o 100 30 --sandbox --lang ko
if wait_for o "쿼럼 2/3 · 3대 가동 · 서비스 중" 15; then
    keys o :; typed o 'lua lab.kill("zk9")'; keys o Enter
    if wait_for o "스크립트 오류" 10 && panel_text o | grep -qF ":lua:1: " &&
       panel_text o | grep -qF "unknown node 'zk9'" && wait_for o "월드는 그대로 남아 계속 실행됩니다." 5; then
        ok ":lua error in Korean: 스크립트 오류 with the whole message"
    else bad ":lua error in Korean: the panel" o; fi
    keys o Escape
    wait_gone o "스크립트 오류" 5 || bad ":lua: Esc closes the panel" o
    keys o :; typed o 'lua while true do end'; keys o Enter
    if wait_for o "스크립트 오류" 30 && panel_text o | grep -qF "with no simulated time passing"; then
        ok ":lua endless loop: the instruction limit in the panel"
    else bad ":lua endless loop" o; fi
    keys o Escape
    keys o :; typed o 'lua lab.cluster{ zookeepers = 1e9 }'; keys o Enter
    if wait_for o "스크립트 오류" 10 && panel_text o | grep -qF "zookeepers must be 1 to 15"; then
        ok ":lua zookeepers = 1e9: an error, no world built"
    else bad ":lua zookeepers = 1e9" o; fi
    keys o Escape
    if wait_gone o "스크립트 오류" 5 && wait_for o "쿼럼 2/3 · 3대 가동 · 서비스 중" 5 &&
       ! screen o | grep -q "새 월드를 만들었습니다"; then ok ":lua errors: the same world stays, serving"
    else bad ":lua errors: the same world" o; fi
    keys o k
    if wait_for o "zk1 크래시(비정상 종료)" 5 && screen o | grep -q "^zk1 크래시(비정상 종료)"; then
        ok "--lang ko: the status line says 'zk1 크래시(비정상 종료)'"
    else bad "--lang ko: the status line in Korean" o; fi
else bad ":lua in Korean: the sandbox serves" o; fi
keys o q
wait_for o "exited 0" 10 || bad "o quits" o

# a Kafka lesson's clean stop in Korean at 80x24
start l2 80 24 lessons/03_bootstrap.lua --speed 50 --lang ko
if wait_for l2 "03_bootstrap.lua" 20; then
    keys l2 :; typed l2 "stop 102"; keys l2 Enter
    if wait_for l2 "102 정상 종료" 10; then ok "--lang ko: ':stop 102' says 102 정상 종료 (중|완료) in Korean"
    else bad "--lang ko: ':stop 102' in Korean" l2; fi
else bad "lesson 3 in Korean at 80x24" l2; fi
keys l2 q
wait_for l2 "exited 0" 10 || bad "l2 quits" l2
rm -rf "$BADDIR"

# --- a tiny terminal from the start, and bad options ---
start c 40 10 --sandbox
if wait_for c "terminal too small" 10; then ok "starts in a tiny terminal"
else bad "starts in a tiny terminal" c; fi
keys c q
if wait_for c "exited 0" 5; then ok "quits from the too-small screen"
else bad "quits from the too-small screen" c; fi
"$BIN" --zookeepers 99 >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 2 ]; then ok "bad option: exit 2"; else bad "bad option: exit $rc"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
