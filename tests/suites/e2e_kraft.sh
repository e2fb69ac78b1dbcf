#!/bin/sh
# End-to-end tests of KRaft mode on screen (issue 12): the real binary in
# tmux with --sandbox --mode kraft, keys as a learner types them, the
# captured screen read. The controller quorum stands where the ensemble
# does and elects a leader after its random election timeout
# (QuorumState.randomElectionTimeoutMs); the metadata log shows the
# leader's LeaderChangeMessage; the learner crashes the active controller
# with :kill and a follower takes over after the 2000 ms fetch timeout
# (FollowerState) in a later epoch; the message view's kraft layer shows
# the followers' Fetch; at 80x24 and in Korean the panels still read.
#   usage: tests/suites/e2e_kraft.sh BUILD_DIR  (prints "N passed, N failed" last)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BIN=$BUILD/quorumlab
SUITE=e2e_kraft
. tests/lib/tmux.sh

echo "== e2e_kraft on $BIN"

# the active controller's number from the quorum line
active() { screen "$1" | sed -nE 's/.*active controller ctl([0-9]+) · epoch ([0-9]+).*/\1 \2/p' | head -n 1; }

start a 120 40 --sandbox --mode kraft --brokers 0 --seed 3
if wait_for a "CONTROLLER QUORUM  3 voters, quorum 2" 15 && wait_re a "^[ >]ctl1 " 5 &&
   ! has a "ENSEMBLE"; then
    ok "120x40: the controller quorum stands where the ensemble does"
else bad "120x40: the quorum panel" a; fi
if wait_re a "active controller ctl[1-3] · epoch 1 · hw 1" 20 &&
   wait_re a "^[ >]ctl[1-3] +Leader " 5 && [ "$(screen a | grep -cE '^[ >]ctl[1-3] +Follower ')" -eq 2 ]; then
    ok "a leader and two followers in epoch 1, the LeaderChangeMessage committed (hw 1)"
else bad "the first election" a; fi
if has a "METADATA LOG" && wait_re a "0  epoch 1 +LeaderChangeMessage" 5; then
    ok "the metadata log shows offset 0: epoch 1's LeaderChangeMessage"
else bad "the metadata log panel" a; fi
keys a f
if wait_for a "KRaft has none: its metadata is the __cluster_metadata log" 5; then
    ok "f (the znode tree) says a KRaft world has no tree, its log stands there"
else bad "f in KRaft mode" a; fi
set -- $(active a)
L=${1:-1}
keys a :; typed a "kill ctl$L"; keys a Enter
if wait_re a "^[ >]ctl$L +Down" 10; then ok ":kill ctl$L crashes the active controller"
else bad ":kill ctl$L" a; fi
if wait_re a "active controller ctl[1-3] · epoch [2-9]" 30 && ! has a "active controller ctl$L"; then
    ok "a follower takes over in a later epoch (ctl$(active a | sed 's/ /, epoch /'))"
else bad "the failover" a; fi
keys a m
if wait_for a "MESSAGES  zab election session kafka kraft" 5 && wait_re a "Fetch" 10; then
    ok "m: the message view shows the kraft layer's Fetch"
else bad "m: kraft messages" a; fi
keys a q
wait_for a "exited 0" 10 || bad "a quits" a

start s 80 24 --sandbox --mode kraft --brokers 0 --lang ko
if wait_for s "컨트롤러 쿼럼  투표자 3대, 쿼럼 2" 15 && wait_re s "활성 컨트롤러 ctl[1-3]" 20 &&
   wait_for s "메타데이터 로그" 5; then
    ok "ko 80x24: 컨트롤러 쿼럼, 활성 컨트롤러, 메타데이터 로그"
else bad "ko 80x24: the KRaft panels" s; fi
keys s q
wait_for s "exited 0" 10 || bad "s quits" s

# KRaft brokers (--brokers): the metadata log names its records, the
# placement grid has the sandbox's topic from the log. The panel is too
# narrow there for Kafka's whole toString: every row shows the record's key
# fields (it showed "RegisterBrokerRecord(brokerId=101, incarnationId=" cut)
start b 140 45 --sandbox --mode kraft --brokers 3 --seed 3
if wait_re b "( epoch 1 +| e1 )RegisterBroker 10[1-3] epoch [0-9]+ fenced" 20 &&
   wait_re b "( epoch 1 +| e1 )Partition orders-0 L10[1-3] isr 10[1-3],10[1-3],10[1-3]" 20 &&
   wait_re b "orders-0 " 20 && ! has b "incarnationId="; then
    ok "--brokers 3: RegisterBroker and Partition records by their key fields, orders on the grid"
else bad "KRaft brokers on screen" b; fi
# what end, hw and lag mean, under the quorum line
if has b "end=log end, hw=high watermark, lag=behind leader"; then ok "the quorum panel's legend"
else bad "the quorum panel's legend" b; fi
# the grid's header names the active controller (the quorum's leader),
# not a broker controller that KRaft does not have ('no ctrl' before)
set -- $(active b)
if [ -n "${1:-}" ] && wait_re b "[0-9]+/[0-9]+ +ctrl ctl$1( |$)" 5 && ! has b "no ctrl"; then
    ok "--brokers 3: the placement header names the active controller ctl$1"
else bad "the placement header's controller in KRaft mode" b; fi
keys b q
wait_for b "exited 0" 10 || bad "b quits" b

# --mode kraft alone opens the picker; its sandbox entry says what it
# builds (it said "3 servers, 4 brokers" and built a quorum without
# brokers), and the KRaft sandbox has the usual 4 brokers and topic, as
# --help's "--brokers (default 4)" says, so a crashed broker can be fenced
start p 120 40 --mode kraft --seed 3
if wait_for p "Sandbox: free play, KRaft (3 controllers, 4 brokers, topic orders)" 10; then
    ok "the picker's sandbox entry says what --mode kraft builds"
else bad "the picker's KRaft sandbox entry" p; fi
keys p s
if wait_for p "CONTROLLER QUORUM  3 voters, quorum 2" 15 &&
   wait_re p " broker +101 +102 +103 +104 " 20 && wait_re p "orders-5 " 20; then
    ok "the KRaft sandbox has 4 brokers and the topic orders by default"
else bad "the KRaft sandbox's default brokers" p; fi
keys p q
wait_for p "exited 0" 10 || bad "p quits" p

# :add-broker in the KRaft sandbox without brokers: the broker registers
# with the active controller (BrokerLifecycleManager) instead of dialling a
# ZooKeeper ensemble there is none of (it aborted in zk_client.c);
# :reassign moves a replica (ReplicationControlManager.alterPartition-
# Reassignments: addingReplicas, then the target once it is in the ISR)
start n 140 45 --sandbox --mode kraft --brokers 0 --seed 3
wait_re n "active controller ctl[1-3] · epoch 1" 20
keys n :; typed n "add-broker 101"; keys n Enter
if wait_for n "added broker 101" 5 && wait_re n "RegisterBroker(Record\(brokerId=| )101" 20 &&
   wait_re n "UnfenceBroker(Record| )" 20 && ! has n "assertion failed"; then
    ok ":add-broker 101 in KRaft mode: registered fenced, then unfenced"
else bad ":add-broker in KRaft mode" n; fi
keys n :; typed n "topic t 1 1"; keys n Enter
wait_for n "topic t created" 10
keys n :; typed n "add-broker 102"; keys n Enter
wait_re n "UnfenceBrokerRecord\(id=102" 20
keys n :; typed n "reassign t 0 102"; keys n Enter
if wait_for n "reassignment of t-0 to 102 started" 10 &&
   wait_re n "t-0 leader 102 epoch 1" 20 && ! has n "assertion failed"; then
    ok ":reassign in KRaft mode moves t-0 to 102, which leads it once the move completes"
else bad ":reassign in KRaft mode" n; fi
# right after the active controller dies the others are still Followers
# until quorum.fetch.timeout.ms passes (FollowerState): the quorum line
# says so instead of 'electing' (held, so the instant stays on screen)
set -- $(active n)
keys n Space
wait_for n "PAUSED" 5
keys n :; typed n "kill ctl${1:-1}"; keys n Enter
if wait_for n "NO LEADER: followers wait out quorum.fetch.timeout.ms" 5 && ! has n "electing"; then
    ok "the active controller killed: the followers wait out the fetch timeout"
else bad "the quorum line right after the leader's death" n; fi
# then their fetch timers count down (FollowerState's fetchTimer), on their
# rows and under the grid, as ZooKeeper mode's syncLimit countdowns do
# (at 1x: the count lasts the last second of the two)
keys n :; typed n "speed 1"; keys n Enter
keys n Space
if wait_re n "» ctl[1-3] gives up on leader ctl${1:-1} in [0-9.]+ s" 10 &&
   wait_re n "^[ >]ctl[1-3] +Follower .*» [0-9.]+ s" 5; then
    ok "the followers' fetch timeouts count down (» on their rows and under the grid)"
else bad "the fetch timeout countdown" n; fi
keys n q
wait_for n "exited 0" 10 || bad "n quits" n

end_session a
end_session n
end_session s
end_session b
end_session p
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
