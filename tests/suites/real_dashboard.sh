#!/bin/sh
# The dashboard with --listen, in tmux, as a learner uses it: a real
# ZooKeeper client (python3-kazoo, tests/real_clients/hold.py) connects,
# the clients panel shows it, the speed keys refuse to go past 1x while it
# is connected (saying why), and killing its server with :kill moves its
# session to another server with its ephemeral znode; the session's trace
# (--trace) replayed headless (--replay) ends in the same state. And
# --sandbox --mode kraft --listen with kcat (no kazoo needed there).
# Usage: real_dashboard.sh BUILD_DIR
set -u
cd "$(dirname "$0")/../.."
SUITE=real_dashboard
BUILD=${1:-build}
BIN=$BUILD/quorumlab
. tests/lib/tmux.sh
py=/usr/bin/python3
port=$((10000 + ($$ % 220) * 100 + 50))

# --sandbox --mode kraft --listen: the KRaft sandbox gets its 4 brokers
# (real clients talk to brokers only) and says it has no ZooKeeper; kcat
# -L lists the 4 and marks one of them controller (a random alive broker:
# KRaftMetadataCache.getRandomAliveBrokerId); a kcat in the clients panel
kraft_case() {
    kp=$((port + 60))
    start k 120 40 --sandbox --mode kraft --listen --kafka-port "$kp"
    if wait_for k "listening for Kafka clients on 127.0.0.1:$kp-$((kp + 3)) (KRaft: no ZooKeeper); wall clock, 1x" 10 &&
       ! has k "ZooKeeper clients"; then
        ok "--sandbox --mode kraft --listen: the status line names the 4 brokers' ports and no ZooKeeper"
    else
        bad "--sandbox --mode kraft --listen: no KRaft listening line" k
    fi
    n=0
    while [ "$n" -lt 40 ]; do
        timeout 5 kcat -b "127.0.0.1:$kp" -L -t orders >"$TMP/kraft.L" 2>&1
        grep -q 'topic "orders" with 6 partitions:$' "$TMP/kraft.L" && break
        n=$((n + 1)); sleep 0.5
    done
    if grep -q '^ 4 brokers:' "$TMP/kraft.L" && grep -q 'topic "orders" with 6 partitions:$' "$TMP/kraft.L" &&
       [ "$(grep -c '^  broker 10[1-4] at 127.0.0.1:[0-9]* (controller)$' "$TMP/kraft.L")" -eq 1 ]; then
        ok "kcat -L against the KRaft sandbox: 4 brokers, one marked controller, orders' 6 partitions"
    else
        bad "kcat -L against the KRaft sandbox: $(tr '\n' ' ' <"$TMP/kraft.L" | cut -c 1-200)" k
    fi
    timeout 8 kcat -b "127.0.0.1:$kp" -C -t orders -p 0 -o beginning >/dev/null 2>&1 &
    kc=$!
    if wait_re k "kreal[0-9]+ →10[1-4] +real 127.0.0.1" 8; then ok "the clients panel shows kcat on a KRaft broker"
    else bad "kcat not in the KRaft sandbox's clients panel" k; fi
    wait "$kc"
    keys k q
}
if command -v kcat >/dev/null 2>&1; then kraft_case
else echo "  skip - the KRaft sandbox with kcat: kcat is not installed"; fi

if ! [ -x "$py" ] || ! "$py" -c 'import kazoo' 2>/dev/null; then
    echo "  skip - python3-kazoo is not installed (scripts/install-deps.sh installs it)"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
fi
trace=${QL_RD_TRACE:-$TMP/dash.jsonl}
start d 200 40 --sandbox --brokers 0 --listen --zk-port "$port" --trace "$trace"
if wait_for d "listening for ZooKeeper clients on 127.0.0.1:$port" 10; then
    ok "the status line says where it listens"
else
    bad "no 'listening' line" d
fi
timeout 60 "$py" tests/real_clients/hold.py "$port" >"$TMP/hold.out" 2>"$TMP/hold.err" &
client=$!
if wait_for d "real1 →zk" 20; then ok "the clients panel shows the real client"
else bad "real1 not in the clients panel" d; fi
# the server to kill is the one the client made its znode on (it says
# "on zkN"): read from the panel as soon as real1 shows, a kill could land
# before the create, on a session kazoo then opens afresh elsewhere. + is
# asked after that too: real1 shows in the panel from its first connection,
# which kazoo may drop (the ensemble not serving yet) and re-dial, and a
# press in that gap goes through (it failed so under load, "speed 2x")
n=$((20 * SLOW * 10))
while [ "$n" -gt 0 ] && ! grep -q '^on zk' "$TMP/hold.out"; do sleep 0.1; n=$((n - 1)); done
sid=$(sed -nE 's/^on zk([0-9]+).*/\1/p' "$TMP/hold.out" | head -n 1)
# kazoo may still re-dial once: a press that went through is undone with -
# and + asked again (up to five times); a dashboard that never refuses fails
refused=false
for i in 1 2 3 4 5; do
    $T send-keys -t "=d:" '+'
    if wait_for d "speed stays 1x: 1 real client(s) connected" 2; then refused=true; break; fi
    if screen d | head -n 1 | grep -q ' speed 2x '; then
        $T send-keys -t "=d:" '-'; wait_re d "^ quorumlab .* speed 1x " 5
    fi
done
if $refused; then ok "+ refused while it is connected, saying why"
else bad "+ not refused" d; fi
$T send-keys -t "=d:" ":kill zk$sid" Enter
n=$((30 * SLOW * 10))
while [ "$n" -gt 0 ] && ! grep -q '^moved' "$TMP/hold.out"; do sleep 0.1; n=$((n - 1)); done
if grep -q "^moved zk$sid -> zk[0-9], /hello kept: True" "$TMP/hold.out"; then
    ok "killing zk$sid on the dashboard: $(grep '^moved' "$TMP/hold.out")"
else
    bad "after :kill zk$sid: $(cat "$TMP/hold.out" "$TMP/hold.err" | grep -v "^ " | tail -n 8 | tr '\n' ' ')" d
fi
wait "$client"
# the session, replayed headless from its trace (the client's bytes and the
# learner's :kill), ends in the state the dashboard ended in
$T send-keys -t "=d:" q
if wait_for d "exited 0" 10 && grep -q '"real":"fault".*"text":"kill zk' "$trace"; then
    timeout 120 "$BIN" --headless tests/real_clients/sandbox.lua --replay "$trace" \
        >"$TMP/replay.out" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && grep -q "where the recorded session ended, the state is the same" \
            "$TMP/replay.out"; then
        ok "--replay of the dashboard session: $(grep -o 'the state is the same.*' "$TMP/replay.out" | cut -c 1-90)"
    else
        bad "--replay of the dashboard session: exit $rc; $(grep -i 'replay' "$TMP/replay.out" | tail -n 2)"
    fi
else
    bad "the dashboard did not quit, or its trace has no fault record" d
fi
# at 120 columns the status line is whole, the Kafka ports and the wall
# clock included (it was cut at '... (1x); for Kafka clien')
start w 120 40 --sandbox --listen --zk-port "$((port + 10))" --kafka-port "$((port + 40))"
if wait_for w "Kafka clients on 127.0.0.1:$((port + 40))-$((port + 43)); wall clock, 1x" 10; then
    ok "at 120 columns the listen status line is whole"
else
    bad "the listen status line at 120 columns" w
fi
keys w q
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
