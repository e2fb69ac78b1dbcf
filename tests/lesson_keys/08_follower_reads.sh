# 08_follower_reads on screen: after the prediction (key 2: the old
# value), the learner cuts zk2 off from the leader zk3 on the command line;
# the reader on zk2 then still reads the old value, which the screen shows.
start "$name" 120 40 "$lesson" --speed 50
wait_for "$name" "step 1/5" 20 && wait_for "$name" "waiting: press n to go on" 10 && keys "$name" n
wait_for "$name" "step 2/5" 10 && wait_for "$name" "waiting: press n to go on" 20 && keys "$name" n
if wait_for "$name" "? zk2 cut off, /price set to 120" 10; then keys "$name" 2; fi
if wait_for "$name" "▶ Cut zk2 off from the leader zk3" 10 && wait_for "$name" "your turn" 5; then
    keys "$name" :; typed "$name" "split zk2 / zk3"; keys "$name" Enter
fi
if wait_for "$name" "● task done by you: Cut zk2 off" 20 &&
   wait_for "$name" "● the reader on zk2 still gets 100" 10 &&
   wait_for "$name" "predicted 1/1" 10; then
    ok "$name: :split zk2 / zk3 cuts the follower off; its reader still gets the old value"
else bad "$name: the learner's split and the stale read" "$name"; fi
keys "$name" q
