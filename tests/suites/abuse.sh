#!/bin/sh
# The dashboard under abuse, end to end in tmux: a seeded storm of random
# keys (letters, digits, arrows, F-keys, paging, Tab, Enter, Escape,
# Backspace, control bytes, ':' commands of random text with Korean and
# broken UTF-8, mouse-like escape sequences) for ABUSE_SECONDS of wall
# time; a storm of resizes between 1x1 and 200x60; tiny terminals; the C
# and POSIX locales (no UTF-8: English and ASCII only, and a message that
# says so); TERM=vt100 (no colours) and TERM=dumb, unknown or unset (one
# line and exit 2). After each: the program is alive, the screen holds no
# escape debris, replacement characters or meta-escapes (~X), the header
# and footer are intact, q quits with status 0, and stderr stayed empty
# (so under build/asan: AddressSanitizer, LeakSanitizer and UBSan found
# nothing).
#   usage: tests/suites/abuse.sh BUILD_DIR     (prints "N passed, N failed" last)
#   ABUSE_SECONDS=N shortens or lengthens the key storm; ABUSE_SEED=N
#   changes its keys (the seed is printed, so a failing storm replays).
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BIN=$BUILD/quorumlab
SUITE=abuse
# the shared set-up: skip without tmux, its own server, $TMP, screen,
# keys, wait_for, wait_re, ok and bad (redefined below to show stderr)
. tests/lib/tmux.sh
# Under ASan every key costs about three times as much, so waits get room
# (tmux.sh's SLOW). Its storm is shorter (20 s): the sanitizers look for
# memory errors along the key paths, which the seeded storm's first
# thousands of keys already walk; the minute of wall time (queues filling,
# the world running on while keys pour in) is the normal build's job, and
# `make test` stays under about three minutes for this suite.
case "$BUILD" in
*asan*) SECONDS_DEFAULT=20 ;;
*) SECONDS_DEFAULT=60 ;;
esac
ABUSE_SECONDS=${ABUSE_SECONDS:-$SECONDS_DEFAULT}
ABUSE_SEED=${ABUSE_SEED:-20240611}
SAN="ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1"

bad() {
    failed=$((failed + 1)); echo "  FAIL $1"
    if [ -n "${2:-}" ]; then
        echo "  --- screen of $2:"; screen "$2" 2>/dev/null | sed 's/^/  |/'
        if [ -s "$TMP/$2.err" ]; then
            echo "  --- stderr of $2:"; head -n 40 "$TMP/$2.err" | sed 's/^/  !/'
        fi
    fi
}

# The runner records the program's pid (exec keeps it) and sends its
# stderr to a file, so the suite can ask whether it is alive and what
# the sanitizers said.
cat >"$TMP/run" <<'EOF'
#!/bin/sh
name=$1 dir=$2; shift 2
echo $$ >"$dir/$name.pid"
exec "$@" 2>"$dir/$name.err"
EOF
chmod +x "$TMP/run"

# start NAME W H "ENV..." ARGS...: the dashboard in a fresh tmux session,
# through the runner (tmux.sh's start has no environment or pid)
start() {
    name=$1 w=$2 h=$3 envs=$4; shift 4
    rm -f "$TMP/$name.pid" "$TMP/$name.err"
    $T new-session -d -s "$name" -x "$w" -y "$h" \
        "$TMP/run $name $TMP env $envs $SAN $BIN $*; echo \"exited \$?\"; sleep 600"
    n=50
    while [ ! -s "$TMP/$name.pid" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
}
alive() { p=$(cat "$TMP/$1.pid" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
# clean NAME: nothing on screen a terminal would show for bytes the program
# did not mean to draw: control characters, escape debris (^[), U+FFFD, or
# curses' ~-notation for bytes a non-UTF-8 locale cannot show
clean() {
    screen "$1" >"$TMP/scr" || return 1
    if LC_ALL=C tr -d '\n' <"$TMP/scr" | LC_ALL=C grep -q '[[:cntrl:]]'; then
        echo "  (control characters on screen)"; return 1
    fi
    if grep -qF -e '^[' -e "$(printf '\357\277\275')" "$TMP/scr"; then
        echo "  (escape debris or U+FFFD on screen)"; return 1
    fi
    if grep -qE '~[@A-Z^_]|~\[|~\\' "$TMP/scr"; then
        echo "  (~-escapes on screen)"; return 1
    fi
    return 0
}
ascii_only() { ! screen "$1" | LC_ALL=C grep -q '[^ -~]'; }
HEADER='^ quorumlab  (sandbox|lesson) +t=[0-9.]+s  speed [0-9.]+x  (RUNNING|PAUSED)  seed [0-9]+'
header_ok() { screen "$1" | head -n 1 | grep -qE -- "$HEADER"; }
footer_ok() { screen "$1" | tail -n 1 | grep -qE -- '^(Tab select|Tab 선택) '; }
# err_clean NAME: stderr empty (no sanitizer report, no stray output)
err_clean() { [ ! -s "$TMP/$1.err" ]; }
# quit NAME: Escape leaves a prompt, overlay or the tree; then q
quit_ok() {
    keys "$1" Escape; sleep 0.3; keys "$1" Escape; sleep 0.3
    keys "$1" q
    wait_for "$1" "exited 0" 15
}
# finish NAME WHAT: q quits with 0 and stderr is empty
finish() {
    if quit_ok "$1"; then ok "$2: q quits with status 0"
    else bad "$2: q quits with status 0" "$1"; fi
    if err_clean "$1"; then ok "$2: stderr empty (no sanitizer report)"
    else bad "$2: stderr empty" "$1"; fi
}

# The storm's keys, drawn by awk from a seed: one tmux command line per
# burst, named keys and raw bytes (send-keys -H) mixed. Never q, Q or
# C-c, which quit (a quit during the storm is what the test would catch
# as a death); ESC is followed by a pause-worthy key only when harmless.
storm_lines() {
    awk -v seed="$1" -v n="$2" -v tgt="=$3:" '
    function hex(s,   i, out) {   # ASCII text -> hex bytes
        out = ""
        for (i = 1; i <= length(s); i++) out = out " " sprintf("%02x", ord[substr(s, i, 1)])
        return out
    }
    function pick(list,   a, k) { k = split(list, a, " "); return a[int(rand() * k) + 1] }
    BEGIN {
        srand(seed)
        for (i = 32; i < 127; i++) ord[sprintf("%c", i)] = i
        named = "Up Down Left Right Tab BTab Enter Escape BSpace PPage NPage Home End IC DC " \
                "F1 F2 F3 F4 F5 F6 F7 F8 F9 F10 F11 F12 Space C-a C-b C-d C-e C-g C-h C-k " \
                "C-l C-n C-o C-s C-q C-u C-w C-x C-z M-a M-x"
        letters = "a b d e f g h i j k l m n o p r s t u v w x y z A B K R S 0 1 2 3 4 5 6 7 8 9 . + - = _ ? : Space"
        # Korean, broken and truncated UTF-8, control bytes, C-\\ and DEL
        raw[1] = "ed 95 9c ea b5 ad ec 96 b4"; raw[2] = "ec a0 95 ec a1 b1 ec 88 98"
        raw[3] = "c3 28"; raw[4] = "ff fe"; raw[5] = "e3 81"; raw[6] = "f0 9f 98"
        raw[7] = "1c"; raw[8] = "7f"; raw[9] = "00"; raw[10] = "1b 1b"; raw[11] = "07 08 0b 0c"
        raw[12] = "e2 96 88"; raw[13] = "ef bf bd"; raw[14] = "c0 af"
        # mouse reports (X10 and SGR), whole and cut short, and odd CSIs
        mouse[1] = "1b 5b 4d 20 21 21"; mouse[2] = "1b 5b 3c 30 3b 31 30 3b 35 4d"
        mouse[3] = "1b 5b 3c 30 3b 31 30 3b 35 6d"; mouse[4] = "1b 5b 3c 36 34 3b 39 3b 39 4d"
        mouse[5] = "1b 5b 4d"; mouse[6] = "1b 5b 3c 30 3b"; mouse[7] = "1b 5b 39 39 39 39 39 7e"
        mouse[8] = "1b 5b 31 3b 35 43"; mouse[9] = "1b 4f"; mouse[10] = "1b 5b 3f 31 30 30 30 68"
        text = "abcdefghijklmnoprstuvwxyz0123456789 ,./-:;@!#$%&*()[]{}<>=+|"
        for (b = 0; b < n; b++) {
            line = ""
            for (j = 0; j < 12; j++) {
                r = rand()
                if (r < 0.35) cmd = "send-keys -t " tgt " " pick(named)
                else if (r < 0.60) cmd = "send-keys -t " tgt " " pick(letters)
                else if (r < 0.75) {        # a command line of random text
                    s = ""
                    len = int(rand() * 20)
                    for (c = 0; c < len; c++) s = s substr(text, int(rand() * length(text)) + 1, 1)
                    cmd = "send-keys -t " tgt " -H 3a" hex(s)
                    if (rand() < 0.5) cmd = cmd " " raw[int(rand() * 14) + 1]
                    cmd = cmd " \\; send-keys -t " tgt " " pick("Enter Enter BSpace Escape Tab")
                } else if (r < 0.87) cmd = "send-keys -t " tgt " -H " raw[int(rand() * 14) + 1]
                else cmd = "send-keys -t " tgt " -H " mouse[int(rand() * 10) + 1]
                line = line (j ? " \\; " : "") cmd
            }
            print line
        }
    }'
}

echo "== abuse on $BIN (storm ${ABUSE_SECONDS}s, seed $ABUSE_SEED)"

# --- a key storm in the sandbox ---
start storm 120 40 "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color" --sandbox --seed 7
if wait_re storm "$HEADER" 15 && wait_for storm "ENSEMBLE" 10; then ok "sandbox up for the storm"
else bad "sandbox up for the storm" storm; fi
# more bursts than a storm can send: each takes a tmux call and a nap
storm_lines "$ABUSE_SEED" $((ABUSE_SECONDS * 60)) storm >"$TMP/storm"
exec 3<"$TMP/storm"
end=$(( $(date +%s) + ABUSE_SECONDS ))
bursts=0 died=""
while [ "$(date +%s)" -lt "$end" ] && read -r line <&3; do
    bursts=$((bursts + 1))
    eval "$T $line" >/dev/null 2>&1
    sleep 0.02
    if [ $((bursts % 25)) -eq 0 ] && ! alive storm; then died="after $bursts bursts"; break; fi
done
echo "  ($bursts bursts of 12 keys or sequences)"
if [ -z "$died" ] && alive storm; then ok "alive through ${ABUSE_SECONDS}s of random keys"
else bad "alive through the storm (died $died)" storm; fi
# let the keys drain, leave any prompt or overlay, and look
keys storm Escape; sleep 0.3; keys storm Escape; sleep 1
keys storm C-l
if wait_re storm "$HEADER" 10; then ok "storm: header intact"
else bad "storm: header intact" storm; fi
if footer_ok storm; then ok "storm: footer of keys intact"
else bad "storm: footer intact" storm; fi
if clean storm; then ok "storm: no garbage on screen"
else bad "storm: no garbage on screen" storm; fi
finish storm "storm"

# --- control keys: C-s must not freeze the screen (flow control), C-\\
# and C-z must not kill or stop it, C-c quits cleanly ---
start ctl 100 30 "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color" --sandbox
wait_re ctl "$HEADER" 15 || bad "control keys: sandbox up" ctl
keys ctl C-s; keys ctl -H 1c; keys ctl C-z
# polled, not slept: a busy machine may draw late, but must draw
t1=$(screen ctl | head -n 1 | sed -E 's/.*t=([0-9.]+)s.*/\1/')
n=$((10 * SLOW * 10)); t2=$t1
while [ "$n" -gt 0 ] && [ "$t2" = "$t1" ]; do
    sleep 0.1
    t2=$(screen ctl | head -n 1 | sed -E 's/.*t=([0-9.]+)s.*/\1/')
    n=$((n - 1))
done
if alive ctl && [ -n "$t1" ] && [ "$t1" != "$t2" ]; then ok "C-s, C-\\, C-z: alive, the clock still moves ($t1 -> $t2)"
else bad "C-s, C-\\, C-z: alive and drawing" ctl; fi
keys ctl C-q C-c
if wait_for ctl "exited 0" 10; then ok "C-c quits with status 0"
else bad "C-c quits with status 0" ctl; fi
if err_clean ctl; then ok "control keys: stderr empty"
else bad "control keys: stderr empty" ctl; fi

# --- a resize storm ---
start rs 120 40 "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color" --sandbox --seed 5
wait_for rs "ENSEMBLE" 15 || bad "resize: sandbox up" rs
i=0
# sizes from awk's seeded draw: many quick ones, some absurdly small
for sz in $(awk -v seed="$ABUSE_SEED" 'BEGIN { srand(seed); for (i = 0; i < 150; i++) {
        if (i % 10 == 9) print int(rand() * 12) + 1 "x" int(rand() * 4) + 1
        else print int(rand() * 161) + 40 "x" int(rand() * 51) + 10 } }'); do
    $T resize-window -t "=rs:" -x "${sz%x*}" -y "${sz#*x}"
    i=$((i + 1))
    [ $((i % 3)) -eq 0 ] && keys rs Tab
done
if alive rs; then ok "alive after $i resizes"
else bad "alive after the resize storm" rs; fi
$T resize-window -t "=rs:" -x 80 -y 24
if wait_re rs "$HEADER" 10 && wait_for rs "ENSEMBLE" 5 && wait_for rs "EVENTS" 5 && footer_ok rs; then
    ok "resize storm, then 80x24: header, panels and footer"
else bad "resize storm, then 80x24" rs; fi
if clean rs; then ok "80x24 after the storm: no garbage"
else bad "80x24 after the storm: no garbage" rs; fi
if [ "$(screen rs | wc -l)" -eq 24 ] && ! screen rs | grep -q "too small"; then
    ok "80x24: no leftover too-small message"
else bad "80x24: leftover lines" rs; fi
for sz in 79x24 80x23 40x10 20x5; do
    $T resize-window -t "=rs:" -x "${sz%x*}" -y "${sz#*x}"
    if wait_for rs "need" 5 && wait_for rs "q quits" 5 && clean rs; then
        ok "$sz: says the terminal is too small"
    else bad "$sz: says the terminal is too small" rs; fi
done
$T resize-window -t "=rs:" -x 120 -y 40
if wait_for rs "ENSEMBLE" 5 && header_ok rs; then ok "grows back to 120x40"
else bad "grows back to 120x40" rs; fi
finish rs "resize storm"

# --- tiny from the start, with keys ---
start tiny 20 5 "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color" --sandbox
if wait_for tiny "terminal too" 10 && wait_for tiny "q quits" 5; then ok "20x5 from the start: too small, q quits"
else bad "20x5 from the start" tiny; fi
keys tiny Tab k : a b Enter Escape F1 '?' Up NPage
sleep 0.5
if alive tiny && clean tiny; then ok "keys in a tiny terminal: alive, no garbage"
else bad "keys in a tiny terminal" tiny; fi
finish tiny "tiny"

# --- no UTF-8: the C and POSIX locales ---
start cloc 100 30 "LANG=C LC_ALL=C TERM=xterm-256color" --sandbox
if wait_for cloc "not a UTF-8 locale: English and ASCII only" 15; then ok "LC_ALL=C: says it shows English and ASCII"
else bad "LC_ALL=C: says so" cloc; fi
wait_for cloc "quorum 2 of 3 - 3 up - serving" 15 || bad "LC_ALL=C: the quorum line in ASCII" cloc
keys cloc :; keys cloc -H ed 95 9c ea b5 ad; keys cloc -l " zk1"; keys cloc Enter
keys cloc :; keys cloc -l "lua print('"; keys cloc -H ec a0 95 ec a1 b1 ec 88 98; keys cloc -l "')"; keys cloc Enter
sleep 1
if header_ok cloc && footer_ok cloc && clean cloc; then ok "LC_ALL=C: header, footer, no ~-escapes after Korean input"
else bad "LC_ALL=C: intact after Korean input" cloc; fi
if ascii_only cloc; then ok "LC_ALL=C: every glyph on screen is ASCII"
else bad "LC_ALL=C: ASCII only" cloc; fi
finish cloc "LC_ALL=C"

start ploc 100 30 "LANG= LC_ALL=POSIX TERM=xterm-256color" --sandbox --lang ko
if wait_for ploc "Korean needs a UTF-8 locale" 15 && wait_for ploc "ENSEMBLE" 5; then
    ok "LC_ALL=POSIX --lang ko: English, and says why"
else bad "LC_ALL=POSIX --lang ko" ploc; fi
if ascii_only ploc && clean ploc && header_ok ploc; then ok "LC_ALL=POSIX: ASCII only, intact"
else bad "LC_ALL=POSIX: ASCII only, intact" ploc; fi
finish ploc "LC_ALL=POSIX"

# --- a UTF-8 locale that is not installed here still draws Korean (the
# character type falls back to C.UTF-8); a Korean non-UTF-8 one degrades
start kou 100 30 "-u LC_ALL LANG=ko_KR.UTF-8 TERM=xterm-256color" --sandbox
if wait_for kou "쿼럼 2/3 · 3대 가동 · 서비스 중" 15 && clean kou; then ok "LANG=ko_KR.UTF-8: Korean words"
else bad "LANG=ko_KR.UTF-8: Korean words" kou; fi
finish kou "LANG=ko_KR.UTF-8"
start koe 100 30 "-u LC_ALL LANG=ko_KR.EUC-KR TERM=xterm-256color" --sandbox
if wait_for koe "Korean needs a UTF-8 locale" 15 && wait_for koe "ENSEMBLE" 5 && ascii_only koe && clean koe; then
    ok "LANG=ko_KR.EUC-KR: English and ASCII, and says why"
else bad "LANG=ko_KR.EUC-KR: English and ASCII, and says why" koe; fi
finish koe "LANG=ko_KR.EUC-KR"

# --- a lesson in the C locale: its text degrades the same way ---
start lc 100 30 "LANG=C LC_ALL=C TERM=xterm-256color" lessons/05_odd_ensembles.lua --speed 50
# (at 100 columns the panel title drops the word LESSON for the counts)
if wait_for lc "05_odd_ensembles.lua  step 1/" 20 && ascii_only lc && clean lc; then
    ok "LC_ALL=C lesson: ASCII only, intact"
else bad "LC_ALL=C lesson" lc; fi
finish lc "LC_ALL=C lesson"

# --- TERM=vt100: no colours, still readable ---
start vt 80 24 "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=vt100" --sandbox
if wait_for vt "quorum 2 of 3 · 3 up · serving" 15 && header_ok vt && footer_ok vt; then
    ok "TERM=vt100: the screen is whole"
else bad "TERM=vt100: the screen is whole" vt; fi
keys vt k '?'
if wait_for vt "crash the selected node" 5 && clean vt; then ok "TERM=vt100: keys and help work"
else bad "TERM=vt100: keys and help" vt; fi
# the selection must show without colour: reverse video on '>zk1'
if $T capture-pane -p -e -t "=vt:" | grep -q "$(printf '\033\\[7m')"; then ok "TERM=vt100: selection in reverse video"
else bad "TERM=vt100: selection in reverse video" vt; fi
finish vt "TERM=vt100"

# --- terminals curses cannot drive: one line, exit 2 ---
for t in dumb nonesuch-term unset; do
    if [ "$t" = unset ]; then e="-u TERM LANG=C.UTF-8"; else e="LANG=C.UTF-8 TERM=$t"; fi
    start "t$t" 100 10 "$e" --sandbox
    # the runner sends stderr to the file: that is where the line goes
    if wait_for "t$t" "exited 2" 10 && [ "$(grep -c . "$TMP/t$t.err")" -eq 1 ] &&
       grep -qE "^quorumlab: .*(TERM|terminal).*--headless SCRIPT.lua$" "$TMP/t$t.err" &&
       [ "$(wc -c <"$TMP/t$t.err")" -le 100 ] && clean "t$t"; then
        ok "TERM=$t: one clear line ($(cat "$TMP/t$t.err")), exit 2"
    else bad "TERM=$t: one clear line, exit 2" "t$t"; fi
    if ! grep -qE "Sanitizer|runtime error" "$TMP/t$t.err"; then ok "TERM=$t: no sanitizer report"
    else bad "TERM=$t: no sanitizer report" "t$t"; fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
