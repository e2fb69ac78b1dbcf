# The kcat cases of tests/suites/real_clients.sh (sourced: start_lab,
# replay, ok, fail, $tmp come from there). Debian's kcat 1.7 with
# librdkafka 2.0 talks to the lab's brokers on 127.0.0.1 (--kafka-port),
# in a ZooKeeper-mode world (kcat, kcat_failover) and a KRaft one
# (kcat_kraft, kcat_kraft_failover: the same checks), and a broker added
# after the lab began listening (kcat_add_broker).
kcat_bin=$(command -v kcat || true)

# kcat_wait PORT TOPIC: until the broker on PORT lists TOPIC's partitions
# (bounded; not 'with 0 partitions: Unknown topic', which a broker
# answers before its metadata has the topic)
kcat_wait() {
    for _ in $(seq 1 60); do
        timeout 5 "$kcat_bin" -b "127.0.0.1:$1" -L -t "$2" 2>/dev/null |
            grep -q "topic \"$2\" with [1-9][0-9]* partitions:\$" && return 0
        sleep 0.5
    done
    return 1
}

# kcat_lab_ok NAME LAB_EXIT: the lab's checks, its tail when it failed
kcat_lab_ok() {
    if [ "$2" -eq 0 ] && grep -q 'passed, 0 failed' "$tmp/$1.lab"; then
        ok "$1: the lab's checks: $(grep -c '^  ok ' "$tmp/$1.lab") passed"
    else
        fail "$1: lab exit $2"
        grep -v '^ *[0-9.]*s ' "$tmp/$1.lab" | tail -n 12 | sed 's/^/      lab: /'
    fi
}

# kcat_hostile PORT: garbage, a 2 GB size, an unknown API key, Fetch v11
# and a frame cut short, each on its own connection to the broker
kcat_hostile() {
    [ -x "$py" ] || return 0
    timeout 20 "$py" - "$1" <<'PY' >"$tmp/kcat.hostile" 2>&1
import socket, struct, sys, time
port = int(sys.argv[1])
def frame(key, ver):
    body = struct.pack(">hhih", key, ver, 7, 4) + b"evil"
    return struct.pack(">i", len(body)) + body
cases = [b"GET / HTTP/1.0\r\n\r\n", struct.pack(">i", 0x7fffffff) + b"x" * 64,
         frame(77, 0), frame(1, 11), struct.pack(">i", 100) + b"0123456789"]
for i, data in enumerate(cases):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(data)
    if i == len(cases) - 1:
        time.sleep(0.3)
        s.close()                   # mid-frame: the client leaves
        continue
    try:
        got = s.recv(100)
        print("closed" if got == b"" else "answered")
    except (ConnectionResetError, socket.timeout) as e:
        print("closed" if isinstance(e, ConnectionResetError) else "timeout")
    s.close()
PY
}

# kcat_listening NAME: the lab's listening line names what the world has:
# in KRaft mode its brokers and no ZooKeeper (no ZooKeeper range, which
# came out backwards: 2181-2180), in ZooKeeper mode the servers and brokers
kcat_listening() {
    case "$1" in
    *kraft*) grep -q "^listening for Kafka clients on 127.0.0.1:$kp-$((kp + 2)) (KRaft: no ZooKeeper);" \
                 "$tmp/$1.lab" && ! grep -q 'ZooKeeper clients' "$tmp/$1.lab" ;;
    *) grep -q "^listening for ZooKeeper clients on 127.0.0.1:$port-$((port + 2)), Kafka clients on 127.0.0.1:$kp-$((kp + 2));" \
           "$tmp/$1.lab" ;;
    esac
}

# kcat_refused PORT...: whether a connect to each PORT is refused (a
# socket, as librdkafka's)
kcat_refused() {
    "$py" -c 'import socket, sys
for p in sys.argv[1:]:
    try:
        socket.create_connection(("127.0.0.1", int(p)), timeout=2).close()
        sys.exit(1)
    except ConnectionRefusedError:
        pass' "$@"
}

# kcat_basic NAME OFFSET: tests/real_clients/NAME.lua's world (ZooKeeper or
# KRaft mode, 3 brokers, topic t) with kcat -L, -P, -C and hostile frames
kcat_basic() {
    n=$1
    start_lab "$n" 120 "$2"
    kp=$((port + 30))
    prc=1 crc=1
    seq 1 1000 | sed 's/^/rec-/' >"$tmp/kcat.in"
    # KRaft: the script pauses the controllers for the first 6 s, so no
    # broker is unfenced yet and no port accepts (the lab started a second ago)
    starting=""
    case "$n" in *kraft*) [ -x "$py" ] && kcat_refused "$kp" "$((kp + 1))" "$((kp + 2))" &&
        starting=refused ;; esac
    if kcat_wait "$kp" t; then
        timeout 10 "$kcat_bin" -b "127.0.0.1:$kp" -L -t t >"$tmp/$n.L" 2>&1
        kcat_hostile "$kp"
        timeout 60 "$kcat_bin" -b "127.0.0.1:$kp" -P -t t -p 0 -X acks=all \
            <"$tmp/kcat.in" 2>"$tmp/$n.P"
        prc=$?
        timeout 30 "$kcat_bin" -b "127.0.0.1:$kp" -C -t t -p 0 -o beginning -e -q \
            >"$tmp/$n.out" 2>"$tmp/$n.C"
        crc=$?
    fi
    wait "$lab"
    lrc=$?
    sed -n 's/^lab: //p' "$tmp/$n.lab" >"$tmp/$n.want"
    sed -n 's/^ *\(partition [0-9]*, leader .*\)$/\1/p' "$tmp/$n.L" >"$tmp/$n.got"
    # the controller kcat marks is one of the brokers it lists (in KRaft
    # mode a random alive broker: KRaftMetadataCache.getRandomAliveBrokerId)
    if [ -s "$tmp/$n.want" ] && cmp -s "$tmp/$n.want" "$tmp/$n.got" &&
       grep -q '^ 3 brokers:' "$tmp/$n.L" &&
       grep -q "broker 101 at 127.0.0.1:$kp" "$tmp/$n.L" &&
       [ "$(grep -c '^  broker 10[123] at 127.0.0.1:[0-9]* (controller)$' "$tmp/$n.L")" -eq 1 ]; then
        ok "$n: kcat -L lists 3 brokers on 127.0.0.1, one of them the controller, and each partition's leader, replicas and ISR as lab.partition does"
    else
        fail "$n: kcat -L differs from lab.partition"
        sed 's/^/      kcat -L: /' "$tmp/$n.L" | head -n 12
        sed 's/^/      lab: /' "$tmp/$n.want"
    fi
    case "$n" in *kraft*)
        if ! [ -x "$py" ]; then
            echo "  skip - $n: the refused ports need python3"
        elif [ "$starting" = refused ]; then
            ok "$n: before the controllers unfenced them, the 3 brokers' ports refused connections (BrokerServer opens its listeners once unfenced)"
        else
            fail "$n: a broker's port accepted a connection before the broker was unfenced"
        fi ;;
    esac
    if kcat_listening "$n"; then
        ok "$n: the lab's listening line: $(sed -n 's/^listening for //p' "$tmp/$n.lab")"
    else
        fail "$n: the listening line is not the world's: $(grep '^listening' "$tmp/$n.lab")"
    fi
    if [ "$prc" -eq 0 ] && [ "$crc" -eq 0 ] && cmp -s "$tmp/kcat.in" "$tmp/$n.out"; then
        ok "$n: kcat -P sent 1,000 records with acks=all, kcat -C -e read the same 1,000 back in order"
    else
        fail "$n: -P exit $prc, -C exit $crc, $(wc -l <"$tmp/$n.out" 2>/dev/null) records read"
        tail -n 4 "$tmp/$n.P" "$tmp/$n.C" | sed 's/^/      kcat: /'
    fi
    if ! [ -x "$py" ]; then
        echo "  skip - $n: hostile frames need python3"
    elif [ "$(grep -c '^closed$' "$tmp/kcat.hostile")" -eq 4 ] &&
       grep -q 'connection closed: a frame size of 1195725856' "$tmp/$n.lab" &&
       grep -q 'connection closed: a frame size of 2147483647' "$tmp/$n.lab" &&
       grep -q 'connection closed: an unknown API (key 77) v0 is not served' "$tmp/$n.lab" &&
       grep -q 'connection closed: Fetch (key 1) v11 is not served' "$tmp/$n.lab" &&
       grep -q 'connection closed: EOF from the client, in the middle of a frame' "$tmp/$n.lab"; then
        ok "$n: garbage, a 2 GB size, API key 77, Fetch v11 and a cut frame each closed their connection with a line in the log, and kcat went on"
    else
        fail "$n: a hostile frame was not closed with its log line"
        sed 's/^/      client: /' "$tmp/kcat.hostile"
        grep 'real Kafka client' "$tmp/$n.lab" | grep closed | tail -n 8 | sed 's/^/      lab: /'
    fi
    # a ZooKeeper port for a world without ZooKeeper is refused, not ignored
    case "$n" in *kraft*)
        timeout 20 "$bin" --headless "tests/real_clients/$n.lua" --listen --zk-port "$port" \
            --kafka-port "$kp" >"$tmp/$n.zk" 2>&1
        zrc=$?
        if [ "$zrc" -eq 2 ] && grep -q -- '--zk-port: a KRaft world has no ZooKeeper' "$tmp/$n.zk"; then
            ok "$n: --listen --zk-port on a KRaft script: exit 2, '--zk-port: a KRaft world has no ZooKeeper'"
        else
            fail "$n: --zk-port on a KRaft script: exit $zrc; $(grep -v '^ *[0-9.]*s ' "$tmp/$n.zk" | head -n 2 | tr '\n' ' ')"
        fi ;;
    esac
    kcat_lab_ok "$n" "$lrc"
    replay "$n"             # (replay sets n: last)
}

# kcat_failover NAME OFFSET: NAME.lua kills k-0's leader while kcat -P
# produces with acks=all (ZooKeeper or KRaft mode)
kcat_failover() {
    n=$1
    start_lab "$n" 150 "$2"
    kp=$((port + 30))
    prc=1
    brokers="127.0.0.1:$kp,127.0.0.1:$((kp + 1)),127.0.0.1:$((kp + 2))"
    seq 1 1000 | sed 's/^/rec-/' >"$tmp/kcat.in"
    if kcat_wait "$kp" k; then
        # slowly enough (about 13 s) that the lab kills the leader midway
        i=1
        while [ "$i" -le 1000 ]; do echo "rec-$i"; i=$((i + 1)); sleep 0.01; done |
            timeout 100 "$kcat_bin" -b "$brokers" -P -t k -p 0 -X acks=all -X linger.ms=0 \
                -X debug=topic 2>"$tmp/$n.P"
        prc=$?
        timeout 10 "$kcat_bin" -b "$brokers" -L -t k >"$tmp/$n.L" 2>&1
        timeout 30 "$kcat_bin" -b "$brokers" -C -t k -p 0 -o beginning -e -q >"$tmp/$n.out" 2>"$tmp/$n.Cerr"
    fi
    wait "$lab"
    lrc=$?
    old=$(sed -n 's/^leader before: //p' "$tmp/$n.lab")
    new=$(sed -n 's/^leader after: //p' "$tmp/$n.lab")
    # the dead broker is no longer listed: its ZooKeeper session expired
    # (ZooKeeper mode), it was fenced (KRaft: KRaftMetadataCache lists
    # unfenced brokers only)
    if [ "$prc" -eq 0 ] && [ -n "$new" ] && [ "$new" != "$old" ] &&
       grep -q "Topic k partition 0 Leader $new\$" "$tmp/$n.P" &&
       grep -q "partition 0, leader $new," "$tmp/$n.L" &&
       grep -q '^ 2 brokers:' "$tmp/$n.L" && ! grep -q "^  broker $old at" "$tmp/$n.L"; then
        ok "$n: leader $old killed mid-produce; kcat found the new leader $new and delivered everything; kcat -L lists the 2 live brokers"
    else
        fail "$n: -P exit $prc; leader $old -> '$new' not what kcat reports"
        grep 'Leader\|Delivery\|ERROR' "$tmp/$n.P" | tail -n 6 | sed 's/^/      kcat: /'
        grep 'broker' "$tmp/$n.L" | sed 's/^/      kcat -L: /'
    fi
    # idempotence is off: a retried batch may be in the log twice, but
    # every record is there
    sort -u "$tmp/$n.out" >"$tmp/$n.u"
    sort "$tmp/kcat.in" >"$tmp/$n.in"
    if cmp -s "$tmp/$n.u" "$tmp/$n.in"; then
        ok "$n: kcat -C -e reads every one of the 1,000 records from the new leader"
    else
        fail "$n: $(wc -l <"$tmp/$n.u") distinct records read back of 1000"
        diff "$tmp/$n.in" "$tmp/$n.u" | head -n 6 | sed 's/^/      diff: /'
        tail -n 4 "$tmp/$n.Cerr" | sed 's/^/      kcat -C: /'
    fi
    # KRaft: the headless log says who fenced the dead leader and why, as
    # ZooKeeper mode's says its session expired
    case "$n" in *kraft*)
        if grep -q "ctl[0-9] fences broker $old: its session timed out (no heartbeat for more than 9000 ms)" \
               "$tmp/$n.lab" &&
           [ "$(grep -c 'ctl[0-9] unfences broker 10[123]: it has caught up with the metadata log' "$tmp/$n.lab")" -ge 3 ]; then
            ok "$n: the lab's log says the controller unfenced each broker, then fenced $old: its session timed out"
        else
            fail "$n: no 'fences broker $old' line, or fewer than 3 'unfences' lines, in the lab's log"
        fi ;;
    esac
    kcat_lab_ok "$n" "$lrc"
    replay "$n"             # (replay sets n: last)
}

# kcat_add_broker OFFSET: a broker added after --listen started gets the
# next port (base + its index) and the Metadata answers name it there
kcat_add_broker() {
    n=kcat_add_broker
    start_lab "$n" 40 "$1"
    kp=$((port + 30))
    kcat_wait "$((kp + 2))" t &&
        timeout 10 "$kcat_bin" -b "127.0.0.1:$((kp + 2))" -L -t t >"$tmp/$n.L" 2>&1
    wait "$lab"
    lrc=$?
    if grep -q "^listening for ZooKeeper clients on 127.0.0.1:$port-$port, Kafka clients on 127.0.0.1:$kp-$((kp + 1));" \
           "$tmp/$n.lab" &&
       grep -q "^broker 103's Kafka port: 127.0.0.1:$((kp + 2))\$" "$tmp/$n.lab" &&
       grep -q "from broker 103: 127.0.0.1:$((kp + 2))/103" "$tmp/$n.L" &&
       grep -q "^  broker 103 at 127.0.0.1:$((kp + 2))\$" "$tmp/$n.L" &&
       grep -q '^ 3 brokers:' "$tmp/$n.L"; then
        ok "$n: the added broker 103 listens on the next port, $((kp + 2)); kcat -L through it lists it there"
    else
        fail "$n: the added broker 103 has no port of its own, or Metadata names another"
        grep '^listening\|^broker' "$tmp/$n.lab" | sed 's/^/      lab: /'
        sed 's/^/      kcat -L: /' "$tmp/$n.L" 2>/dev/null | head -n 8
    fi
    kcat_lab_ok "$n" "$lrc"
    replay "$n"
}

if [ -z "$kcat_bin" ]; then
    echo "  skip - kcat: kcat is not installed (scripts/install-deps.sh installs it)"
else
    kcat_basic kcat 50
    kcat_failover kcat_failover 60
    kcat_basic kcat_kraft 80
    kcat_failover kcat_kraft_failover 90
    kcat_add_broker 100
fi
