# Lesson 14 on screen: steps 1-2, the prediction answered by typing 18,
# then its task crashes the controller from the command line (:kill 103):
# the lesson says the learner did it, and once 103's session expires
# another broker wins /controller with a higher /controller_epoch. While
# the prediction's result is still to come the footer says n runs to it;
# n pressed twice stops at the result (step 3 waits); a waiting step's
# header says PAUSED. At --speed 2, so the footer can be read before the
# session expires.
start "$name" 120 40 "$lesson" --speed 2
if wait_for "$name" "step 1/" 20 && wait_for "$name" "waiting: press n to go on" 20; then
    keys "$name" n
    wait_for "$name" "step 2/" 10 && wait_for "$name" "waiting: press n to go on" 10
    keys "$name" n
    wait_for "$name" "? How many seconds until another broker is the controller?" 10 &&
        typed "$name" "18" && keys "$name" Enter
    if wait_for "$name" "▶ Crash the controller: type :kill 103" 10; then
        keys "$name" :; typed "$name" "kill 103"; keys "$name" Enter
        if wait_for "$name" "● task done by you: Crash the controller" 10 &&
           wait_for "$name" "n: fast to the prediction's result" 5; then
            ok "$name: after the task the footer says the prediction's result is still coming"
        else bad "$name: the footer while the prediction's result is pending" "$name"; fi
        # 103 is down but /controller still names it until its session
        # expires: the placement header says so, not 'no ctrl'
        if has "$name" "ctrl=103?" && ! has "$name" "no ctrl"; then
            ok "$name: while 103's session lives the placement header names it from /controller (ctrl=103?)"
        else bad "$name: the placement header after the controller's crash" "$name"; fi
        # n twice, as a learner impatient at 'n: next step' did: the
        # first runs the step to its end, the second was pressed before
        # the result showed and must not pass it unseen
        keys "$name" n n
        if wait_for "$name" "won /controller and raised /controller_epoch" 20 &&
           wait_for "$name" "the controller?: you said" 10 &&
           sleep 1 && has "$name" "step 3/" && has "$name" "waiting: press n to go on"; then
            ok "$name: :kill 103 does its task; a new controller, epoch 2, and the prediction beside the truth before step 4"
        else bad "$name: the task done from the command line, the result seen" "$name"; fi
        # the step that waits holds the world: the header says PAUSED
        if screen "$name" | head -n 1 | grep -q "PAUSED" &&
           ! screen "$name" | head -n 1 | grep -q "RUNNING\|slow motion"; then
            ok "$name: a step that waits for n holds the world and the header says PAUSED"
        else bad "$name: the header while the step waits" "$name"; fi
    else bad "$name: step 3 shows its task" "$name"; fi
else bad "$name: step 1 waits" "$name"; fi
keys "$name" q
