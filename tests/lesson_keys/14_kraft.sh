# Lesson 14 on screen: steps 1-2, the prediction answered by typing 18,
# then its task crashes the controller from the command line (:kill 103):
# the lesson says the learner did it, and once 103's session expires
# another broker wins /controller with a higher /controller_epoch.
start "$name" 120 40 "$lesson" --speed 50
if wait_for "$name" "step 1/" 20 && wait_for "$name" "waiting: press n to go on" 20; then
    keys "$name" n
    wait_for "$name" "step 2/" 10 && wait_for "$name" "waiting: press n to go on" 10
    keys "$name" n
    wait_for "$name" "? How many seconds until another broker is the controller?" 10 &&
        typed "$name" "18" && keys "$name" Enter
    if wait_for "$name" "▶ Crash the controller: type :kill 103" 10; then
        keys "$name" :; typed "$name" "kill 103"; keys "$name" Enter
        if wait_for "$name" "● task done by you: Crash the controller" 10 &&
           wait_for "$name" "won /controller and raised /controller_epoch" 20 &&
           wait_for "$name" "the controller?: you said" 10; then
            ok "$name: :kill 103 does its task; a new controller, epoch 2, and the prediction beside the truth"
        else bad "$name: the task done from the command line" "$name"; fi
    else bad "$name: step 3 shows its task" "$name"; fi
else bad "$name: step 1 waits" "$name"; fi
keys "$name" q
