# Lesson 10 on screen: step to its first task and stop broker 102 from the
# command line; the task is done by the learner and the lone broker 101
# leads both partitions (no vote), as the check and the grid show.
start "$name" 120 40 "$lesson" --speed 50 --lang en
next_step "$name" 1 15 && next_step "$name" 2 15
wait_for "$name" "? 2 brokers, 1 stops" 15 && keys "$name" 2
if wait_for "$name" "▶ Stop a broker cleanly" 15; then
    typed "$name" ":stop 102"; keys "$name" Enter
fi
if wait_for "$name" "● task done by you: Stop a broker cleanly" 20 &&
   wait_for "$name" "● pay-1 is led by 101 alone" 15 &&
   wait_re "$name" "pay-1 +LEAD +out" 5; then
    ok "$lesson: :stop 102 does the task; 101 leads alone, no vote"
else
    bad "$lesson: :stop 102 on screen" "$name"
fi
