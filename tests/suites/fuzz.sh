#!/bin/sh
# The simulation fuzzer as a suite: seeds 1..N must pass every checker
# (N = 5000 on the normal build, 1000 under ASan, see below), a seed
# replays identically, the unsafe settings make the ledger audit bite and
# the failure report's replay command reproduces the failure, and bad
# --fuzz arguments exit 2. Usage: fuzz.sh BUILD_DIR
#
# Every seed runs a ZooKeeper-mode world and a KRaft controller quorum;
# half the seeds also a KRaft world with brokers (fuzz_kbrokers.c), which
# costs a quarter more: 1,000 seeds took 3.5 s of CPU before it, 4.4 s
# with it (the normal build, one core of the 2-core dev machine).
# The ASan+UBSan build (-O1) is several times slower, so the normal build
# runs 5,000 seeds and the ASan build 1,000 (FUZZ_SEEDS / FUZZ_SEEDS_ASAN
# change that).
set -u
cd "$(dirname "$0")/../.."
build="${1:-build}"
bin="$build/quorumlab"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok()   { passed=$((passed + 1)); echo "  ok   - $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL - $1"; }
now_ms() { date +%s%3N; }

case "$build" in
    *asan*) seeds=${FUZZ_SEEDS_ASAN:-1000} ;;
    *)      seeds=${FUZZ_SEEDS:-5000} ;;
esac

# --- every seed passes every checker ---
t0=$(now_ms)
"$bin" --fuzz "$seeds" --seed 1 --fuzz-keep-going >"$tmp/fuzz.out" 2>&1
rc=$?
t1=$(now_ms)
summary=$(grep '^fuzz:' "$tmp/fuzz.out" | tail -n 1)
if [ "$rc" -eq 0 ] && [ -n "$summary" ]; then
    ok "$seeds seeds pass in $((t1 - t0)) ms: $summary"
else
    fail "$seeds seeds: exit $rc; failing seeds:"
    grep 'FAILED' "$tmp/fuzz.out" | sed 's/^/      /' | head -n 40
    echo "      (first report in full)"
    sed -n '/FAILED/,/replay:/p' "$tmp/fuzz.out" | head -n 30 | sed 's/^/      /'
fi
# the run exercised the checkers: writes, watched reads, acked records
if echo "$summary" | grep -Eq ' [1-9][0-9]* zk writes, [1-9][0-9]* watched reads checked, [1-9][0-9]* acked records'; then
    ok "the checkers had work: $(echo "$summary" | sed 's/.*failed; //')"
else
    fail "the run checked nothing: '$summary'"
fi
# half the seeds also ran a KRaft world with brokers, and its brokers'
# applied metadata was looked at while the faults went on (meta_check)
if echo "$summary" | grep -Eq ' [1-9][0-9]* worlds with brokers, [1-9][0-9]* looks at their metadata'; then
    ok "KRaft worlds with brokers ran: $(echo "$summary" | sed 's/.*records committed, //')"
else
    fail "no KRaft world with brokers ran: '$summary'"
fi

# --- soak seeds that once failed liveness ("120 s after healing") ---
# 34894, 61759: the controller's state write (auto rebalance) lost its
# answer while proposed on a ZooKeeper leader without quorum; the re-read
# was served from that leader's older tree, then the re-elected leader
# committed the write: the controller kept a stale leader. Kafka retries
# the write itself (KafkaZkClient.retryRequestsUntilConnected), which is
# ordered after the lost one and fails with BADVERSION, then re-reads.
# 88005: a new controller wrote "no leader" for a partition while its
# replicas registered; the broker change was judged on the state before
# that write (PartitionStateMachine.triggerOnlinePartitionStateChange
# runs after the write in Kafka's single event thread).
# 7509: the controller's ZooKeeper client took the server's zxid from a
# ConnectResponse, lost that connection before its setWatches arrived,
# and the next setWatches hid a broker's registration: ClientCnxn moves
# lastZxid only with a reply header (BrokerChangeHandler never fired).
# 13120, 23549: a follower's fetcher sent nothing but
# OffsetsForLeaderEpoch while one partition (a stray replica, its
# StopReplica lost) kept failing: AbstractFetcherThread delays only the
# partitions in error and fetches the others.
# 6593 (its KRaft world with brokers): a controller elected after a
# split sent the high watermark it knew as a follower, short of what was
# committed; a restarted broker replayed its metadata log only that far,
# published an image without one topic and deleted that topic's replica,
# log and all (high watermark back from 5 to 1 in leader epoch 0).
# KafkaRaftClient: LeaderState's high watermark is empty (Fetch answers
# -1) until a record of the leader's epoch is committed; MetadataLoader
# publishes nothing until it has caught up with the high watermark.
# 13943 (KRaft world): the active controller appended an unfence and the
# leader elections it makes record by record, each append completing the
# parked Fetches at once; the next leader held the UnfenceBrokerRecord
# alone, committed it, and the partitions stayed without a leader.
# QuorumController appends a decision as one atomic batch
# (scheduleAtomicAppend) and a Fetch answer holds whole batches.
# 15833 (KRaft world): a follower learnt its partition's new leader epoch
# while the leader was still fenced in its image, started no fetcher (it
# looked the leader up among the unfenced), and the epoch never moved
# again: the replica stayed behind for good. ReplicaManager.
# applyLocalFollowersDelta takes the leader's endpoint from the image's
# registration, fenced or not.
# 15042 (KRaft world): a leader stuck short of its epoch start resigned
# and was then told it led (the resigned state skipped the catch-up
# wait), so it claimed as active controller in epoch 2 after another had
# claimed epoch 5; KafkaRaftClient.pollListeners fires no leader change
# while resigned. kafka_check's controller epoch order is ZooKeeper
# mode's (/controller_epoch): a KRaft claim's epoch is raft_check's.
for s in 34894 61759 88005 7509 13120 23549 6593 13943 15833 15042; do
    if "$bin" --fuzz 1 --seed "$s" >"$tmp/soak.out" 2>&1; then
        ok "soak seed $s passes"
    else
        fail "soak seed $s: $(grep FAILED "$tmp/soak.out" | head -n 1)"
    fi
done

# --- a seed replays identically ---
"$bin" --fuzz 1 --seed 42 --trace "$tmp/a.jsonl" >"$tmp/a.out" 2>&1
"$bin" --fuzz 1 --seed 42 --trace "$tmp/b.jsonl" >"$tmp/b.out" 2>&1
if [ -s "$tmp/a.jsonl" ] && cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl" && cmp -s "$tmp/a.out" "$tmp/b.out"; then
    ok "seed 42 twice: identical trace ($(wc -l <"$tmp/a.jsonl") events) and output"
else
    fail "seed 42 twice: traces or output differ"
fi
"$bin" --fuzz 1 --seed 43 --trace "$tmp/c.jsonl" >/dev/null 2>&1
if ! cmp -s "$tmp/a.jsonl" "$tmp/c.jsonl"; then ok "seed 43 is another run"
else fail "seeds 42 and 43 gave the same trace"; fi

# --- the checkers bite: unclean election on, min.insync.replicas=1 ---
# (every producer acks=all: the loss comes from the other two settings)
bound=400
"$bin" --fuzz "$bound" --seed 1 --fuzz-unsafe --fuzz-keep-going >"$tmp/unsafe.out" 2>&1
rc=$?
first=$(grep -m 1 'FAILED: acknowledged record lost' "$tmp/unsafe.out")
replay=$(sed -n '/FAILED: acknowledged record lost/,/  replay: /p' "$tmp/unsafe.out" |
         grep -m 1 '  replay: ' | sed 's/^  replay: //')
if [ "$rc" -eq 1 ] && [ -n "$first" ]; then
    ok "unsafe settings: a lost acknowledged record within $bound seeds: $first"
else
    fail "unsafe settings: no acknowledged-write loss in $bound seeds (exit $rc)"
    tail -n 5 "$tmp/unsafe.out" | sed 's/^/      /'
fi
if grep -q 'min.insync.replicas 1, unclean on' "$tmp/unsafe.out" &&
   grep -q '^  faults (' "$tmp/unsafe.out" && [ -n "$replay" ]; then
    ok "the report prints the drawn settings, faults and '$replay'"
else
    fail "the report lacks settings, faults or the replay command"
fi
if [ -n "$replay" ]; then
    # the replay command names the binary as it was called: run it as is
    sh -c "$replay" >"$tmp/replay.out" 2>&1
    rc=$?
    if [ "$rc" -eq 1 ] && [ "$(grep -m 1 'FAILED' "$tmp/replay.out")" = "$first" ]; then
        ok "the replay command reproduces: exit 1, same failure"
    else
        fail "the replay command gave exit $rc: $(grep -m 1 FAILED "$tmp/replay.out")"
    fi
fi

# the same settings bite in a KRaft world with brokers (its report says
# 'world: KRaft'), and that report's replay reproduces it too
kfirst=$(grep -A 1 'FAILED: acknowledged record lost' "$tmp/unsafe.out" |
         grep -B 1 -m 1 '^  world: KRaft' | head -n 1)
kseed=$(echo "$kfirst" | sed -n 's/^seed \([0-9]*\) FAILED.*/\1/p')
if [ -n "$kseed" ]; then
    ok "unsafe settings in a KRaft world with brokers: $kfirst"
    "$bin" --fuzz 1 --seed "$kseed" --fuzz-unsafe >"$tmp/kreplay.out" 2>&1
    rc=$?
    if [ "$rc" -eq 1 ] && [ "$(grep -m 1 'FAILED' "$tmp/kreplay.out")" = "$kfirst" ] &&
       grep -q '^  world: KRaft' "$tmp/kreplay.out"; then
        ok "seed $kseed replayed alone: exit 1, same failure in the KRaft world"
    else
        fail "seed $kseed replayed: exit $rc: $(grep -m 1 FAILED "$tmp/kreplay.out")"
    fi
else
    fail "unsafe settings: no acknowledged-write loss in a KRaft world within $bound seeds"
fi

# --- bad arguments ---
for args in "--fuzz 0" "--fuzz -3" "--fuzz many" "--fuzz-unsafe" "--fuzz 2 --headless x.lua"; do
    # shellcheck disable=SC2086
    "$bin" $args >"$tmp/bad.out" 2>&1
    rc=$?
    if [ "$rc" -eq 2 ]; then ok "'$args': exit 2: $(head -n 1 "$tmp/bad.out")"
    else fail "'$args': exit $rc, want 2"; fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
