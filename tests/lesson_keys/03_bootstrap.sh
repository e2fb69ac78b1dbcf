# lesson 3 on screen (sourced by tests/suites/lesson_keys.sh with $lesson
# and $name set): step to the task, stop broker 101 from the command
# line, and see the task done and p1 going on without its only bootstrap
# broker
start "$name" 120 40 "$lesson" --speed 50
for s in 2 3; do
    wait_for "$name" "waiting: press n to go on" 20 && keys "$name" n
    wait_for "$name" "step $s/6" 10
done
if wait_for "$name" "▶ Stop broker 101 cleanly" 10 && wait_for "$name" "your turn" 10; then
    keys "$name" :; typed "$name" "stop 101"; keys "$name" Enter
    if wait_for "$name" "tasks 1/2" 20 && wait_for "$name" "● task done by you: Stop broker 101" 10 &&
       wait_for "$name" "● p1 goes on without 101" 10 && wait_re "$name" "state +down +up +up +up" 5; then
        ok "$name: :stop 101 typed does the task; p1 goes on without its bootstrap broker"
    else bad "$name: the task done from the command line" "$name"; fi
else bad "$name: steps to its task (step 3/6)" "$name"; fi
keys "$name" q
wait_for "$name" "exited 0" 10 || bad "$name quits" "$name"
