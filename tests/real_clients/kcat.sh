# The kcat cases of tests/suites/real_clients.sh (sourced: start_lab,
# replay, ok, fail, $tmp come from there). Debian's kcat 1.7 with
# librdkafka 2.0 talks to the lab's brokers on 127.0.0.1 (--kafka-port).
kcat_bin=$(command -v kcat || true)

# kcat_wait PORT TOPIC: until the broker on PORT lists TOPIC (bounded)
kcat_wait() {
    for _ in $(seq 1 60); do
        timeout 5 "$kcat_bin" -b "127.0.0.1:$1" -L -t "$2" 2>/dev/null |
            grep -q "topic \"$2\" with" && return 0
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

kcat_basic() {
    start_lab kcat 120 50
    kp=$((port + 30))
    prc=1 crc=1
    seq 1 1000 | sed 's/^/rec-/' >"$tmp/kcat.in"
    if kcat_wait "$kp" t; then
        timeout 10 "$kcat_bin" -b "127.0.0.1:$kp" -L -t t >"$tmp/kcat.L" 2>&1
        kcat_hostile "$kp"
        timeout 60 "$kcat_bin" -b "127.0.0.1:$kp" -P -t t -p 0 -X acks=all \
            <"$tmp/kcat.in" 2>"$tmp/kcat.P"
        prc=$?
        timeout 30 "$kcat_bin" -b "127.0.0.1:$kp" -C -t t -p 0 -o beginning -e -q \
            >"$tmp/kcat.out" 2>"$tmp/kcat.C"
        crc=$?
    fi
    wait "$lab"
    lrc=$?
    sed -n 's/^lab: //p' "$tmp/kcat.lab" >"$tmp/kcat.want"
    sed -n 's/^ *\(partition [0-9]*, leader .*\)$/\1/p' "$tmp/kcat.L" >"$tmp/kcat.got"
    if [ -s "$tmp/kcat.want" ] && cmp -s "$tmp/kcat.want" "$tmp/kcat.got" &&
       grep -q '^ 3 brokers:' "$tmp/kcat.L" &&
       grep -q "broker 101 at 127.0.0.1:$kp" "$tmp/kcat.L"; then
        ok "kcat: kcat -L lists 3 brokers on 127.0.0.1 and each partition's leader, replicas and ISR as lab.partition does"
    else
        fail "kcat: kcat -L differs from lab.partition"
        sed 's/^/      kcat -L: /' "$tmp/kcat.L" | head -n 12
        sed 's/^/      lab: /' "$tmp/kcat.want"
    fi
    if [ "$prc" -eq 0 ] && [ "$crc" -eq 0 ] && cmp -s "$tmp/kcat.in" "$tmp/kcat.out"; then
        ok "kcat: kcat -P sent 1,000 records with acks=all, kcat -C -e read the same 1,000 back in order"
    else
        fail "kcat: -P exit $prc, -C exit $crc, $(wc -l <"$tmp/kcat.out" 2>/dev/null) records read"
        tail -n 4 "$tmp/kcat.P" "$tmp/kcat.C" | sed 's/^/      kcat: /'
    fi
    if ! [ -x "$py" ]; then
        echo "  skip - kcat: hostile frames need python3"
    elif [ "$(grep -c '^closed$' "$tmp/kcat.hostile")" -eq 4 ] &&
       grep -q 'connection closed: a frame size of 1195725856' "$tmp/kcat.lab" &&
       grep -q 'connection closed: a frame size of 2147483647' "$tmp/kcat.lab" &&
       grep -q 'connection closed: an unknown API (key 77) v0 is not served' "$tmp/kcat.lab" &&
       grep -q 'connection closed: Fetch (key 1) v11 is not served' "$tmp/kcat.lab" &&
       grep -q 'connection closed: EOF from the client, in the middle of a frame' "$tmp/kcat.lab"; then
        ok "kcat: garbage, a 2 GB size, API key 77, Fetch v11 and a cut frame each closed their connection with a line in the log, and kcat went on"
    else
        fail "kcat: a hostile frame was not closed with its log line"
        sed 's/^/      client: /' "$tmp/kcat.hostile"
        grep 'real Kafka client' "$tmp/kcat.lab" | grep closed | tail -n 8 | sed 's/^/      lab: /'
    fi
    kcat_lab_ok kcat "$lrc"
    replay kcat
}

kcat_failover() {
    start_lab kcat_failover 150 60
    kp=$((port + 30))
    prc=1
    brokers="127.0.0.1:$kp,127.0.0.1:$((kp + 1)),127.0.0.1:$((kp + 2))"
    if kcat_wait "$kp" k; then
        # slowly enough (about 13 s) that the lab kills the leader midway
        i=1
        while [ "$i" -le 1000 ]; do echo "rec-$i"; i=$((i + 1)); sleep 0.01; done |
            timeout 100 "$kcat_bin" -b "$brokers" -P -t k -p 0 -X acks=all -X linger.ms=0 \
                -X debug=topic 2>"$tmp/kf.P"
        prc=$?
        timeout 10 "$kcat_bin" -b "$brokers" -L -t k >"$tmp/kf.L" 2>&1
        timeout 30 "$kcat_bin" -b "$brokers" -C -t k -p 0 -o beginning -e -q >"$tmp/kf.out" 2>"$tmp/kf.Cerr"
    fi
    wait "$lab"
    lrc=$?
    old=$(sed -n 's/^leader before: //p' "$tmp/kcat_failover.lab")
    new=$(sed -n 's/^leader after: //p' "$tmp/kcat_failover.lab")
    if [ "$prc" -eq 0 ] && [ -n "$new" ] && [ "$new" != "$old" ] &&
       grep -q "Topic k partition 0 Leader $new\$" "$tmp/kf.P" &&
       grep -q "partition 0, leader $new," "$tmp/kf.L"; then
        ok "kcat_failover: leader $old killed mid-produce; kcat found the new leader $new and delivered everything"
    else
        fail "kcat_failover: -P exit $prc; leader $old -> '$new' not what kcat reports"
        grep 'Leader\|Delivery\|ERROR' "$tmp/kf.P" | tail -n 6 | sed 's/^/      kcat: /'
    fi
    # idempotence is off: a retried batch may be in the log twice, but
    # every record is there
    sort -u "$tmp/kf.out" >"$tmp/kf.u"
    sort "$tmp/kcat.in" >"$tmp/kf.in"
    if cmp -s "$tmp/kf.u" "$tmp/kf.in"; then
        ok "kcat_failover: kcat -C -e reads every one of the 1,000 records from the new leader"
    else
        fail "kcat_failover: $(wc -l <"$tmp/kf.u") distinct records read back of 1000"
        diff "$tmp/kf.in" "$tmp/kf.u" | head -n 6 | sed 's/^/      diff: /'
        tail -n 4 "$tmp/kf.Cerr" | sed 's/^/      kcat -C: /'
    fi
    kcat_lab_ok kcat_failover "$lrc"
    replay kcat_failover
}

if [ -z "$kcat_bin" ]; then
    echo "  skip - kcat: kcat is not installed (scripts/install-deps.sh installs it)"
else
    kcat_basic
    kcat_failover
fi
