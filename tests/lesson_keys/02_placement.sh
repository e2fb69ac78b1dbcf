# lesson 2 on screen (sourced by tests/suites/lesson_keys.sh with $lesson
# and $name set): answer the first prediction with a key, step to the
# task, predict again, make the topic from the command line and see the
# task done and the new topic spread over full and empty brokers alike
start "$name" 120 40 "$lesson" --speed 50
if wait_for "$name" "step 1/8" 20 && wait_for "$name" "waiting: press n to go on" 10; then
    keys "$name" n
    if wait_for "$name" "step 2/8" 10 && wait_for "$name" "answer: press 1 to 2" 10; then
        keys "$name" 2
        wait_for "$name" "predicted 1/1" 10 || bad "$name: the first prediction answered with 2" "$name"
    fi
    for s in 3 4 5; do
        wait_for "$name" "waiting: press n to go on" 20 && keys "$name" n
        wait_for "$name" "step $s/8" 10
    done
fi
if wait_for "$name" "answer: press 1 to 3" 10; then
    keys "$name" 2
    if wait_for "$name" "▶ Type :topic new 4 1" 10 && wait_for "$name" "your turn" 10; then
        keys "$name" :; typed "$name" "topic new 4 1"; keys "$name" Enter
        if wait_for "$name" "tasks 1/2" 20 && wait_for "$name" "● task done by you: Type :topic new 4 1" 10 &&
           wait_for "$name" "● new on 101: 1, 102: 1, 103: 1, 104: 1" 10 &&
           wait_for "$name" "predicted 2/2" 10; then
            ok "$name: :topic new 4 1 typed does the task; one partition on each broker, full or empty"
        else bad "$name: the task done from the command line" "$name"; fi
        # the second task: :reassign, the move half done on screen (103
        # assigned, not yet in the ISR), then finished at the next step
        keys "$name" n
        if wait_for "$name" "▶ Type :reassign heavy 0 103,101" 10 && wait_for "$name" "your turn" 10; then
            keys "$name" :; typed "$name" "reassign heavy 0 103,101"; keys "$name" Enter
            if wait_for "$name" "tasks 2/2" 20 && wait_for "$name" "adding {103}, removing {102}" 10 &&
               wait_re "$name" "heavy-0 +isr +LEAD +out +\\. " 5; then
                ok "$name: :reassign heavy 0 103,101 starts the move: 103 assigned, out of the ISR yet"
            else bad "$name: :reassign from the command line" "$name"; fi
            keys "$name" n
            if wait_for "$name" "step 7/8" 10 && wait_re "$name" "heavy-0 +isr +\\. +LEAD +\\. " 20; then
                ok "$name: the move ends with heavy-0 led by 103, 102 holding nothing"
            else bad "$name: the reassignment completes on screen" "$name"; fi
        else bad "$name: the reassign task shows at step 6" "$name"; fi
    else bad "$name: the task shows at step 5" "$name"; fi
else bad "$name: steps to its prediction and task (step 5/8)" "$name"; fi
keys "$name" q
wait_for "$name" "exited 0" 10 || bad "$name quits" "$name"
