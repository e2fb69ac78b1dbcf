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
# the lesson's lab.slow said how long it lasts, and its line went once it
# was over (trial 6: "slow motion: 1000x slower" stayed beside "speed 10x")
if wait_for "$name" "press n to go on" 20 &&
   ! has "$name" "slow motion" && ! has "$name" "1000x slower"; then
    ok "$lesson: the slow-motion line goes once the moment is over"
else bad "$lesson: the slow-motion status line after its moment" "$name"; fi

# then the deletion (trial 6: the StopReplica rows passed the 8-row
# message view in a second, under the controller's znode writes): the
# step ends, and the world holds, once every StopReplica has done its
# work, with StopReplica and StopReplicaResp on screen and the topic's
# znode still there; n goes on to its removal
if wait_for "$name" "press n to go on" 20 && keys "$name" n &&
   wait_for "$name" "▶ Delete orders" 15; then
    typed "$name" ":delete-topic orders"; keys "$name" Enter
    if wait_for "$name" "● StopReplica reached each broker" 20 &&
       wait_for "$name" "press n to go on" 10 &&
       wait_re "$name" "StopRep|StopReplica orders-[0-2]" 5 && has "$name" "StopReplicaResp" &&
       ! has "$name" "zk.request"; then
        ok "$lesson: the deletion holds with StopReplica and StopReplicaResp in the message view"
    else bad "$lesson: StopReplica on screen when the lesson holds" "$name"; fi
    keys "$name" n
    if wait_for "$name" "Every replica is deleted: only now" 15 &&
       wait_for "$name" "● the controller removed /brokers/topics/orders" 20; then
        ok "$lesson: n goes on: the controller removes the topic's znodes"
    else bad "$lesson: the znodes' removal after the hold" "$name"; fi
else bad "$lesson: the delete task" "$name"; fi
