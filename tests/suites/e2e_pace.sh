#!/bin/sh
# End-to-end tests of the dashboard's countdowns and its own pacing: the
# real binary in tmux, keys as a learner types them, the captured screen
# read. A paused broker's ZooKeeper session shows its countdown (the
# leader's session tracker, SessionTrackerImpl), which counts down and
# ends in "session ... expired"; an isolated ensemble leader shows "stops
# leading" and its followers "give up on leader" (syncLimit); a crashed
# leader's election plays in slow motion, the header saying so, and z
# turns that off; a long wait at 1x goes fast, the header saying to
# what; in Korean at 80x24 the countdown and the header's words.
#   usage: tests/suites/e2e_pace.sh BUILD_DIR  (prints "N passed, N failed" last)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BIN=$BUILD/quorumlab
SUITE=e2e_pace
. tests/lib/tmux.sh

echo "== e2e_pace on $BIN"

# secs NAME REGEX: the seconds of the first countdown line matching REGEX
secs() { screen "$1" | grep -E "$2" | head -n 1 | sed -nE 's/.* in ([0-9]+\.[0-9]) s.*/\1/p'; }
# --- a paused broker's session: its countdown runs down to the expiry ---
start a 120 40 --sandbox --seed 3
if wait_for a "quorum 2 of 3 · 3 up · serving" 15 && wait_for a "orders-5" 20; then
    keys a :; typed a "pause 104"; keys a Enter
    if wait_re a "» session 0x[0-9a-f]+…[0-9a-f]{2} \(104\) expires in [0-9]+\.[0-9] s" 20; then
        ok "pause 104: its session's countdown shows (session 0x…NN (104) expires in N s)"
        t0=$(secs a "session .*\(104\) expires")
        sleep 0.6
        t1=$(secs a "session .*\(104\) expires")
        if [ -n "$t0" ] && [ -n "$t1" ] && awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b < a) }'; then
            ok "the countdown counts down ($t0 s, then $t1 s)"
        else bad "the countdown counts down (t0=$t0 t1=$t1)" a; fi
    else bad "pause 104: the session countdown" a; fi
    if wait_re a "session 0x[0-9a-f]+ expired" 20 && wait_gone a "(104) expires" 5; then
        ok "the session expires and its countdown goes"
    else bad "the session expires" a; fi
    # 104 stopped fetching while p1 writes: its ISR countdowns go once the
    # controller has taken it out of every ISR (after the expiry)
    if wait_gone a "leaves the ISR" 15; then ok "no ISR countdown once the controller took 104 out"
    else bad "no ISR countdown for a broker the controller removed" a; fi
else bad "sandbox with brokers" a; fi
keys a q
wait_for a "exited 0" 10 || bad "a quits" a

# --- an isolated ensemble leader: syncLimit countdowns on both sides ---
start b 120 40 --sandbox --brokers 0 --seed 3
if wait_for b "quorum 2 of 3 · 3 up · serving" 15; then
    L=$(leader b)
    keys b :; typed b "isolate $L"; keys b Enter
    if wait_re b "» $L stops leading in [0-9]+\.[0-9] s \(syncLimit\)" 15 &&
       wait_re b "» zk[0-9] gives up on leader $L in [0-9]+\.[0-9] s \(syncLimit\)" 5; then
        ok "isolate $L: '$L stops leading in N s (syncLimit)' and 'gives up on leader $L'"
    else bad "isolate $L: the syncLimit countdowns" b; fi
    if wait_re b "^[ >]$L +LOOKING" 20 && wait_gone b "stops leading" 5; then
        ok "$L goes LOOKING when its countdown ends"
    else bad "$L goes LOOKING" b; fi
else bad "an ensemble alone" b; fi
keys b q
wait_for b "exited 0" 10 || bad "b quits" b

# --- slow motion around an election, z turns it off ---
start c 120 40 --sandbox --brokers 0 --seed 3
if wait_for c "quorum 2 of 3 · 3 up · serving" 15 && wait_gone c "slow motion" 15; then
    L=$(leader c)
    keys c :; typed c "kill $L"; keys c Enter
    if wait_re c "speed 10x  RUNNING  seed 3  slow motion 0\.5x: election" 5; then
        ok "kill $L: the header says 'slow motion 0.5x: election'"
    else bad "the header says slow motion for the election" c; fi
    # at 10x the election is over in a frame; at 0.5x it is on screen
    if wait_re c "^[ >]zk[0-9] +LOOKING +votes" 3; then ok "the election's LOOKING rows with votes are on screen"
    else bad "the election is seen" c; fi
    if wait_for c "quorum 2 of 3 · 2 up · serving" 10 && wait_gone c "slow motion" 10; then
        ok "after the election: the speed as set again"
    else bad "slow motion ends" c; fi
    keys c z
    if wait_for c "auto pace off" 5; then ok "z: auto pace off"
    else bad "z: auto pace off" c; fi
    keys c :; typed c "restart $L"; keys c Enter
    sleep 1.5
    if screen c | head -n 1 | grep -q "slow motion"; then bad "off: no slow motion" c
    else ok "off: a restart's sync plays at the speed as set"; fi
    keys c z
    if wait_for c "auto pace on" 5; then ok "z again: auto pace on"
    else bad "z again: auto pace on" c; fi
else bad "an ensemble alone" c; fi
keys c q
wait_for c "exited 0" 10 || bad "c quits" c

# --- a long wait at 1x goes fast, and slows again at the expiry ---
start d 120 40 --sandbox --seed 3 --speed 1
if wait_for d "orders-5" 30 && wait_for d "quorum 2 of 3 · 3 up · serving" 5; then
    keys d :; typed d "pause 104"; keys d Enter
    if wait_re d "speed 1x  RUNNING  seed 3  fast [0-9.]+x to session expiry" 20; then
        ok "1x: the wait for the session expiry goes fast, the header says to what"
    else bad "1x: fast through the wait" d; fi
    if wait_re d "slow motion 0\.5x: (session expiry|partition leader change|controller election)" 20; then
        ok "and slow motion at the expiry"
    else bad "slow motion at the expiry" d; fi
else bad "1x sandbox" d; fi
keys d q
wait_for d "exited 0" 10 || bad "d quits" d

# --- Korean at 80x24: the countdown and the header in Korean ---
start k 80 24 --sandbox --seed 3 --lang ko --brokers 0
if wait_for k "쿼럼 2/3 · 3대 가동 · 서비스 중" 15; then
    L=$(leader k)
    keys k :; typed k "isolate $L"; keys k Enter
    if wait_re k "» $L 리더 중단까지 [0-9]+\.[0-9]초" 15; then
        ok "ko 80x24: '$L 리더 중단까지 N초'"
    else bad "ko 80x24: the countdown in Korean" k; fi
    # 80 columns hold the short form beside the seed
    if wait_re k "seed 3  슬로 0\.5x: 리더 선출" 20; then ok "ko 80x24: the header says 슬로 0.5x: 리더 선출"
    else bad "ko: slow motion in the header" k; fi
else bad "ko 80x24 sandbox" k; fi
keys k q
wait_for k "exited 0" 10 || bad "k quits" k

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
