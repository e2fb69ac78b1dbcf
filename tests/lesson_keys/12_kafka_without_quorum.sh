# Lesson 12 on screen: its first task takes ZooKeeper's quorum away with
# the command line (:kill zk1, :kill zk2); the lesson says it was done by
# the learner and the ensemble panel shows NO QUORUM.
start "$name" 120 40 "$lesson" --speed 50
if wait_for "$name" "step 1/" 20 && wait_for "$name" "waiting: press n to go on" 20; then
    keys "$name" n
    if wait_for "$name" "▶ Crash two of the three ZooKeeper servers" 10; then
        keys "$name" :; typed "$name" "kill zk1"; keys "$name" Enter
        keys "$name" :; typed "$name" "kill zk2"; keys "$name" Enter
        if wait_for "$name" "● task done by you: Crash two" 10 &&
           wait_for "$name" "NO QUORUM: 1 of 3 up" 10 &&
           wait_for "$name" "● with zk1, zk2 down the ensemble has no quorum" 10; then
            ok "$name: :kill zk1 and :kill zk2 do its task; NO QUORUM on screen"
        else bad "$name: the task done from the command line" "$name"; fi
    else bad "$name: step 2 shows its task" "$name"; fi
else bad "$name: step 1 waits" "$name"; fi
keys "$name" q
