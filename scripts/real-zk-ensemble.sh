#!/usr/bin/env bash
# real-zk-ensemble.sh: run a REAL ZooKeeper ensemble on loopback, to compare
# with the lab. Needs Debian's zookeeper package (apt-get install zookeeper
# netcat-openbsd) or any ZooKeeper whose jars are given in ZK_CLASSPATH.
#
#   real-zk-ensemble.sh start N [TICK_MS]  write configs for servers 1..N and
#                                          start them all (N in 1..9)
#   real-zk-ensemble.sh up ID...           start these servers again
#   real-zk-ensemble.sh down ID...         stop these servers (SIGTERM)
#   real-zk-ensemble.sh kill ID...         kill -9 these servers (a crash)
#   real-zk-ensemble.sh pause ID...        SIGSTOP: frozen, connections open
#   real-zk-ensemble.sh resume ID...       SIGCONT
#   real-zk-ensemble.sh status             Mode and Zxid of every server
#   real-zk-ensemble.sh wait-leader [SEC]  wait (bounded) until one leads
#   real-zk-ensemble.sh cli ID ARGS...     zkCli against server ID; a one-shot
#                                          command leaves its session open
#                                          until it expires (a txn then), so
#                                          pipe commands in and end with quit
#                                          for one session closed at once
#   real-zk-ensemble.sh stop               stop every server and say where
#                                          the data is (rm -rf it yourself)
#
# Server i listens on 127.0.0.1 only: client port 2180+i, quorum port
# 28880+i, election port 38880+i, its own dataDir DIR/data/i, its log in
# DIR/log/i.log. DIR is $QL_ZK_DIR or /tmp/quorumlab-zk. Only processes whose
# pid this script recorded, and whose command line names its own config, are
# ever signalled. Every wait is bounded.
set -u

DIR=${QL_ZK_DIR:-/tmp/quorumlab-zk}
CP=${ZK_CLASSPATH:-/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar}
MAIN=org.apache.zookeeper.server.quorum.QuorumPeerMain

die() { echo "real-zk-ensemble: $*" >&2; exit 1; }

need_tools() {
    command -v java >/dev/null || die "java not found (apt-get install zookeeper)"
    command -v nc >/dev/null || die "nc not found (apt-get install netcat-openbsd)"
    [ -r "${CP%%:*}" ] || die "no ZooKeeper jar at ${CP%%:*} (set ZK_CLASSPATH)"
}

valid_id() { [[ "$1" =~ ^[1-9]$ ]] || die "bad server id '$1' (1..9)"; }

# pid of server $1 if it is running and is ours, else nothing.
live_pid() {
    local f="$DIR/pid/$1" pid
    [ -r "$f" ] || return 1
    pid=$(cat "$f")
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    # The pid could have been reused: check it is our server for this id.
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$DIR/conf/$1.cfg" || return 1
    echo "$pid"
}

four() { # four-letter word $2 to server $1; empty if it does not answer
    echo "$2" | nc -w 2 127.0.0.1 $((2180 + $1)) 2>/dev/null
}

write_configs() { # N TICK
    local n=$1 tick=$2 i j
    mkdir -p "$DIR/conf" "$DIR/pid" "$DIR/log"
    for i in $(seq 1 "$n"); do
        mkdir -p "$DIR/data/$i"
        echo "$i" > "$DIR/data/$i/myid"
        {
            echo "tickTime=$tick"
            echo "initLimit=10"
            echo "syncLimit=5"
            echo "dataDir=$DIR/data/$i"
            echo "clientPort=$((2180 + i))"
            echo "clientPortAddress=127.0.0.1"
            echo "4lw.commands.whitelist=*"
            echo "admin.enableServer=false"
            echo "standaloneEnabled=false"
            for j in $(seq 1 "$n"); do
                echo "server.$j=127.0.0.1:$((28880 + j)):$((38880 + j))"
            done
        } > "$DIR/conf/$i.cfg"
    done
    echo "$n" > "$DIR/size"
}

up_one() {
    local id=$1
    valid_id "$id"
    [ -r "$DIR/conf/$id.cfg" ] || die "no config for server $id (run start N first)"
    if live_pid "$id" >/dev/null; then echo "server $id already running"; return; fi
    # setsid: the server must outlive this script and not share its signals.
    setsid java -Xmx192m -Dorg.slf4j.simpleLogger.showDateTime=true \
        -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
        -cp "$CP" "$MAIN" "$DIR/conf/$id.cfg" \
        >> "$DIR/log/$id.log" 2>&1 < /dev/null &
    echo $! > "$DIR/pid/$id"
    echo "server $id started (pid $!, client port $((2180 + id)))"
}

signal_one() { # SIG ID
    local pid k
    valid_id "$2"
    pid=$(live_pid "$2") || { echo "server $2 not running"; return; }
    kill "-$1" "$pid"
    kill -CONT "$pid" 2>/dev/null   # a paused server must run to act on TERM
    for k in $(seq 1 50); do # at most 10 s
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid"
        echo "server $2 did not stop on $1; killed"
    else
        echo "server $2 stopped ($1)"
    fi
    rm -f "$DIR/pid/$2"
}

status() {
    local n i out mode zxid pid
    n=$(cat "$DIR/size" 2>/dev/null) || die "no ensemble in $DIR"
    for i in $(seq 1 "$n"); do
        if ! pid=$(live_pid "$i"); then echo "server $i: down"; continue; fi
        if [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = T ]; then
            echo "server $i: paused (SIGSTOP)"; continue
        fi
        out=$(four "$i" srvr); [ -n "$out" ] || out=$(four "$i" srvr)
        mode=$(sed -n 's/^Mode: //p' <<< "$out")
        zxid=$(sed -n 's/^Zxid: //p' <<< "$out")
        if [ -n "$mode" ]; then
            echo "server $i: $mode zxid $zxid"
        elif grep -q "not currently serving" <<< "$out"; then
            echo "server $i: not serving (LOOKING)"
        else
            echo "server $i: running, no answer yet"
        fi
    done
}

wait_leader() { # bounded by $1 seconds (default 30)
    local limit=${1:-30} n i k
    n=$(cat "$DIR/size" 2>/dev/null) || die "no ensemble in $DIR"
    for k in $(seq 1 $((limit * 10))); do
        for i in $(seq 1 "$n"); do
            if four "$i" srvr | grep -q '^Mode: leader'; then
                echo "server $i leads after ~$((k / 10)).$((k % 10)) s"; return 0
            fi
        done
        sleep 0.1
    done
    echo "no leader within $limit s"; return 1
}

cmd=${1:-}; shift || true
case "$cmd" in
start)
    need_tools
    n=${1:-3}; tick=${2:-2000}
    [[ "$n" =~ ^[1-9]$ ]] || die "N must be 1..9"
    [[ "$tick" =~ ^[0-9]+$ ]] || die "TICK_MS must be a number"
    for i in $(seq 1 9); do
        live_pid "$i" >/dev/null && die "server $i is still running: stop first"
    done
    [ -e "$DIR/data" ] && die "$DIR/data exists: rm -rf $DIR for a fresh ensemble"
    write_configs "$n" "$tick"
    for i in $(seq 1 "$n"); do up_one "$i"; done
    ;;
up) need_tools; for i in "$@"; do up_one "$i"; done ;;
down) for i in "$@"; do signal_one TERM "$i"; done ;;
kill) for i in "$@"; do signal_one KILL "$i"; done ;;
pause|resume)
    sig=STOP; [ "$cmd" = resume ] && sig=CONT
    for i in "$@"; do
        valid_id "$i"
        if pid=$(live_pid "$i"); then kill -"$sig" "$pid"; echo "server $i: SIG$sig"
        else echo "server $i not running"; fi
    done
    ;;
status) status ;;
wait-leader) wait_leader "${1:-30}" ;;
cli)
    need_tools
    id=${1:-}; valid_id "$id"; shift
    java -cp "$CP" org.apache.zookeeper.ZooKeeperMain \
        -server "127.0.0.1:$((2180 + id))" "$@" 2>/dev/null
    ;;
stop)
    for i in $(seq 1 9); do
        live_pid "$i" >/dev/null && signal_one TERM "$i"
    done
    echo "all servers stopped; data left in $DIR"
    ;;
*) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 2 ;;
esac
