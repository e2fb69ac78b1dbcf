# Shared by the tmux end-to-end suites (e2e.sh, truthful.sh, teach.sh,
# e2e_msgs.sh, lesson_keys.sh, abuse.sh): source it after setting SUITE,
# BUILD and BIN. It skips the suite when tmux is missing, fails it when
# the binary is, and gives every suite its own tmux server, a temporary
# folder $TMP, the counters and the screen helpers below.
passed=0
failed=0

if ! command -v tmux >/dev/null 2>&1; then
    echo "  skip - tmux is not installed (scripts/install-deps.sh installs it)"
    echo "0 passed, 0 failed"
    exit 0
fi
if [ ! -x "$BIN" ]; then
    echo "$SUITE: $BIN is missing"
    echo "0 passed, 1 failed"
    exit 1
fi

SOCK=quorumlab-$SUITE-$$
TMP=$(mktemp -d)
T="tmux -L $SOCK -f /dev/null"
# kill-server leaves its socket file behind: remove it too
SOCKFILE=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK
# The helpers' own variables start with _t: a helper that set n, s or
# name changed the caller's (keys set s, so lesson 3's "for s in 2 3"
# waited for "step 03_bootstrap/6" until its timeout, 40 s a run).
# the dashboards the sessions run: the children of each pane's shell
pane_kids() {
    for _tp in $($T list-panes $1 -F '#{pane_pid}' 2>/dev/null); do
        pgrep -P "$_tp" 2>/dev/null
    done
}
# reap PID...: wait up to 10 s for each to end after its session closed,
# then kill it and say so. An ASan build's leak check at exit was seen to
# spin forever after a hangup (its tracer child waiting), a core each,
# slowing every later case: never leave one running.
reap() {
    for _tpid in "$@"; do
        _tn=100
        while kill -0 "$_tpid" 2>/dev/null && [ "$_tn" -gt 0 ]; do sleep 0.1; _tn=$((_tn - 1)); done
        if kill -0 "$_tpid" 2>/dev/null; then
            echo "  note: pid $_tpid ($SUITE) still ran 10 s after its session closed: killed"
            pkill -9 -P "$_tpid" 2>/dev/null
            kill -9 "$_tpid" 2>/dev/null
        fi
    done
}
# end_session NAME: close one session, its dashboard reaped
end_session() {
    _tkids=$(pane_kids "-t =$1:")
    $T kill-session -t "=$1" >/dev/null 2>&1
    reap $_tkids
}
trap '_tkids=$(pane_kids -a); $T kill-server >/dev/null 2>&1; reap $_tkids; rm -rf "$TMP"; rm -f "$SOCKFILE"' EXIT
# an interrupted suite stops (the EXIT trap cleans up) instead of going on
trap 'exit 1' INT TERM
# ASan builds are slower: give every wait more room there
# every wait polls the screen and ends as soon as it shows what it waits
# for, so room costs nothing when the machine is fast: a 2-core CI
# machine busy with other builds gets twice the time, ASan builds six
case "$BUILD" in *asan*) SLOW=6 ;; *) SLOW=2 ;; esac

ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() {
    failed=$((failed + 1)); echo "  FAIL $1"
    if [ -n "${2:-}" ]; then
        echo "  --- screen of $2:"; $T capture-pane -p -t "=$2:" 2>/dev/null | sed 's/^/  |/'
    fi
}

# start NAME W H ARGS...: the dashboard in a fresh tmux session
start() {
    _tname=$1 _tw=$2 _th=$3; shift 3
    $T new-session -d -s "$_tname" -x "$_tw" -y "$_th" \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color $BIN $*; echo \"exited \$?\"; sleep 600"
}
# "=NAME:" is the session NAME exactly: a bare name can also match a
# window named after its command (b matched "bash")
screen() { $T capture-pane -p -t "=$1:"; }
# ran_out WAIT NAME WHAT SECONDS: a wait that saw nothing says so on
# stderr, so a failing suite's log shows which wait decided it, and a
# wait that runs out on every run (a wasted timeout) can be found
ran_out() { echo "  (ran out: $1 $2 '$3' after $4 s x$SLOW)" >&2; return 1; }
# wait_for NAME TEXT [SECONDS]: true once the screen shows TEXT
wait_for() {
    _tn=$(( ${3:-10} * SLOW * 10 ))
    while [ "$_tn" -gt 0 ]; do
        screen "$1" | grep -qF -- "$2" && return 0
        sleep 0.1
        _tn=$((_tn - 1))
    done
    ran_out wait_for "$1" "$2" "${3:-10}"
}
# wait_gone NAME TEXT [SECONDS]: true once the screen no longer shows TEXT
wait_gone() {
    _tn=$(( ${3:-10} * SLOW * 10 ))
    while [ "$_tn" -gt 0 ]; do
        screen "$1" | grep -qF -- "$2" || return 0
        sleep 0.1
        _tn=$((_tn - 1))
    done
    ran_out wait_gone "$1" "$2" "${3:-10}"
}
# grid_leader orders-0 < SCREEN: the broker id whose grid cell says LEAD
# (4 brokers, 101..104), empty when none
grid_leader() {
    grep -oE "$1 +((\.|isr|out|LEAD) +){3}(\.|isr|out|LEAD)" | head -n 1 |
        awk '{ for (i = 2; i <= NF; i++) if ($i == "LEAD") print 99 + i }'
}
# part_leader NAME orders-0: the same on NAME's screen now
part_leader() { screen "$1" | grid_leader "$2"; }
# sim_ms < SCREEN: the simulated time the header shows, in ms
sim_ms() { head -n 1 | sed -nE 's/.* t=([0-9]+)\.([0-9]{3})s .*/\1 \2/p' | awk '{ print $1 * 1000 + $2 }'; }
# wait_leader_not NAME PART OLD SECONDS: a leader other than OLD shows
wait_leader_not() {
    _tn=$(( $4 * SLOW * 10 ))
    while [ "$_tn" -gt 0 ]; do
        _tl=$(part_leader "$1" "$2")
        [ -n "$_tl" ] && [ "$_tl" != "$3" ] && return 0
        sleep 0.1
        _tn=$((_tn - 1))
    done
    ran_out wait_leader_not "$1" "$2 not $3" "$4"
}
# the line of the ensemble panel for server $2
server_line() { screen "$1" | grep -E "^[ >]$2 " | head -n 1; }
leader() { screen "$1" | grep -E '^[ >]zk[0-9]+ +LEADING' | head -n 1 | sed -E 's/^[ >](zk[0-9]+).*/\1/'; }
keys() { _ts=$1; shift; $T send-keys -t "=$_ts:" "$@"; }
typed() { $T send-keys -t "=$1:" -l "$2"; }
# wait_re NAME REGEX [SECONDS]: true once the screen matches REGEX
wait_re() {
    _tn=$(( ${3:-10} * SLOW * 10 ))
    while [ "$_tn" -gt 0 ]; do
        screen "$1" | grep -qE -- "$2" && return 0
        sleep 0.1
        _tn=$((_tn - 1))
    done
    ran_out wait_re "$1" "$2" "${3:-10}"
}
# wait_count NAME TEXT N [SECONDS]: true once N lines show TEXT
wait_count() {
    _tn=$(( ${4:-10} * SLOW * 10 ))
    while [ "$_tn" -gt 0 ]; do
        [ "$(screen "$1" | grep -cF -- "$2")" -ge "$3" ] && return 0
        sleep 0.1
        _tn=$((_tn - 1))
    done
    ran_out wait_count "$1" "$2 x$3" "${4:-10}"
}
has() { screen "$1" | grep -qF -- "$2"; }
# next_step NAME K [SECONDS]: at lesson step K, once it waits for n, press
# n and wait for step K+1. A key decided on "press n to go on" alone can
# land on the frame the last n already left: two n in a row then skip a
# step, its question or its task (lesson 10's case failed so under load).
next_step() {
    wait_re "$1" "step $2/|(^|[^0-9])$2/[0-9]+단계" "${3:-15}" &&
        wait_re "$1" "waiting: press n to go on|대기 중: n을 누르면 계속합니다" "${3:-15}" &&
        keys "$1" n &&
        wait_re "$1" "step $(($2 + 1))/|(^|[^0-9])$(($2 + 1))/[0-9]+단계" "${3:-15}"
}
