#!/bin/sh
# The dashboard leaves when its terminal goes away or it is told to stop:
# a closed tmux (hangup, then a dead pty) or SIGTERM, in the picker, the
# sandbox and a lesson. Before this was checked, dashboards whose tmux had
# been killed spun at full speed for hours. Usage: hangup.sh BUILD_DIR
set -u
build=${1:-build}
cd "$(dirname "$0")/../.."
passed=0
failed=0
sock="quorumlab-hup-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null' EXIT
for tool in tmux pgrep ps; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "  skip - $tool is not installed (scripts/install-deps.sh installs it)"
        echo "0 passed, 0 failed"
        exit 0
    fi
done

# pid of the dashboard started with a unique seed (not its shell wrapper)
dash_pid() {
    for p in $(pgrep -f -- "--seed $1\$"); do
        [ "$(ps -o comm= -p "$p")" = quorumlab ] && echo "$p"
    done | head -n 1
}

# waits up to $2 tenths of a second for pid $1 to be gone (or a zombie)
gone() {
    i=0
    while [ "$i" -lt "$2" ]; do
        st=$(ps -o stat= -p "$1" 2>/dev/null)
        case "$st" in ""|Z*) return 0 ;; esac
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

check() {   # how, mode args, seed
    how=$1; args=$2; seed=$3
    tmux -L "$sock" new -d -s t -x 100 -y 30 "$build/quorumlab $args --seed $seed"
    pid=""
    i=0
    while [ -z "$pid" ] && [ "$i" -lt 100 ]; do sleep 0.1; pid=$(dash_pid "$seed"); i=$((i + 1)); done
    sleep 1
    if [ -z "$pid" ]; then
        failed=$((failed + 1)); echo "  FAIL - $how ($args): did not start"; return
    fi
    case "$how" in
        hangup) tmux -L "$sock" kill-server ;;
        term) kill -TERM "$pid" ;;
    esac
    if gone "$pid" 100; then
        passed=$((passed + 1)); echo "  ok   - $how ($args): the dashboard left"
    else
        failed=$((failed + 1)); echo "  FAIL - $how ($args): still running"
        kill -9 "$pid" 2>/dev/null
    fi
    tmux -L "$sock" kill-server 2>/dev/null
}

base=$((90000 + $$ % 1000 * 10))
check hangup "" $((base + 1))
check hangup "--sandbox" $((base + 2))
check hangup "lessons/05_odd_ensembles.lua" $((base + 3))
check term "" $((base + 4))
check term "--sandbox" $((base + 5))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
