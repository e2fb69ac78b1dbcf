# lesson 1 on screen (sourced by tests/suites/lesson_keys.sh with $lesson
# and $name set): step to the task, make the topic from the command line,
# and see the task done and each broker holding one of its partitions
start "$name" 120 40 "$lesson" --speed 50
if wait_for "$name" "step 1/6" 20 && wait_for "$name" "waiting: press n to go on" 10; then
    keys "$name" n
    wait_for "$name" "step 2/6" 10 && wait_for "$name" "waiting: press n to go on" 10
    keys "$name" n
fi
if wait_for "$name" "step 3/6" 10 && wait_for "$name" "▶ Type :topic orders 4 1" 10 &&
   wait_for "$name" "your turn" 10; then
    keys "$name" :; typed "$name" "topic orders 4 1"; keys "$name" Enter
    if wait_for "$name" "tasks 1/1" 20 && wait_for "$name" "● task done by you: Type :topic orders 4 1" 10 &&
       wait_for "$name" "● each broker holds part of the 4 partitions of orders" 10 &&
       wait_for "$name" "(101: 1, 102:" 5 &&
       wait_for "$name" "PLACEMENT  4 partitions" 5; then
        ok "$name: :topic orders 4 1 typed does the task; each broker holds one of the 4 partitions"
    else bad "$name: the task done from the command line" "$name"; fi
else bad "$name: steps to its task (step 3/6)" "$name"; fi
keys "$name" q
wait_for "$name" "exited 0" 10 || bad "$name quits" "$name"
