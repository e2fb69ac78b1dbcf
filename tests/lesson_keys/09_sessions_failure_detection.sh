# Lesson 9 on screen: step 3's question answered with key 1, then its
# first task stops broker 102 cleanly from the command line (:stop 102):
# the lesson says the learner did it, pay-2's leadership moved at once
# and /brokers/ids/102 went, and the grid shows 102 down. Then the crash
# of 101: at its result the grid shows 101 in no ISR.
start "$name" 120 40 "$lesson" --speed 50
if wait_for "$name" "step 1/" 20 && wait_for "$name" "waiting: press n to go on" 20; then
    keys "$name" n
    wait_for "$name" "step 2/" 10 && wait_for "$name" "waiting: press n to go on" 10
    keys "$name" n
    wait_for "$name" "? Which of the four does ZooKeeper notice at once?" 10 && keys "$name" 1
    wait_for "$name" "the answer: 1 (the clean stop)" 10 && wait_for "$name" "waiting: press n to go on" 10
    keys "$name" n
    if wait_for "$name" "▶ Stop broker 102 cleanly" 10; then
        keys "$name" :; typed "$name" "stop 102"; keys "$name" Enter
        if wait_for "$name" "● task done by you: Stop broker 102 cleanly" 10 &&
           wait_for "$name" "● pay-2 is led by 103: moved before 102 went down" 10 &&
           wait_for "$name" "● /brokers/ids/102 went at once" 10 &&
           wait_for "$name" "state     up   down up" 10; then
            ok "$name: :stop 102 does its task; the leadership moved and the znode went at once"
        else bad "$name: the task done from the command line" "$name"; fi
    else bad "$name: step 3 shows its task" "$name"; fi
    # the crash (step 6): the result, where the world holds still, comes
    # after the controller's whole batch, so the grid shows 101 in no ISR
    # (it paused between the new leader of pay-1 and pay-2's ISR, 101
    # still 'isr' there while down)
    keys "$name" n
    wait_for "$name" "step 5/" 10 && wait_for "$name" "waiting: press n to go on" 20 && keys "$name" n
    if wait_for "$name" "? After the crash, how many seconds until pay-1" 10; then
        typed "$name" "18"; keys "$name" Enter
        wait_for "$name" "▶ Crash broker 101" 10
        keys "$name" :; typed "$name" "kill 101"; keys "$name" Enter
        if wait_for "$name" "● pay-1 has a new leader, 102" 30 && wait_for "$name" "waiting: press n to go on" 10 &&
           has "$name" "state     down up   up" &&
           [ "$(screen "$name" | grep -cE "pay-[0-2] +out +(isr|LEAD) +(isr|LEAD) ")" -eq 3 ] &&
           ! screen "$name" | grep -qE "pay-[0-2] +(isr|LEAD) +(isr|LEAD|out) +(isr|LEAD|out) "; then
            ok "$name: after :kill 101 the result shows 101 down and out of every ISR"
        else bad "$name: the crash's result: 101 out of every ISR" "$name"; fi
    else bad "$name: step 6's prediction" "$name"; fi
else bad "$name: step 1 waits" "$name"; fi
keys "$name" q

# The same task done wrong: a crash (:kill 102, as k on the selected
# broker) is not the clean stop it asks for (KafkaController's controlled
# shutdown moves 102's leadership and ISR places before it goes; a crash
# leaves them until the session expires). The task stays open and says
# so at once, under "not yet:" (it is why the task is open, no hint),
# with no red check to come; b goes back to step 3 (its
# question again), and after n the same task takes a clean stop. (Before: "task done by you" lit green,
# then two red checks.)
k9="${name}_k"
start "$k9" 120 40 "$lesson" --speed 50
if wait_for "$k9" "step 1/" 20 && wait_for "$k9" "waiting: press n to go on" 20; then
    keys "$k9" n
    wait_for "$k9" "step 2/" 10 && wait_for "$k9" "waiting: press n to go on" 10
    keys "$k9" n
    wait_for "$k9" "? Which of the four does ZooKeeper notice at once?" 10 && keys "$k9" 1
    wait_for "$k9" "the answer: 1 (the clean stop)" 10 && wait_for "$k9" "waiting: press n to go on" 10
    keys "$k9" n
    if wait_for "$k9" "▶ Stop broker 102 cleanly" 10; then
        keys "$k9" :; typed "$k9" "kill 102"; keys "$k9" Enter
        if wait_for "$k9" "not yet: that was a crash (k); s stops cleanly — b to try again" 10 &&
           ! has "$k9" "hint: that was a crash" &&
           sleep 2 && has "$k9" "▶ Stop broker 102 cleanly" &&
           ! has "$k9" "task done by you" && ! has "$k9" "✗"; then
            ok "$k9: a crash does not do the clean-stop task; the panel says it was a crash and how to try again"
        else bad "$k9: a crash at the clean-stop task" "$k9"; fi
        keys "$k9" b
        # back to step 3, its question asked again
        wait_for "$k9" "? Which of the four does ZooKeeper notice at once?" 30 && keys "$k9" 1
        wait_for "$k9" "the answer: 1 (the clean stop)" 10 && wait_for "$k9" "waiting: press n to go on" 10
        keys "$k9" n
        if wait_for "$k9" "▶ Stop broker 102 cleanly" 20 && ! has "$k9" "that was a crash"; then
            keys "$k9" :; typed "$k9" "stop 102"; keys "$k9" Enter
            if wait_for "$k9" "● task done by you: Stop broker 102 cleanly" 10 &&
               wait_for "$k9" "● /brokers/ids/102 went at once" 10; then
                ok "$k9: after b, the task again, and a clean stop does it"
            else bad "$k9: the clean stop after b" "$k9"; fi
        else bad "$k9: b brings the task back" "$k9"; fi
    else bad "$k9: step 3 shows its task" "$k9"; fi
else bad "$k9: step 1 waits" "$k9"; fi
end_session "$k9"
