# 06_tree_store on screen: the learner steps past the slow-motion write (the
# leader's COMMIT leaves before the far follower's ACK arrives) and the
# reads from each server, then crashes the follower zk2 with Tab k; the
# screen says the task is done and the lesson wrote v2..v4 without it.
start "$name" 120 40 "$lesson" --speed 50
wait_for "$name" "step 1/8" 20 && wait_for "$name" "waiting: press n to go on" 10 && keys "$name" n
if wait_for "$name" "? How many servers, the leader included" 10; then
    # the step starts once both followers are synced: in the new epoch,
    # none still in ZAB DISCOVERY or SYNCHRONIZATION
    if wait_re "$name" "zk1 +FOLLOWING +epoch 1 " 5 && wait_re "$name" "zk2 +FOLLOWING +epoch 1 " 5 &&
       ! has "$name" "not serving yet"; then
        ok "$name: at the write both followers are synced, in epoch 1"
    else bad "$name: a follower not yet synced at the write" "$name"; fi
    keys "$name" 2
fi
if wait_for "$name" "step 2/8" 5 && wait_for "$name" "waiting: press n to go on" 20 &&
   has "$name" "● 80 ms after the client's request the leader sent" &&
   has "$name" "came only at 160 ms"; then
    ok "$name: the slow-motion write's COMMIT leaves before zk2's ACK arrives"
else bad "$name: the COMMIT before the far follower's ACK" "$name"; fi
keys "$name" n
wait_for "$name" "step 3/8" 10 && wait_for "$name" "waiting: press n to go on" 20 && keys "$name" n
if wait_for "$name" "▶ Crash the follower zk2" 10 && wait_for "$name" "your turn" 5; then keys "$name" Tab k; fi
if wait_for "$name" "● task done by you: Crash the follower zk2" 20 &&
   wait_for "$name" "● v2, v3, v4 are committed by the leader and zk1 alone" 10 &&
   wait_re "$name" "zk2 +DOWN" 5; then
    ok "$name: Tab k crashes the follower zk2; writes go on without it"
else bad "$name: the learner crashes a follower" "$name"; fi
keys "$name" q
