# quorumlab: `make run` builds and opens the lab; `make test` runs every test.
# Dependencies come from the system through pkg-config; when one is missing,
# scripts/install-deps.sh installs it (apt-get) or says how.

BUILD   ?= build
CC      ?= cc
SAN     ?=
OPT     ?= -O2
CFLAGS_BASE = -std=c11 -g $(OPT) -Wall -Wextra -Wshadow -Wno-unused-parameter \
              -D_DEFAULT_SOURCE -D_XOPEN_SOURCE_EXTENDED -MMD -MP
ifeq ($(SAN),1)
  OPT = -O1
  SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

# Recursively expanded on purpose: pkg-config runs only once deps exist.
PKGS     = lua5.4 ncursesw cmocka
CFLAGS_ALL = $(CFLAGS_BASE) $(SANFLAGS) $(shell pkg-config --cflags $(PKGS)) $(LAB_DIRS:%=-I%) -Iviz $(CFLAGS)
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS)) -lm $(LDLIBS)

# lab/ is layered: the simulator kernel, the ensemble, the brokers, the
# worlds that assemble them (with checkers and fuzzer), the Lua module.
LAB_DIRS = lab/sim lab/zk lab/kafka lab/world lab/lua
LIB_SRC  = $(foreach d,$(LAB_DIRS),$(wildcard $(d)/*.c)) $(wildcard viz/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ = $(BUILD)/obj/app/main.o
TEST_SRC = $(wildcard tests/unit/test_*.c)
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC = $(wildcard tests/bench/bench_*.c)
BENCH_BIN = $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
DEPS_OK  = build/.deps-ok

.SECONDARY:

.PHONY: all run test test-fast unit scenarios e2e asan bench fuzz soak clean deps help

all: $(BUILD)/quorumlab $(TEST_BIN)

help:
	@echo "make run     build and open the dashboard (installs missing deps)"
	@echo "make test    build and run every test, sanitizers included"
	@echo "make bench   print the benchmark figures"
	@echo "make fuzz    10,000 fuzz seeds (make soak: 100,000)"
	@echo "make clean   remove build/"

# Installs missing dependencies once; re-checks when the script changes.
$(DEPS_OK): scripts/install-deps.sh
	@mkdir -p build
	@scripts/install-deps.sh --check >/dev/null 2>&1 || scripts/install-deps.sh
	@touch $@

deps: $(DEPS_OK)

$(BUILD)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/quorumlab: $(MAIN_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

run: $(BUILD)/quorumlab
	$(BUILD)/quorumlab $(ARGS)

# The whole suite: normal build, then again under ASan and UBSan.
test: all
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 all
	@tests/run.sh build build/asan

# The normal build only, for quick iteration.
test-fast: all
	@tests/run.sh build

# The simulation fuzzer beyond the 1,000 seeds of `make test`.
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
