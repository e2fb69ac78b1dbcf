# 05_odd_ensembles on screen: after the prediction (key 2, "one"), the
# learner crashes zk1 with k (the ensemble still serves: 2 of 3), then zk2
# with Tab k; the task is done by the learner and the screen says what it
# caused: NO QUORUM, and the prediction beside the truth.
start "$name" 120 40 "$lesson" --speed 50
wait_for "$name" "step 1/6" 20 && wait_for "$name" "waiting: press n to go on" 10 && keys "$name" n
if wait_for "$name" "? Three servers: how many may crash" 10; then keys "$name" 2; fi
if wait_for "$name" "▶ Crash servers one by one" 10 && wait_for "$name" "your turn" 5; then
    keys "$name" k
    wait_for "$name" "quorum 2 of 3 · 2 up · serving" 10 && keys "$name" Tab k
fi
if wait_for "$name" "● task done by you" 20 && wait_for "$name" "NO QUORUM: 1 of 3 up" 5 &&
   wait_for "$name" "tasks 1/3" 5 && wait_for "$name" "you said 2 (one), it was 2 (one)" 5; then
    ok "$name: k, Tab k crash two of three; the ensemble stops serving, the prediction shows beside it"
else bad "$name: the learner's crashes end the task" "$name"; fi
# b replays from the seed, the script answering and solving for itself:
# the header's tally must still count the task and the prediction the
# learner did before the step b went back to (it read "tasks 0/3" and
# lost "predicted" after b)
if next_step "$name" 2 && next_step "$name" 3 && wait_for "$name" "? Four servers" 10 &&
   keys "$name" b && wait_for "$name" "step 3/6" 20 &&
   wait_for "$name" "waiting: press n to go on" 20 &&
   has "$name" "tasks 1/3" && has "$name" "predicted 1/1"; then
    ok "$name: after b the header still counts the learner's task and prediction (tasks 1/3, predicted 1/1)"
else bad "$name: the tally after b" "$name"; fi
keys "$name" q
