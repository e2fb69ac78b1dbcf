# Lesson 13 on screen: steps 1-3 (the ISR shrinks at the leader's ISR
# check, the prediction answered with key 1), then its first task cuts the leader off with the command
# line (:isolate 103): the task is done by the learner, 103 shows isol,
# and the unclean election that follows is said.
start "$name" 120 40 "$lesson" --speed 50
if wait_for "$name" "step 1/" 20 && wait_for "$name" "waiting: press n to go on" 20; then
    keys "$name" n
    wait_for "$name" "step 2/" 10 && wait_for "$name" "waiting: press n to go on" 20
    keys "$name" n
    wait_for "$name" "? What happens to the 10 records?" 10 && keys "$name" 1
    wait_for "$name" "you said 1" 20 && wait_for "$name" "waiting: press n to go on" 20
    # the ISR shrinks at the leader's ISR check (every 15 s), not when
    # the 30 s of replica.lag.time.max.ms run out: the check says when
    if has "$name" "at the leader's next ISR check (every 15 s), at 45.0 s"; then
        ok "$name: the ISR shrank at the leader's next check, 45.0 s, and the check says so"
    else bad "$name: the check names the ISR check" "$name"; fi
    keys "$name" n
    if wait_for "$name" "▶ Cut leader 103 off the network" 10; then
        keys "$name" :; typed "$name" "isolate 103"; keys "$name" Enter
        if wait_for "$name" "● task done by you: Cut leader 103" 10 &&
           wait_for "$name" "state     up   up   isol" 10 &&
           wait_for "$name" "● unclean election: 101 leads now" 20; then
            ok "$name: :isolate 103 does its task; 103 isolated, the unclean election said"
        else bad "$name: the task done from the command line" "$name"; fi
    else bad "$name: step 4 shows its task" "$name"; fi
else bad "$name: step 1 waits" "$name"; fi
keys "$name" q
