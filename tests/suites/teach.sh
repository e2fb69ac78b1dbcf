#!/bin/sh
# End-to-end tests of the lesson engine (viz/lesson.c, lab/lua/lua_teach.c):
# the real binary in tmux, keys sent as a learner types them, the screen
# read back. A step's consequence is on screen before its wait and the
# next step's text only after n; the next world only after n; b from the
# end; a task done with a key advancing the lesson, and its hint after
# waiting; a prediction answered with a key or a typed number, shown
# beside what happened; in English and Korean, at 120x40 and 80x24.
#   usage: tests/suites/teach.sh BUILD_DIR     (prints "N passed, N failed" last)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BIN=$BUILD/quorumlab
SUITE=teach
. tests/lib/tmux.sh
DIR=$TMP

echo "== teach on $BIN"

# --- headless, a lesson is a test: an undone task and a wrong prediction fail ---
cat >"$DIR/fail.lua" <<'LUA'
lab.say("failing helpers")
lab.cluster{ zookeepers = 3, seed = 1 }
lab.task{ text = "never done", within_ms = 1000, done = function() return false end, solve = function() end }
lab.predict{ question = "how many servers?", unit = "", answer = 4, truth = function() return 3 end }
LUA
out=$("$BIN" --headless "$DIR/fail.lua" 2>&1); rc=$?
if [ "$rc" -eq 1 ] && echo "$out" | grep -qF "FAIL - task: never done" &&
   echo "$out" | grep -qF "FAIL - how many servers?: the lesson said 4, it was 3" &&
   echo "$out" | tail -n 1 | grep -qF "0 passed, 2 failed"; then
    ok "headless: a task whose done() never holds and a wrong prediction fail (exit 1)"
else bad "headless failures: rc=$rc $out"; fi

# --- lesson 5 (odd ensembles), English, 120x40: steps in step with the
# screen; a prediction, then a task of two crashes done with keys ---
start a 120 40 lessons/05_odd_ensembles.lua --speed 50
if wait_for a "step 1/6" 20 && wait_for a "waiting: press n to go on" 10 &&
   has a "● a 3-server ensemble elects a leader and serves" && has a "quorum 2 of 3 · 3 up · serving" &&
   ! has a "The notes: odd sizes because"; then
    ok "step 1 waits with its result and its check lit; the next text (also in EVENTS) only after n"
else bad "step 1 waits with its result" a; fi
keys a n
if wait_for a "step 2/6" 10 && wait_for a "The notes: odd sizes because" 5; then ok "n: step 2's text"
else bad "n: step 2" a; fi
if wait_for a "? Three servers: how many may crash" 10 && has a "1 none   2 one   3 two" &&
   has a "answer: press 1 to 4"; then
    ok "step 2: the prediction is asked before the learner acts"
else bad "step 2: the prediction" a; fi
keys a 2
# the learner's task: the selection starts on zk1, a follower; k crashes it
if wait_for a "▶ Crash servers one by one" 10 && wait_for a "your turn" 5 && has a "tasks 0/3"; then
    ok "step 2: the task waits for the learner (world running)"
else bad "step 2: the task" a; fi
sleep 1
if has a "▶ Crash servers one by one" && ! has a "waiting: press n"; then ok "the task waits while nobody acts"
else bad "the task waits while nobody acts" a; fi
keys a k
if wait_for a "quorum 2 of 3 · 2 up · serving" 10 && sleep 1 && has a "▶ Crash servers one by one" &&
   ! has a "task done by you"; then
    ok "k on zk1: one of three down, the ensemble still serves and the task goes on"
else bad "k on zk1: still serving, the task goes on" a; fi
keys a Tab k
# the old defect: "Nobody serves now." beside a serving ensemble
if wait_for a "● task done by you" 20 && wait_for a "● 3 servers with 2 down stop serving" 10 &&
   wait_for a "tasks 1/3" 5 && wait_for a "waiting: press n to go on" 10 &&
   has a "NO QUORUM: 1 of 3 up" && ! has a "· serving"; then
    ok "Tab k on zk2 does the task: the lesson says what the crashes caused, NO QUORUM on screen before its wait"
else bad "Tab k does the task" a; fi
if has a "you said 2 (one), it was 2 (one)" && has a "predicted 1/1"; then
    ok "the answer shows beside what the learner's crashes showed; predictions right 1/1"
else bad "the prediction beside the truth" a; fi
keys a n
wait_for a "step 3/6" 10 && wait_for a "waiting: press n to go on" 20
keys a n
if wait_for a "? Four servers: how many may crash" 10 && has a "1 none   2 one   3 two" &&
   has a "answer: press 1 to 4" && has a "t=0.000s"; then
    ok "step 4: the prediction is asked before the new world runs"
else bad "step 4: the prediction" a; fi
keys a 2
# n passes this step's task to the lesson
wait_for a "▶ Crash servers one by one until the 4-server" 20 && keys a n
if wait_for a "you said 2 (one), it was 2 (one)" 40 && wait_for a "predicted 2/2" 5 &&
   wait_for a "waiting: press n to go on" 10; then
    ok "key 2 answers; the answer shows beside what happened; predictions right 2/2"
else bad "the prediction beside the truth" a; fi
if has a "ENSEMBLE  4 servers" && has a "NO QUORUM: 2 of 4 up"; then
    ok "the 4-server world's last state stays until n"
else bad "the old world stays until n" a; fi
keys a n
if wait_for a "ENSEMBLE  5 servers" 10 && wait_for a "Five servers" 5; then ok "n: the next world"
else bad "n: the next world" a; fi
wait_for a "? Five servers" 10 && keys a 3
wait_for a "▶ Crash servers one by one until the 5-server" 20 && keys a n
wait_for a "? Six servers" 60 && keys a 1
wait_for a "waiting: press n to go on" 30
keys a n
if wait_for a "lesson over: " 20; then ok "the lesson ends"
else bad "the lesson ends" a; fi
keys a b
if wait_for a "step 5/6" 20 && wait_for a "Five servers" 5 && wait_for a "? Five servers" 30; then
    ok "b at the end goes back to step 5, which asks again"
else bad "b at the end" a; fi
keys a b
if wait_for a "step 4/6" 20 && wait_for a "? Four servers" 10; then ok "b again: step 4 asks again"
else bad "b again: step 4" a; fi
keys a q
wait_for a "exited 0" 10 || bad "a quits" a

# --- a task's hint after waiting, n passes it to the lesson; a number
# typed as a prediction; at 80x24 ---
cat >"$DIR/t.lua" <<'LUA'
lab.say{ en = "A task and a guess", ko = "과제와 예측" }
lab.cluster{ zookeepers = 3, seed = 1 }
lab.run_until(function() return lab.ensemble().serving end, 20000)
local first = lab.ensemble().leader
-- done() holds only after the re-election: passed to the lesson with n,
-- the task still waits for it
local t = lab.task{ text = { en = "Crash the leader.", ko = "리더를 죽이세요." },
  hint = { en = "Tab to the LEADING one, then k.", ko = "LEADING 서버로 Tab, 그리고 k." },
  hint_after_s = 3,
  done = function() local e = lab.ensemble(); return e.serving and e.leader ~= first and e.leader end,
  solve = function() lab.kill(first) end }
lab.check(lab.ensemble().serving, { en = "a new leader serves", ko = "새 리더가 서비스" })
local start = lab.now()
lab.predict{ question = { en = "Seconds to a new leader?", ko = "새 리더까지 몇 초?" }, unit = "s",
  answer = 0.5, tolerance = 1,
  truth = function() return (lab.now() - start) / 1000 end }
lab.run_until(function() return lab.ensemble().serving end, 20000)
lab.say{ en = "Done.", ko = "끝." }
LUA
for lang in en ko; do
    s=h$lang
    start $s 80 24 "$DIR/t.lua" --speed 20 --lang $lang
    # the task is step 1's: no n before it (n would pass it to the lesson)
    if [ $lang = en ]; then task="▶ Crash the leader."; hint="hint: Tab to the LEADING"; done_by="task: Crash"
        said="0.5 s, it was"; ans="answer: type a number"
    else task="▶ 리더를 죽이세요."; hint="힌트: LEADING"; done_by="과제: 리더를"
        said="내 답 0.5초,"; ans="답: 숫자를 입력"
    fi
    if wait_for $s "$task" 10 && ! has $s "$hint"; then ok "$lang 80x24: the task, no hint yet"
    else bad "$lang: the task without its hint" $s; fi
    if wait_for $s "$hint" 10; then ok "$lang 80x24: the hint after waiting"
    else bad "$lang: the hint after waiting" $s; fi
    keys $s n
    if wait_for $s "$ans" 15 && wait_for $s "$done_by" 5 && ! has $s "✗"; then
        ok "$lang 80x24: n passes the task to the lesson; a number is asked"
    else bad "$lang: n passes the task" $s; fi
    typed $s "0.5"; keys $s Enter
    if wait_for $s "$said" 20; then ok "$lang 80x24: a typed number beside what happened"
    else bad "$lang: the typed prediction" $s; fi
    keys $s q
    wait_for $s "exited 0" 10 || bad "$s quits" $s
done

# --- lesson 5 in Korean at 80x24: the task with keys, the prediction ---
start k 80 24 lessons/05_odd_ensembles.lua --speed 50 --lang ko
wait_for k "대기 중" 20 && keys k n
wait_for k "2/6단계" 10 && wait_for k "? 서버 3대" 10 && keys k 2
if wait_for k "▶ 서버 3대가" 10; then
    keys k k
    wait_for k "2대 가동 · 서비스 중" 10 && keys k Tab k
fi
if wait_for k "과제 완료 (직접)" 20 && wait_for k "과제 1/3" 5; then ok "ko 80x24: k, Tab k do the task"
else bad "ko 80x24: the task with keys" k; fi
for i in 1 2; do wait_for k "대기 중" 30 && keys k n; sleep 0.3; done
if wait_for k "? 서버 4대" 10 && has k "1 0대   2 1대   3 2대"; then keys k 3; fi
wait_for k "▶ 서버 4대가" 20 && keys k n
# the outcome wraps at 80 columns: its two halves
if wait_for k "내 답 3 (2대)," 40 && wait_for k "실제 2 (1대)" 5 && wait_for k "예측 적중 1/2" 5; then
    ok "ko 80x24: a wrong prediction beside the truth, tallied"
else bad "ko 80x24: the prediction" k; fi
keys k q
wait_for k "exited 0" 10 || bad "k quits" k

# --- lab.ask: a question, the learner's answer beside the right one and
# why; 80x24 and Korean 120x40 ---
cat >"$DIR/ask.lua" <<'LUA'
lab.say("ask")
lab.cluster{ zookeepers = 3, seed = 1 }
lab.run(1000)
lab.ask{ question = { en = "Three servers: how many may fail?", ko = "서버 3대: 몇 대까지 죽어도 될까요?" },
         choices = { "none", "one", "two" }, answer = 2,
         why = { en = "Majority.", ko = "과반수." } }
lab.say("over")
LUA
start qen 80 24 "$DIR/ask.lua" --speed 20
if wait_for qen "1 none   2 one   3 two" 15 && wait_for qen "answer: press 1 to 3" 5; then keys qen 3; fi
# (the outcome wraps: its pieces)
if wait_for qen "✗ Three servers: how many may fail?" 10 && wait_for qen "You said 3 (two); the answer: 2" 5 &&
   wait_for qen "(one). Majority." 5; then ok "en 80x24: lab.ask: a wrong answer, the right one and why"
else bad "en: lab.ask" qen; fi
keys qen q
start qko 120 40 "$DIR/ask.lua" --speed 20 --lang ko
if wait_for qko "답: 1~3 중 하나를 누르세요" 15; then keys qko 2; fi
if wait_for qko "● 서버 3대: 몇 대까지 죽어도 될까요? 내 답 2 (one" 10 && wait_for qko "(one). 과반수." 5; then
    ok "ko 120x40: lab.ask: a right answer and why"
else bad "ko: lab.ask" qko; fi
keys qko q

# --- a task done by the learner's fault is done at the fault's instant,
# the events panel's "fault:" time: an isolation schedules no event, and
# the lesson noticed it only at the world's next one (up to a tick later),
# so lesson 7 measured "after the cut" from there ---
cat >"$DIR/fault.lua" <<'LUA'
lab.say("fault time")
lab.cluster{ zookeepers = 3, seed = 1 }
lab.run(3000)
local t = lab.task{ text = "Cut zk1 off: :isolate zk1",
  done = function() return lab.ensemble().servers[1].isolated end,
  solve = function() lab.isolate("zk1") end }
lab.check(t.by == "learner", ("done at %d.%03ds"):format(t.at_ms // 1000, t.at_ms % 1000))
lab.say("over")
LUA
start ft 120 40 "$DIR/fault.lua" --speed 5
if wait_for ft "▶ Cut zk1 off" 15 && sleep 1.3; then typed ft ":isolate zk1"; keys ft Enter; fi
if wait_for ft "waiting: press n to go on" 15; then
    fault=$(screen ft | sed -nE 's/.* ([0-9]+\.[0-9]{3})s fault: isolate zk1.*/\1/p' | head -n 1)
    done_at=$(screen ft | sed -nE 's/.*● done at ([0-9]+\.[0-9]{3})s.*/\1/p' | head -n 1)
    if [ -n "$fault" ] && [ "$fault" = "$done_at" ]; then
        ok "a task done by :isolate is done at the fault's time ($fault s)"
    else bad "the task's time ($done_at) is not the fault's ($fault)" ft; fi
else bad "the isolate task" ft; fi
keys ft q

# --- lab.countdown that runs out while its step still runs: it goes
# (it stayed as "the bell rings in 0.0 s" for the rest of the step) ---
cat >"$DIR/cdf.lua" <<'LUA'
lab.say("fired")
lab.cluster{ zookeepers = 3, seed = 1 }
lab.countdown{ text = "the bell rings in %s", ms = 1000 }
lab.run(8000)
lab.say("over")
LUA
start cf 120 40 "$DIR/cdf.lua" --speed 1
if wait_for cf "the bell rings in 0." 10 && wait_gone cf "the bell rings in 0." 5 &&
   screen cf | head -n 1 | grep -q "RUNNING" && ! has cf "waiting: press n to go on"; then
    ok "a countdown that has run out goes while its step still runs"
else bad "a countdown that ran out" cf; fi
keys cf q

# --- lab.slow and lab.countdown: the header tells the slowed pace, the
# countdown runs down with simulated time and goes once it has run out
# (it used to stay as "0.0 s", frozen, as if something were still to
# come); 120x40, both languages ---
cat >"$DIR/cd.lua" <<'LUA'
lab.say("countdown")
lab.cluster{ zookeepers = 3, seed = 1 }
lab.slow{ factor = 10, ms = 4000 }
lab.countdown{ text = { en = "the world rests for %s", ko = "%s 동안 쉽니다" }, ms = 4000 }
lab.run(4000)
lab.say("over")
LUA
for lang in en ko; do
    s=c$lang
    start $s 120 40 "$DIR/cd.lua" --lang $lang
    # the header and the seconds in the learner's words: 속도, 초
    if [ $lang = en ]; then three="the world rests for 3."; one="the world rests for 1."; gone="the world rests for"
        speed=speed
    else gone="동안 쉽니다"; speed=속도; fi
    if wait_for $s "$speed 1x" 10 && [ $lang = en ] && wait_for $s "$three" 5 && wait_for $s "$one" 5 &&
       wait_for $s "waiting: press n to go on" 5 && wait_for $s "speed 10x" 5 &&
       ! screen $s | grep -v "countdown:" | grep -qF "$gone"; then
        ok "en 120x40: slow motion 10x slower (header speed 1x), the countdown runs down and goes when it is over, then speed 10x again"
    elif [ $lang = ko ] && wait_re $s "[123]\.[0-9]초 동안 쉽니다" 10 &&
       wait_re $s "대기 중: n을 누르면 계속합니다" 10 && wait_for $s "속도 10x" 5 &&
       ! screen $s | grep -v "카운트다운:" | grep -qF "$gone"; then
        ok "ko 120x40: the countdown in Korean runs down and goes when it is over"
    else bad "$lang: slow motion and the countdown" $s; fi
    keys $s q
    wait_for $s "exited 0" 10 || bad "$s quits" $s
done

# --- a prediction, its run, then a question in the same step: the
# prediction's result shows before the question (it came only after the
# question's answer, below it, and at 80x24 pushed the question's own
# explanation out of the panel; lesson 5's six servers) ---
cat >"$DIR/pq.lua" <<'LUA'
lab.say("predict, then ask")
lab.cluster{ zookeepers = 3, seed = 1 }
lab.predict{ question = "How many servers?", choices = { "three", "four" }, answer = 1,
             truth = function() return #lab.ensemble().servers == 3 and 1 or 2 end }
lab.run(1000)
lab.ask{ question = "And the quorum?", choices = { "two", "three" }, answer = 1, why = "A majority of 3." }
lab.say("over")
LUA
start pq 80 24 "$DIR/pq.lua" --speed 20
if wait_for pq "? How many servers?" 15; then keys pq 2; fi
# (the result wraps at 80 columns: its pieces)
if wait_for pq "? And the quorum?" 15 && has pq "✗ How many servers?: you said 2" && has pq "it was 1 (three)"; then
    keys pq 1
    if wait_for pq "● And the quorum? You said 1 (two);" 10 && has pq "the answer: 1 (two). A majority of"; then
        ok "a prediction's result shows before the next question, and the question's own after its answer"
    else bad "the question's explanation after the prediction's result" pq; fi
else bad "the prediction's result before the next question" pq; fi
keys pq q

# --- text too long for the lesson panel ends in "…" and l reads it all
# (an answer's explanation stopped at "Any broker answers M" in lesson 1,
# a narration at "no quorum there is no lea" in lesson 12, with no sign
# of more nor a way to read it); 80x24, then Korean ---
cat >"$DIR/long.lua" <<'LUA'
lab.say{ en = "Start. " .. string.rep("This narration goes on and on to fill the panel. ", 12) .. "ENDMARK.",
         ko = "시작. " .. string.rep("이 설명은 패널을 채우도록 길게 이어집니다. ", 14) .. "끝표시." }
lab.cluster{ zookeepers = 3, seed = 1 }
lab.run(500)
lab.ask{ question = "Pick one", choices = { "a", "b" }, answer = 1,
         why = string.rep("Because of reasons that take a while to say. ", 6) .. "WHY ENDS HERE." }
lab.say("over")
LUA
for lang in en ko; do
    s=long$lang
    start $s 80 24 "$DIR/long.lua" --speed 20 --lang $lang
    if [ $lang = en ]; then end="ENDMARK."; more="l: read it all"; whole="step 1, whole"
    else end="끝표시."; more="l: 전체 보기"; whole="1단계 전체"; fi
    if wait_re $s "[12] (a|b)" 15 && has $s "…" && has $s "$more" && ! has $s "$end"; then
        keys $s l
        if wait_for $s "$whole" 5 && has $s "$end"; then
            ok "$lang 80x24: a cut step text ends in …, the keys say l, l shows it whole"
        else bad "$lang: l reads the whole step" $s; fi
        keys $s Escape
        wait_gone $s "$whole" 5 && keys $s 1
        # (the event log below the panel has the whole line: only the
        # lesson panel, above it, is read for the cut)
        if wait_for $s "● Pick one" 10 && wait_for $s "$more" 5 &&
           ! screen $s | sed -E '/ (EVENTS|이벤트)/q' | grep -qF "WHY ENDS HERE." &&
           keys $s l && wait_for $s "$whole" 5 &&
           screen $s | sed -E '/ (EVENTS|이벤트)/q' | grep -qF "WHY ENDS HERE."; then
            ok "$lang 80x24: an answer's long explanation, cut in the panel, reads whole with l"
        else bad "$lang: the explanation whole" $s; fi
    else bad "$lang: a cut step text says so" $s; fi
    keys $s q
done

# --- --lesson N opens the lesson the picker numbers N (it printed the
# whole usage with its error line first, scrolled away) ---
start ln 120 40 --lesson 5 --speed 50
if wait_for ln "05_odd_ensembles.lua  step 1/6" 20; then ok "--lesson 5 opens lesson 5"
else bad "--lesson 5" ln; fi
keys ln q
wait_for ln "exited 0" 10 || bad "ln quits" ln

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
