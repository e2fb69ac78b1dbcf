#!/bin/sh
# Every lesson stepped on screen: the real binary in tmux, the learner's
# keys sent as typed, the screen read back. One file per lesson in
# tests/lesson_keys/ (named after the lesson, e.g. 01_brokers.sh), sourced
# here in turn; each opens its lesson, steps to its first task, does the
# task with keys (or the command line) and checks the screen says so.
# A lesson without a file here is a failure: every lesson has its case.
#   usage: tests/suites/lesson_keys.sh BUILD_DIR   (prints "N passed, N failed" last)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BIN=$BUILD/quorumlab
SUITE=lesson_keys
. tests/lib/tmux.sh

echo "== lesson_keys on $BIN"
# a session that lives as long as the suite: killing a case's session
# must never leave the server with none, or it exits while the next case
# starts one ("server exited unexpectedly", then "no server running")
$T new-session -d -s _keep "sleep 86400"
for lesson in lessons/*.lua; do
    name=$(basename "$lesson" .lua)
    case_file=tests/lesson_keys/$name.sh
    if [ ! -f "$case_file" ]; then
        bad "$lesson has no on-screen case ($case_file)"
        continue
    fi
    # each case may use the session name "$name" and the variable $lesson
    . "./$case_file"
    end_session "$name"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
