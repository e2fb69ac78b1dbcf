# 07_leader_election on screen: the learner predicts the first leader (key
# 3: zk3), then crashes it with Tab Tab k; the screen says a new leader
# took over at once (the followers' connections to zk3 reset). Then the
# learner cuts the new leader zk2 off with :isolate and reads one number
# for the failover, the same in the check and in the prediction's result.
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
# step 4: the learner cuts zk2 off; the check and the prediction's result
# give one number for the interval, measured from the cut (the check said
# 10.0 s, the prediction 9.994 s)
wait_for "$name" "waiting: press n to go on" 20 && keys "$name" n
if wait_for "$name" "seconds until a new leader?" 20; then typed "$name" "5"; keys "$name" Enter; fi
if wait_for "$name" "▶ zk3 is back" 20; then typed "$name" ":isolate zk2"; keys "$name" Enter; fi
if wait_for "$name" "waiting: press n to go on" 60; then
    said=$(screen "$name" | sed -nE 's/.*elected zk3, ([0-9.]+) s after the cut.*/\1/p' | head -n 1)
    was=$(screen "$name" | sed -nE 's/.*you said 5 s, it was ([0-9.]+) s.*/\1/p' | head -n 1)
    if [ -n "$said" ] && [ "$said" = "$was" ]; then
        ok "$name: :isolate zk2: the check and the prediction say one interval ($said s)"
    else bad "$name: after the cut '$said' s, the prediction '$was' s" "$name"; fi
else bad "$name: the isolate task" "$name"; fi
keys "$name" q
