#!/bin/sh
# Real ZooKeeper clients against the lab (--listen): python3-kazoo, Debian's
# ZooKeeper client library for Python, drives tests/real_clients/*.py while
# the lab runs the matching .lua headless on the wall clock:
#   failover  kill the client's server: the session moves, the ephemeral stays
#   expire    isolate its only server past the timeout: told SESSIONEXPIRED
#   serve     srvr/stat/mntr/conf/cons/ruok fields, watch events, hostile
#             input (garbage, 2 GB, a cut packet, an unknown type, 1000
#             connections at once, a client that never reads), a server
#             without a quorum
#   climt     Debian's cli_mt (zookeeper-bin: the C client, no JVM):
#             create, an ephemeral, ls, get, two watches that fire on
#             another server after a kill, quit (closeSession)
#   readonly  cli_mt -r against a minority server with readonlymode on:
#             reads, NOTREADONLY writes, a client without -r refused
#   zkcli     Debian's zkCli.sh (the Java client; package zookeeper, when
#             installed: it brings a JVM, so install-deps leaves it out):
#             watches set again on the other server after a kill (SetWatches)
#   kcat      Debian's kcat (librdkafka 2.0) against the brokers
#             (tests/real_clients/kcat.sh): -L lists what lab.partition
#             says, -P 1,000 records, -C -e reads them back in order
#   kcat_failover  the leader killed while kcat -P produces with acks=all:
#             kcat finds the new leader, lab.audit loses nothing
#   kcat_kraft, kcat_kraft_failover  the same two against a KRaft world's
#             brokers (no ZooKeeper: the listening line says so; the
#             controller kcat -L names is a random alive broker, a dead
#             leader is fenced after broker.session.timeout.ms)
#   kcat_add_broker  a broker added after the lab began listening gets the
#             next port, and kcat -L through it lists it there
#   refused   a crashed server's and broker's ports refuse connections
#             (nc, kcat, a socket), a paused server's accept and stay
#             silent, a restarted one serves again (refused.sh)
# Each run is recorded (--trace) and replayed without the client (--replay):
# the replay's trace must be the live run's, event for event.
# Each run is bounded (timeout). Skips a client's cases, saying why, when
# it is missing (scripts/install-deps.sh installs python3-kazoo,
# zookeeper-bin and kcat; not zkCli.sh's JVM). Ports: a base from this
# shell's pid; the brokers' (--kafka-port) 30 above the servers'.
# Usage: real_clients.sh BUILD_DIR
set -u
cd "$(dirname "$0")/../.."
bin="${1:-build}/quorumlab"
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok()   { passed=$((passed + 1)); echo "  ok   - $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL - $1"; }

kazoo=yes
if ! [ -x "$py" ] || ! "$py" -c 'import kazoo' 2>/dev/null; then
    echo "  skip - failover, expire, serve: python3-kazoo is not installed (scripts/install-deps.sh installs it)"
    kazoo=no
fi

# below the kernel's ephemeral ports (32768 on), so no client's own port
# takes ours; a port in use anyway moves the base (start_lab)
base=$((10000 + ($$ % 220) * 100))
# start_lab NAME SECONDS OFFSET: the lab headless with --listen in the
# background ($lab, on $port); a port found in use is tried 3 times more
start_lab() {
    for try in 0 1 2 3; do
        port=$((base + $3 + try * 2200))
        # a KRaft world has no ZooKeeper port to give (--zk-port is refused)
        case "$1" in *kraft*) zk="" ;; *) zk="--zk-port $port" ;; esac
        timeout "$2" "$bin" --headless "tests/real_clients/$1.lua" --listen $zk \
            --kafka-port "$((port + 30))" --trace "$tmp/$1.jsonl" >"$tmp/$1.lab" 2>&1 &
        lab=$!
        sleep 1
        grep -q 'Address already in use' "$tmp/$1.lab" || return 0
        wait "$lab"
    done
}

# run NAME LAB_SECONDS OFFSET: the lab and the client beside it
run() {
    name=$1
    start_lab "$1" "$2" "$3"
    timeout "$2" "$py" "tests/real_clients/$name.py" "$port" >"$tmp/$name.py" 2>"$tmp/$name.err"
    prc=$?
    wait "$lab"
    lrc=$?
    grep -E '^(ok   -|FAIL -) ' "$tmp/$name.py" | while IFS= read -r l; do echo "  [$name] $l"; done
    if [ "$lrc" -eq 0 ] && [ "$prc" -eq 0 ] && grep -q 'passed, 0 failed' "$tmp/$name.lab" &&
       ! grep -q '^FAIL' "$tmp/$name.py"; then
        ok "$name: $(grep -v '^ok\|^PASS' "$tmp/$name.py" | head -n 1)"
    else
        fail "$name: lab exit $lrc, client exit $prc"
        sed 's/^/      lab: /' "$tmp/$name.lab" | tail -n 12
        sed 's/^/      client: /' "$tmp/$name.py" "$tmp/$name.err" | tail -n 12
    fi
    replay "$name"
}

# replay NAME: the recorded session again, without sockets, deterministic
replay() {
    timeout 120 "$bin" --headless "tests/real_clients/$1.lua" --replay "$tmp/$1.jsonl" \
        --trace "$tmp/$1.again" >"$tmp/$1.rlab" 2>&1
    rc=$?
    grep -v '^{"real":' "$tmp/$1.jsonl" >"$tmp/$1.a"
    grep -v '^{"real":' "$tmp/$1.again" >"$tmp/$1.b"
    n=$(grep -c '^{"real":' "$tmp/$1.jsonl")
    if [ "$rc" -eq 0 ] && [ "$n" -gt 0 ] && cmp -s "$tmp/$1.a" "$tmp/$1.b"; then
        ok "$1: --replay of its $n real-client records gives the same $(wc -l <"$tmp/$1.a") trace events"
    else
        fail "$1: --replay exit $rc, $n records; traces $(wc -l <"$tmp/$1.a") vs $(wc -l <"$tmp/$1.b") lines"
        diff "$tmp/$1.a" "$tmp/$1.b" | head -n 6 | cut -c 1-160 | sed 's/^/      /'
        tail -n 4 "$tmp/$1.rlab" | sed 's/^/      replay: /'
    fi
}
if [ "$kazoo" = yes ]; then
    run failover 90 0
    run expire 100 10
    run serve 150 20
fi
# zkCli.sh: watches survive the move to another server
zkcli=$(command -v zkCli.sh || echo /usr/share/zookeeper/bin/zkCli.sh)
if [ -x "$zkcli" ]; then
    start_lab zkcli 90 30
    (sleep 2; echo "create -e /zeph x"; sleep 1; echo "stat -w /dir/w"; echo "ls -w /dir"
     sleep 14; echo quit) |
        timeout 60 "$zkcli" -server "127.0.0.1:$port,127.0.0.1:$((port + 1))" >"$tmp/zkcli.out" 2>&1
    wait "$lab"
    lrc=$?
    if [ "$lrc" -eq 0 ] && grep -q 'passed, 0 failed' "$tmp/zkcli.lab" &&
       grep -q 'type:NodeCreated path:/dir/w' "$tmp/zkcli.out" &&
       grep -q 'type:NodeChildrenChanged path:/dir$' "$tmp/zkcli.out"; then
        ok "zkcli: after its server was killed, both watches fired on the other (SetWatches)"
    else
        fail "zkcli: lab exit $lrc, or a watch event missing"
        sed 's/^/      lab: /' "$tmp/zkcli.lab" | tail -n 10
        grep 'WatchedEvent\|Exception' "$tmp/zkcli.out" | sed 's/^/      zkCli: /' | tail -n 10
    fi
else
    echo "  skip - zkcli: zkCli.sh is not installed (Debian's zookeeper package; kazoo covers the rest)"
fi
# wait_out FILE PATTERN SECONDS: until FILE has a line matching PATTERN
wait_out() {
    i=0
    while ! grep -q "$2" "$1" 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -gt $(($3 * 5)) ] && return 1
        sleep 0.2
    done
}

# readonly_mode: cli_mt -r against a minority server with readonlymode on
# (readonly.lua): READONLY_STATE, a read served, writes NOTREADONLY (-119),
# a client without -r refused; healed, a new read-write session
readonly_mode() {
    start_lab readonly 150 50
    mkfifo "$tmp/ro.in"
    timeout 120 "$climt" -r "127.0.0.1:$port" <"$tmp/ro.in" >"$tmp/ro.out" 2>&1 &
    cli=$!
    exec 3>"$tmp/ro.in"
    o="$tmp/ro.out"
    if wait_out "$o" 'state = READONLY_STATE' 60; then
        printf 'get /ro\ncreate /nope\nset /ro y\n' >&3
        (sleep 4; echo quit) | timeout 10 "$climt" "127.0.0.1:$port" >"$tmp/rw.out" 2>&1
        wait_out "$o" 'state = CONNECTED_STATE' 60 && printf 'create /rw\n' >&3
        wait_out "$o" '^\[/rw\]: rc = 0' 20
    fi
    echo quit >&3
    exec 3>&-
    wait "$cli"
    wait "$lab"
    lrc=$?
    if [ "$lrc" -eq 0 ] && grep -q 'passed, 0 failed' "$tmp/readonly.lab" &&
       grep -q '^ value_len = 1$' "$o" && grep -q '^\[/nope\]: rc = -119$' "$o" &&
       grep -q '^/ro: rc = -119 Stat:$' "$o" && grep -q '^\[/rw\]: rc = 0$' "$o" &&
       [ "$(grep -c '^Got a new session id' "$o")" -eq 1 ] &&
       ! grep -q 'Got a new session id' "$tmp/rw.out" &&
       grep -q 'timeout [0-9]* ms, read-only @zk1' "$tmp/readonly.lab" &&
       grep -q 'Refusing session request for not-read-only client' "$tmp/readonly.lab"; then
        ok "readonly: cli_mt -r read from a minority server, its writes NOTREADONLY, a client without -r refused; healed, a new session writes"
    else
        fail "readonly: lab exit $lrc, or cli_mt's output is not what it should be"
        sed 's/^/      lab: /' "$tmp/readonly.lab" | tail -n 10
        grep -v '^\s*$' "$o" | sed 's/^/      cli_mt -r: /' | tail -n 16
        sed 's/^/      cli_mt: /' "$tmp/rw.out" | tail -n 4
    fi
    replay readonly
}

# cli_mt (zookeeper-bin, the C client): create, ephemeral, ls, get, two
# watches, its server killed, quit; then its run replayed
climt=/usr/lib/zookeeper/bin/cli_mt
if [ -x "$climt" ]; then
    start_lab climt 90 40
    (sleep 2; echo "create /climt"; sleep 0.3; echo "create +e /climt/eph"; sleep 0.3
     echo "ls /climt"; sleep 0.3; echo "get /climt"; sleep 0.3; echo "exists /climt/w"
     sleep 0.3; echo "create /climt/ready"; sleep 12; echo quit; sleep 1) |
        timeout 60 "$climt" "127.0.0.1:$port,127.0.0.1:$((port + 1)),127.0.0.1:$((port + 2))" \
        >"$tmp/climt.out" 2>&1
    wait "$lab"
    lrc=$?
    o="$tmp/climt.out"
    if [ "$lrc" -eq 0 ] && grep -q 'passed, 0 failed' "$tmp/climt.lab" &&
       [ "$(grep -c '^Got a new session id' "$o")" -eq 1 ] &&
       grep -q '^\[/climt/eph\]: rc = 0' "$o" &&
       grep -A1 '^/climt: rc = 0' "$o" | grep -q "$(printf '^\teph$')" &&
       grep -q '^ value_len = 3$' "$o" &&
       grep -q 'Watcher CREATED_EVENT state = CONNECTED_STATE for path /climt/w$' "$o" &&
       grep -q 'Watcher CHILD_EVENT state = CONNECTED_STATE for path /climt$' "$o"; then
        ok "climt: cli_mt's ephemeral, ls, get and both watches outlived its server's kill (one session)"
    else
        fail "climt: lab exit $lrc, or cli_mt's output is not what it should be"
        sed 's/^/      lab: /' "$tmp/climt.lab" | tail -n 10
        sed 's/^/      cli_mt: /' "$o" | tail -n 16
    fi
    replay climt
    readonly_mode
else
    echo "  skip - climt: $climt is not installed (Debian's zookeeper-bin; scripts/install-deps.sh installs it)"
fi
# kcat: the brokers
. tests/real_clients/kcat.sh
# refused: a crashed node's ports refuse, a paused one's accept
. tests/real_clients/refused.sh
refused_case
# every hostile connection left its line in the lab's log
if [ "$kazoo" = no ]; then
    :
elif grep -q 'connection closed: Len error 2147483647' "$tmp/serve.lab" &&
   [ "$(grep -c 'refused: Too many connections from' "$tmp/serve.lab")" -ge 940 ] &&
   grep -q 'connection closed: the client does not read its answers' "$tmp/serve.lab" &&
   grep -q 'connection closed: a request of unknown type 77: UNIMPLEMENTED' "$tmp/serve.lab"; then
    ok "serve: the 2 GB prefix, each of the 940 refused connections, the client that never read and the unknown request type each left a line in the log"
else
    fail "serve: a log line missing (2 GB prefix, 940 refusals, a client that never reads, an unknown type)"
    grep -c 'refused: Too many' "$tmp/serve.lab" | sed 's/^/      refusals: /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
