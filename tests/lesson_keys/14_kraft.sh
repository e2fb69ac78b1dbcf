# Lesson 14 on screen: ZooKeeper mode beside KRaft (lab.compare). Steps
# 1-2, the prediction answered with 2 (KRaft), then its task crashes
# broker 101 from the command line (:kill 101), which reaches both
# worlds: the lesson says the learner did it, and both halves' logs say
# 101 crashed. While the prediction's result is still to come the footer
# says n runs to it; n pressed twice stops at the result (step 3 waits,
# KRaft first), both grids showing 101 in no ISR; a waiting step's
# header says PAUSED. Then the controller
# crash: the learner's :kill 103 (the left's controller) and the lesson's
# ctl3 at the same instant; while 103's session lives the left's
# placement header names it from /controller (ctrl=103?), not 'no ctrl';
# a new controller on both sides, then the failover chart on screen. At
# --speed 2, so the footer can be read before the session expires.
start "$name" 120 40 "$lesson" --speed 2
if wait_for "$name" "step 1/" 20 && wait_for "$name" "waiting: press n to go on" 20; then
    keys "$name" n
    wait_for "$name" "step 2/" 10 && wait_for "$name" "waiting: press n to go on" 10
    keys "$name" n
    wait_for "$name" "? Which world moves its leaderships first?" 10 && keys "$name" 2
    if wait_for "$name" "▶ Crash broker 101 in both worlds: type :kill 101" 10; then
        keys "$name" :; typed "$name" "kill 101"; keys "$name" Enter
        if wait_for "$name" "● task done by you: Crash broker 101" 10 &&
           wait_for "$name" "n: fast to the prediction's result" 5; then
            ok "$name: after the task the footer says the prediction's result is still coming"
        else bad "$name: the footer while the prediction's result is pending" "$name"; fi
        if [ "$(screen "$name" | grep -c "fault: crash 101")" -ge 2 ]; then
            ok "$name: :kill 101 crashed broker 101 in both worlds (both halves' logs)"
        else bad "$name: the crash in both halves" "$name"; fi
        # n twice, as a learner impatient at 'n: next step' did: the
        # first runs the step to its end, the second was pressed before
        # the result showed and must not pass it unseen
        keys "$name" n n
        if wait_for "$name" "leaderships moved after" 30 &&
           wait_for "$name" "first?: you said 2 (KRaft), it was 2 (KRaft)" 10 &&
           sleep 1 && has "$name" "step 3/" && has "$name" "waiting: press n to go on"; then
            ok "$name: :kill 101 does its task; KRaft moves the leaderships first, the prediction beside the truth before step 4"
        else bad "$name: the task done from the command line, the result seen" "$name"; fi
        # the result comes after both controllers' whole batch: in both
        # grids 101 (the first column) is down and in no ISR (the left
        # one paused with pay-2 still 'isr' for 101)
        if [ "$(screen "$name" | grep -oE "pay-[0-2] +out +(isr|LEAD) +(isr|LEAD) " | wc -l)" -eq 6 ] &&
           ! screen "$name" | grep -qE "pay-[0-2] +(isr|LEAD) +(isr|LEAD|out) +(isr|LEAD|out) "; then
            ok "$name: at the result 101 is in no ISR in either world"
        else bad "$name: at the result, 101 out of every ISR in both grids" "$name"; fi
        # the step that waits holds the world: the header says PAUSED
        if screen "$name" | head -n 1 | grep -q "PAUSED" &&
           ! screen "$name" | head -n 1 | grep -q "RUNNING\|slow motion"; then
            ok "$name: a step that waits for n holds the world and the header says PAUSED"
        else bad "$name: the header while the step waits" "$name"; fi
    else bad "$name: step 3 shows its task" "$name"; fi
    keys "$name" n
    wait_for "$name" "registered again in both worlds" 20 && keys "$name" n
    wait_for "$name" "? In KRaft the active controller dies" 10 && keys "$name" 2
    wait_for "$name" "waiting: press n to go on" 10 && keys "$name" n
    if wait_for "$name" "? In KRaft, how many seconds until broker 103's" 10 &&
       typed "$name" "12" && keys "$name" Enter &&
       wait_for "$name" "▶ Crash the controller: type :kill 103" 10; then
        keys "$name" :; typed "$name" "kill 103"; keys "$name" Enter
        # 103 is down but /controller still names it until its session
        # expires: the placement header says so, not 'no ctrl'; the
        # right world lost its active controller ctl3 at the same instant
        # (the right half's header may say 'no ctrl' while its quorum
        # elects: only the left half's is read)
        if wait_for "$name" "● task done by you: Crash the controller" 10 &&
           wait_for "$name" "fault: crash ctl3" 5 &&
           screen "$name" | grep "lead/repl" | head -n 1 | cut -c1-60 > "$TMP/14_head" &&
           grep -q "ctrl=103?" "$TMP/14_head" && ! grep -q "no ctrl" "$TMP/14_head"; then
            ok "$name: :kill 103 crashes the left's controller (ctrl=103? while its session lives) and the lesson ctl3 on the right"
        else bad "$name: the controller crash in both worlds" "$name"; fi
        keys "$name" n
        if wait_for "$name" "won /controller and raised /controller_epoch to 2" 30 &&
           wait_for "$name" "was the active controller after" 10; then
            ok "$name: a new controller on both sides, the times said"
        else bad "$name: the new controllers" "$name"; fi
        keys "$name" n
        wait_for "$name" "step 7/" 10 && wait_for "$name" "waiting: press n to go on" 10
        keys "$name" n
        if wait_for "$name" "failover time, s: from the crash to the first leader change" 10 &&
           has "$name" "100k" && has "$name" "measured in this lesson now" &&
           has "$name" "make bench"; then
            ok "$name: the failover chart on screen, the bench's bars and the lesson's told apart"
        else bad "$name: the failover chart step" "$name"; fi
    else bad "$name: step 6 shows its prediction and task" "$name"; fi
else bad "$name: step 1 waits" "$name"; fi
keys "$name" q
