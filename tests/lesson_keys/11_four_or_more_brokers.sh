# Lesson 11 on screen: step to its first task and take 103 down for
# maintenance from the command line; the task is done by the learner and
# every partition of pay still takes acks=all writes (ISR of two).
start "$name" 120 40 "$lesson" --speed 50 --lang en
wait_for "$name" "press n to go on" 15 && keys "$name" n
if wait_for "$name" "▶ Take 103 down for maintenance" 15; then
    typed "$name" ":stop 103"; keys "$name" Enter
fi
if wait_for "$name" "● task done by you: Take 103 down for maintenance" 20 &&
   wait_for "$name" "● 103 down: every partition still has two in-sync replicas" 15 &&
   wait_re "$name" "state +up +up +down" 5; then
    ok "$lesson: :stop 103 does the task; pay still takes writes with two in sync"
else
    bad "$lesson: :stop 103 on screen" "$name"
fi
