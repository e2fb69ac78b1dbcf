# quorumlab: `make run` builds and opens the lab; `make test` runs every test.
# Dependencies come from the system through pkg-config; when one is missing,
# scripts/install-deps.sh installs it (apt-get) or says how.

BUILD   ?= build
CC      ?= cc
SAN     ?=
OPT     ?= -O2
CFLAGS_BASE = -std=c11 -g $(OPT) -Wall -Wextra -Wshadow -Wno-unused-parameter \
              -D_DEFAULT_SOURCE -D_XOPEN_SOURCE_EXTENDED -MMD -MP
# The program and the benchmarks are linked with link-time optimisation
# (the scale run spends 8% fewer instructions); the objects carry ordinary
# code beside it (fat), so the unit tests link them without that step.
LTO      ?= -flto=auto
LTO_OBJ   = $(if $(LTO),$(LTO) -ffat-lto-objects)
NO_LTO    = $(if $(LTO),-fno-lto)
ifeq ($(SAN),1)
  OPT = -O1
  SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  LTO =
endif

# Libraries in three groups, each linked only where it is used: Lua into
# everything (lab/lua embeds it), curses into the dashboard (viz/ and the
# program), cmocka into the unit tests. Recursively expanded on purpose:
# pkg-config runs only once deps exist.
PKGS      = lua5.4 ncursesw cmocka
LIBS_LAB  = $(shell pkg-config --libs lua5.4) -lm
LIBS_VIZ  = $(shell pkg-config --libs ncursesw)
LIBS_TEST = $(shell pkg-config --libs cmocka)
CFLAGS_ALL = $(CFLAGS_BASE) $(SANFLAGS) $(shell pkg-config --cflags $(PKGS)) $(LAB_DIRS:%=-I%) -Iviz -Iapp $(CFLAGS)

# lab/ is layered: the simulator kernel, the ensemble, the brokers, KRaft, the
# worlds that assemble them (with checkers and fuzzer), the Lua module.
LAB_DIRS = lab/sim lab/zk lab/kafka lab/kraft lab/world lab/real lab/lua
LAB_OBJ  = $(foreach d,$(LAB_DIRS),$(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard $(d)/*.c)))
VIZ_OBJ  = $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard viz/*.c))
# main.c and the sockets of real clients (listen.c) need lab/ and viz/
MAIN_OBJ = $(BUILD)/obj/app/main.o $(BUILD)/obj/app/listen.o $(BUILD)/obj/app/listen_rec.o
# the program's own modules beside main.c (the options parser): its unit
# tests link them
APP_OBJ  = $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out app/main.c app/listen.c app/listen_rec.c,$(wildcard app/*.c)))
TEST_SRC = $(wildcard tests/unit/test_*.c)
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC = $(wildcard tests/bench/bench_*.c)
BENCH_BIN = $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
ASAN_BUILD = build/asan
DEPS_OK  = build/.deps-ok

.SECONDARY:

.PHONY: all run test test-fast unit scenarios e2e asan bench fuzz soak clean deps help

all: $(BUILD)/quorumlab $(TEST_BIN)

help:
	@echo "make run         build and open the dashboard (installs missing deps; ARGS=... passes options)"
	@echo "make test        every test on the normal build, then on the ASan+UBSan build"
	@echo "make test-fast   every test on the normal build only"
	@echo "make unit        the cmocka unit tests (tests/unit)"
	@echo "make scenarios   the headless scenario tests (tests/scenarios)"
	@echo "make e2e         the dashboard suites that drive it in tmux (e2e, abuse, hangup, teach)"
	@echo "make asan        build with ASan+UBSan into $(ASAN_BUILD) and run every test on it"
	@echo "make bench       print the benchmark figures"
	@echo "make fuzz        10,000 fuzz seeds (FUZZ_SEED=N moves the window)"
	@echo "make soak        100,000 fuzz seeds"
	@echo "make deps        install what is missing (scripts/install-deps.sh)"
	@echo "make all         build the program and the unit tests (the default)"
	@echo "make clean       remove build/"

# Installs missing dependencies once; re-checks when the script changes.
$(DEPS_OK): scripts/install-deps.sh
	@mkdir -p build
	@scripts/install-deps.sh --check >/dev/null 2>&1 || scripts/install-deps.sh
	@touch $@

deps: $(DEPS_OK)

$(BUILD)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LTO_OBJ) -c $< -o $@

$(BUILD)/quorumlab: $(MAIN_OBJ) $(APP_OBJ) $(LAB_OBJ) $(VIZ_OBJ)
	$(CC) $(CFLAGS_ALL) $(LTO) -o $@ $^ $(LIBS_VIZ) $(LIBS_LAB) $(LDLIBS)

# Unit tests and benchmarks of lab/ link lab only; those of viz/ add viz and
# curses (for them the pattern with the shorter stem, test_viz_%, wins).
$(BUILD)/tests/test_viz_%: $(BUILD)/obj/tests/unit/test_viz_%.o $(VIZ_OBJ) $(LAB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(NO_LTO) -o $@ $^ $(LIBS_TEST) $(LIBS_VIZ) $(LIBS_LAB) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LAB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(NO_LTO) -o $@ $^ $(LIBS_TEST) $(LIBS_LAB) $(LDLIBS)

# the program's options parser is tested alone: it needs neither lab nor viz
$(BUILD)/tests/test_opts: $(BUILD)/obj/tests/unit/test_opts.o $(APP_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(NO_LTO) -o $@ $^ $(LIBS_TEST) $(LDLIBS)

# (a pattern's stem is never empty, so bench_viz itself is named)
$(BUILD)/bench/bench_viz: $(BUILD)/obj/tests/bench/bench_viz.o $(VIZ_OBJ) $(LAB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LTO) -o $@ $^ $(LIBS_VIZ) $(LIBS_LAB) $(LDLIBS)

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(LAB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LTO) -o $@ $^ $(LIBS_LAB) $(LDLIBS)

run: $(BUILD)/quorumlab
	$(BUILD)/quorumlab $(ARGS)

# The whole suite: normal build, then again under ASan and UBSan; one
# tests/run.sh over both (its jobs side by side, one per core), so the
# last line totals everything. The builds use every core too, unless -j
# was given (then make's own job server shares them).
NPROC   := $(shell nproc 2>/dev/null || echo 2)
SUBJOBS  = $(if $(findstring -j,$(MAKEFLAGS)),,-j$(NPROC))
test:
	@$(MAKE) --no-print-directory $(SUBJOBS) all
	@$(MAKE) --no-print-directory $(SUBJOBS) BUILD=$(ASAN_BUILD) SAN=1 all
	@tests/run.sh $(BUILD) $(ASAN_BUILD)

# The normal build only, for quick iteration.
test-fast:
	@$(MAKE) --no-print-directory $(SUBJOBS) all
	@tests/run.sh $(BUILD)

# One kind of test at a time (tests/run.sh --only says which).
unit: $(TEST_BIN)
	@tests/run.sh --only unit $(BUILD)

scenarios: $(BUILD)/quorumlab
	@tests/run.sh --only scenarios $(BUILD)

e2e: $(BUILD)/quorumlab
	@tests/run.sh --only e2e $(BUILD)

asan:
	@$(MAKE) --no-print-directory $(SUBJOBS) BUILD=$(ASAN_BUILD) SAN=1 all
	@tests/run.sh $(ASAN_BUILD)

# The simulation fuzzer beyond the 5,000 seeds of `make test`.
# FUZZ_SEED moves the window: make fuzz FUZZ_SEED=20001.
FUZZ_SEED ?= 1
fuzz: $(BUILD)/quorumlab
	$(BUILD)/quorumlab --fuzz 10000 --seed $(FUZZ_SEED)

soak: $(BUILD)/quorumlab
	$(BUILD)/quorumlab --fuzz 100000 --seed $(FUZZ_SEED)

bench: all $(BENCH_BIN)
	@tests/bench.sh $(BUILD)

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
