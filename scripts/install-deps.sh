#!/bin/sh
# Installs what quorumlab needs to build and test: a C compiler, make,
# pkg-config, Lua 5.4, ncursesw and cmocka (headers and libraries), tmux.
# On Debian/Ubuntu it uses apt-get; elsewhere it prints what to install.
# `install-deps.sh --check` only reports, exiting 1 when something is missing.
set -eu

missing=""
need_pc() { pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }

check() {
    missing=""
    need_cmd cc gcc
    need_cmd make make
    if command -v pkg-config >/dev/null 2>&1; then
        need_pc lua5.4 liblua5.4-dev
        need_pc ncursesw libncurses-dev
        need_pc cmocka libcmocka-dev
    else
        missing="$missing pkg-config liblua5.4-dev libncurses-dev libcmocka-dev"
    fi
    need_cmd tmux tmux
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
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
    check
    [ -z "$missing" ] && { echo "install-deps: done"; exit 0; }
    echo "install-deps: still missing:$missing" >&2
    exit 1
fi
cat >&2 <<MSG
install-deps: no apt-get here. Install these with your package manager:
  Fedora:  sudo dnf install gcc make pkgconf lua-devel ncurses-devel libcmocka-devel tmux
  Arch:    sudo pacman -S gcc make pkgconf lua ncurses cmocka tmux
  macOS:   brew install pkg-config lua ncurses cmocka tmux
(Lua must be 5.4 and visible to pkg-config as lua5.4.)
MSG
exit 1
