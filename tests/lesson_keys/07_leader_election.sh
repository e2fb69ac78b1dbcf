# 07_leader_election on screen: the learner predicts the first leader (key
# 3: zk3), then crashes it with Tab Tab k; the screen says a new leader
# took over at once (the followers' connections to zk3 reset).
start "$name" 120 40 "$lesson" --speed 50
if wait_for "$name" "? The notes draw server 2" 20; then keys "$name" 3; fi
wait_for "$name" "predicted 1/1" 10 && wait_for "$name" "waiting: press n to go on" 10 && keys "$name" n
wait_for "$name" "step 2/7" 10 && wait_for "$name" "waiting: press n to go on" 10 && keys "$name" n
if wait_for "$name" "▶ Crash the leader zk3" 10 && wait_for "$name" "your turn" 5; then keys "$name" Tab Tab k; fi
if wait_for "$name" "● task done by you: Crash the leader zk3" 20 &&
   wait_for "$name" "● the followers noticed the crash at once" 10 && wait_for "$name" "tasks 1/2" 5 &&
   wait_re "$name" "zk2 +LEADING +epoch 2" 5; then
    ok "$name: Tab Tab k crashes the leader zk3; zk2 leads epoch 2 at once"
else bad "$name: the learner crashes the leader" "$name"; fi
keys "$name" q
