# Lesson 9 on screen: step 3's question answered with key 1, then its
# first task stops broker 102 cleanly from the command line (:stop 102):
# the lesson says the learner did it, pay-2's leadership moved at once
# and /brokers/ids/102 went, and the grid shows 102 down.
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
else bad "$name: step 1 waits" "$name"; fi
keys "$name" q
