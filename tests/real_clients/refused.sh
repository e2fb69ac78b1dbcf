# The refused case of tests/suites/real_clients.sh (sourced: start_lab,
# replay, ok, fail, $tmp, $py come from there). tests/real_clients/
# refused.lua crashes zk3 and broker 103 and pauses zk2: a real client
# must meet ECONNREFUSED on the dead ones, as from a dead ZooKeeper or
# Kafka process (the lab used to accept and then reset: kcat called it
# "Disconnected while requesting ApiVersion: ... SSL listener?", and
# `echo srvr | nc` printed nothing), an accepted connection and no answer
# on the paused one, and zk3 serving again once restarted.

# srvr_of PORT: what srvr gets from the server on PORT (empty: nothing)
srvr_of() { echo srvr | timeout 3 nc -q 2 127.0.0.1 "$1" 2>/dev/null; }
# refused PORT: true when a connect to PORT is refused (Python's socket,
# what kazoo's connection uses underneath)
refused() {
    "$py" -c 'import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2).close()
except ConnectionRefusedError:
    sys.exit(0)
sys.exit(1)' "$1"
}

refused_case() {
    if ! command -v nc >/dev/null 2>&1 || ! [ -x "$py" ]; then
        echo "  skip - refused: nc or $py is missing"
        return 0
    fi
    start_lab refused 60 70
    z2=$((port + 1)) z3=$((port + 2)) k3=$((port + 32))
    up=no gone=no
    for _ in $(seq 1 40); do srvr_of "$z3" | grep -q '^Mode:' && { up=yes; break; }; sleep 0.1; done
    for _ in $(seq 1 100); do refused "$z3" && { gone=yes; break; }; sleep 0.1; done
    if [ "$up" = yes ] && [ "$gone" = yes ] && refused "$k3" &&
       ! nc -z -w 2 127.0.0.1 "$z3" && [ -z "$(srvr_of "$z3")" ]; then
        ok "refused: a crashed zk3's and broker 103's ports refuse the connection (nc -z, a socket)"
    else
        fail "refused: zk3 answered at first: $up; refused once crashed: $gone"
    fi
    if command -v kcat >/dev/null 2>&1; then
        timeout 10 kcat -b "127.0.0.1:$k3" -L -m 3 >"$tmp/refused.kcat" 2>&1
        if grep -q 'Connection refused' "$tmp/refused.kcat" &&
           ! grep -q 'SSL listener' "$tmp/refused.kcat"; then
            ok "refused: kcat on the crashed broker 103: Connection refused"
        else
            fail "refused: kcat on the crashed broker 103"
            head -n 4 "$tmp/refused.kcat" | sed 's/^/      kcat: /'
        fi
    fi
    if nc -z -w 2 127.0.0.1 "$z2" && [ -z "$(srvr_of "$z2")" ]; then
        ok "refused: a paused zk2 accepts the connection (its kernel does) and answers nothing"
    else
        fail "refused: the paused zk2"
    fi
    back=no
    for _ in $(seq 1 150); do srvr_of "$z3" | grep -q '^Mode:' && { back=yes; break; }; sleep 0.1; done
    wait "$lab"
    lrc=$?
    if [ "$back" = yes ] && [ "$lrc" -eq 0 ] && grep -q 'passed, 0 failed' "$tmp/refused.lab"; then
        ok "refused: zk3 restarted serves srvr again; the lab's checks passed"
    else
        fail "refused: zk3 back: $back; lab exit $lrc"
        tail -n 8 "$tmp/refused.lab" | sed 's/^/      lab: /'
    fi
    replay refused
}
