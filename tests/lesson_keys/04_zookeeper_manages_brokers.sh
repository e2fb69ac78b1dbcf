# Lesson 4 on screen: step to its first task and add broker 104 from the
# command line; the task is done by the learner, the grid grows 104's
# column, and the controller's reaction shows in the events.
start "$name" 120 40 "$lesson" --speed 50 --lang en
next_step "$name" 1 15 && next_step "$name" 2 15
wait_for "$name" "? A new broker registers" 15 && keys "$name" 2
wait_for "$name" "press n to go on" 15 && keys "$name" n
wait_for "$name" "? 104 joins" 15 && keys "$name" 1
if wait_for "$name" "▶ Start broker 104" 15; then
    typed "$name" ":add-broker 104"; keys "$name" Enter
fi
if wait_for "$name" "● task done by you: Start broker 104" 15 &&
   wait_for "$name" "controller: broker 104 joined" 15 &&
   wait_re "$name" "broker +101\* +102 +103 +104" 5; then
    ok "$lesson: :add-broker 104 does the task; 104's column and the controller's note show"
else
    bad "$lesson: :add-broker 104 on screen" "$name"
fi
