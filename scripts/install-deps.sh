#!/bin/sh
# Installs what quorumlab needs to build and to run every test, on a machine
# that has only a C compiler, make and git (a minimal Debian 12 is checked):
#   build:  pkg-config, Lua 5.4, ncursesw, cmocka (headers and libraries)
#   tests:  tmux (the dashboard suites drive it), procps (pgrep and ps, for
#           hangup.sh), valgrind (valgrind.sh), python3-kazoo and
#           zookeeper-bin (real ZooKeeper clients for real_clients.sh:
#           kazoo and the C client's cli_mt; zkCli.sh is left out, as
#           Debian's zookeeper package brings a whole JVM), kcat (a real
#           Kafka client, librdkafka's, for real_clients.sh), netcat-openbsd
#           (nc: real_clients.sh's four-letter words and refused ports)
# Everything else the suites call (sh, awk, sed, grep, cmp, timeout, mktemp
# and the other coreutils) is in every Debian base system (minbase included).
# On Debian/Ubuntu it uses apt-get; elsewhere it prints what to install.
# `install-deps.sh --check` only reports, exiting 1 when something is missing.
set -eu

missing=""
add() { case " $missing " in *" $1 "*) ;; *) missing="$missing $1" ;; esac; }
need_pc() { pkg-config --exists "$1" 2>/dev/null || add "$2"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || add "$2"; }

# each line: what is looked for, then the Debian package that brings it
check() {
    missing=""
    need_cmd cc gcc
    need_cmd make make
    need_cmd pkg-config pkg-config
    if command -v pkg-config >/dev/null 2>&1; then
        need_pc lua5.4 liblua5.4-dev
        need_pc ncursesw libncurses-dev
        need_pc cmocka libcmocka-dev
    else
        add liblua5.4-dev; add libncurses-dev; add libcmocka-dev
    fi
    need_cmd tmux tmux
    need_cmd pgrep procps
    need_cmd ps procps
    need_cmd valgrind valgrind
    /usr/bin/python3 -c 'import kazoo' >/dev/null 2>&1 || add python3-kazoo
    [ -x /usr/lib/zookeeper/bin/cli_mt ] || add zookeeper-bin
    need_cmd kcat kcat
    need_cmd nc netcat-openbsd
}

check
if [ -z "$missing" ]; then
    [ "${1:-}" = "--check" ] || echo "install-deps: everything is installed"
    exit 0
fi
[ "${1:-}" = "--check" ] && { echo "install-deps: missing:$missing"; exit 1; }

echo "install-deps: missing:$missing"
if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "install-deps: not root and no sudo here; as root, run:" >&2
            echo "  apt-get install -y --no-install-recommends$missing" >&2
            exit 1
        fi
        SUDO="sudo"
    fi
    $SUDO apt-get update -qq
    # recommends left out: they pull autotools and documentation in
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends $missing
    check
    [ -z "$missing" ] && { echo "install-deps: done"; exit 0; }
    echo "install-deps: still missing:$missing" >&2
    exit 1
fi
cat >&2 <<MSG
install-deps: no apt-get here. Install these with your package manager:
  Fedora:  sudo dnf install gcc make pkgconf lua-devel ncurses-devel libcmocka-devel tmux procps-ng valgrind
  Arch:    sudo pacman -S gcc make pkgconf lua ncurses cmocka tmux procps-ng valgrind
  macOS:   brew install pkg-config lua ncurses cmocka tmux
(Lua must be 5.4 and visible to pkg-config as lua5.4.)
MSG
exit 1
