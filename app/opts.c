/* opts: the one command-line parser. Every option is in one table with
 * the modes it applies to, so an option given where it does nothing is an
 * error rather than silently ignored. */
#include "opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M_DASH = 1, M_HEAD = 2, M_FUZZ = 4, M_LIST = 8 };

typedef enum opt_id {
    O_HEADLESS, O_FUZZ, O_LIST, O_SEED, O_TRACE, O_LANG, O_TRUST, O_MEM_MAX, O_SANDBOX,
    O_ZOOKEEPERS, O_BROKERS, O_SPEED, O_FUZZ_UNSAFE, O_FUZZ_KEEP_GOING,
    O_LISTEN, O_ZK_PORT, O_KAFKA_PORT, O_REPLAY, O_MODE, O_COMPARE, O_LESSON, O_COUNT
} opt_id;

static const struct opt {
    const char *name;
    bool value;                 /* takes the next argument (or =VALUE) */
    unsigned modes;             /* the modes it applies to */
} table[O_COUNT] = {
    [O_HEADLESS] = { "--headless", true, M_HEAD },
    [O_FUZZ] = { "--fuzz", true, M_FUZZ },
    [O_LIST] = { "--list", false, M_LIST },
    [O_SEED] = { "--seed", true, M_DASH | M_HEAD | M_FUZZ },
    [O_TRACE] = { "--trace", true, M_DASH | M_HEAD | M_FUZZ },
    [O_LANG] = { "--lang", true, M_DASH | M_HEAD | M_LIST },
    [O_TRUST] = { "--trust", false, M_DASH | M_HEAD },
    [O_MEM_MAX] = { "--mem-max", true, M_DASH | M_HEAD },
    [O_SANDBOX] = { "--sandbox", false, M_DASH },
    [O_ZOOKEEPERS] = { "--zookeepers", true, M_DASH },
    [O_BROKERS] = { "--brokers", true, M_DASH },
    [O_SPEED] = { "--speed", true, M_DASH },
    [O_FUZZ_UNSAFE] = { "--fuzz-unsafe", false, M_FUZZ },
    [O_FUZZ_KEEP_GOING] = { "--fuzz-keep-going", false, M_FUZZ },
    /* its address is optional: --listen, --listen=ADDR, --listen 0.0.0.0 */
    [O_LISTEN] = { "--listen", false, M_DASH | M_HEAD },
    [O_ZK_PORT] = { "--zk-port", true, M_DASH | M_HEAD },
    [O_KAFKA_PORT] = { "--kafka-port", true, M_DASH | M_HEAD },
    [O_REPLAY] = { "--replay", true, M_HEAD },
    [O_MODE] = { "--mode", true, M_DASH },
    [O_COMPARE] = { "--compare", false, M_DASH },
    [O_LESSON] = { "--lesson", true, M_DASH },
};

/* An IPv4 address in dotted digits (what --listen may take after a space). */
static bool looks_addr(const char *s)
{
    return s[0] >= '0' && s[0] <= '9' && strspn(s, "0123456789.") == strlen(s) &&
           strchr(s, '.');
}

static const char *mode_flag(unsigned m)
{
    return m == M_HEAD ? "--headless" : m == M_FUZZ ? "--fuzz" :
           m == M_LIST ? "--list" : "the dashboard";
}

static bool fail(char *err, size_t cap, const char *fmt, const char *a,
                 const char *b)
{
    snprintf(err, cap, fmt, a, b ? b : "");
    return false;
}

/* A whole decimal number in [lo, hi], no sign. */
static bool number(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    if (!s || s[0] < '0' || s[0] > '9') return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* Stores one option's value; false with the reason in err. */
static bool set(ql_opts *o, opt_id id, const char *v, char *err, size_t cap)
{
    uint64_t n;
    char *end;
    switch (id) {
    case O_HEADLESS: o->script = v; return true;
    case O_LIST: return true;
    case O_TRACE: o->trace_path = v; return true;
    case O_TRUST: o->trust = true; return true;
    case O_SANDBOX: o->sandbox = true; return true;
    /* the sandbox twice, one world in each mode: it needs no --sandbox */
    case O_COMPARE: o->compare = o->sandbox = true; return true;
    case O_FUZZ_UNSAFE: o->fuzz_unsafe = true; return true;
    case O_FUZZ_KEEP_GOING: o->fuzz_keep_going = true; return true;
    case O_LISTEN:
        if (v && !looks_addr(v))
            return fail(err, cap, "--listen takes an IPv4 address: %s%s", v, NULL);
        o->listen = true;
        o->listen_addr = v;
        return true;
    case O_REPLAY: o->replay_path = v; return true;
    case O_LESSON: o->lesson_pick = v; return true;
    case O_ZK_PORT:
        if (!number(v, 1, 65535, &n))
            return fail(err, cap, "--zk-port takes a port from 1 to 65535: %s%s", v, NULL);
        o->zk_port = (int)n;
        return true;
    case O_KAFKA_PORT:
        if (!number(v, 1, 65535, &n))
            return fail(err, cap, "--kafka-port takes a port from 1 to 65535: %s%s", v, NULL);
        o->kafka_port = (int)n;
        return true;
    case O_FUZZ:
        if (!number(v, 1, UINT64_MAX, &o->fuzz_count))
            return fail(err, cap, "--fuzz takes a number of seeds from 1: %s%s", v, NULL);
        return true;
    case O_SEED:
        if (!number(v, 0, UINT64_MAX, &o->seed))
            return fail(err, cap, "--seed takes a number from 0 to 2^64-1: %s%s", v, NULL);
        o->seed_set = true;
        return true;
    case O_LANG:
        if (strcmp(v, "en") != 0 && strcmp(v, "ko") != 0)
            return fail(err, cap, "--lang takes en or ko: %s%s", v, NULL);
        o->lang = v;
        return true;
    case O_MEM_MAX:
        if (!number(v, 1, 1u << 20, &n))
            return fail(err, cap, "--mem-max takes megabytes from 1 to 1048576: %s%s", v, NULL);
        o->world_mem_max = (size_t)n << 20;
        return true;
    case O_ZOOKEEPERS:
        if (!number(v, 1, 15, &n))
            return fail(err, cap, "--zookeepers takes 1 to 15: %s%s", v, NULL);
        o->zookeepers = (int)n;
        return true;
    case O_MODE:
        if (strcmp(v, "zookeeper") != 0 && strcmp(v, "kraft") != 0)
            return fail(err, cap, "--mode takes zookeeper or kraft: %s%s", v, NULL);
        o->kraft = strcmp(v, "kraft") == 0;
        return true;
    case O_BROKERS:
        if (!number(v, 0, 100, &n))
            return fail(err, cap, "--brokers takes 0 to 100: %s%s", v, NULL);
        o->brokers = (int)n;
        return true;
    case O_SPEED:
        o->speed = strtod(v, &end);
        if (end == v || *end || !(o->speed >= 0.1 && o->speed <= 1000))
            return fail(err, cap, "--speed takes 0.1 to 1000: %s%s", v, NULL);
        return true;
    default:
        return true;
    }
}

/* The option named by arg ("--seed" or "--seed=7"); O_COUNT if none. */
static opt_id lookup(const char *arg, const char **inline_value)
{
    size_t len = strcspn(arg, "=");
    *inline_value = arg[len] == '=' ? arg + len + 1 : NULL;
    for (int i = 0; i < O_COUNT; i++)
        if (strlen(table[i].name) == len && strncmp(arg, table[i].name, len) == 0)
            return (opt_id)i;
    return O_COUNT;
}

/* The mode the flags ask for; false when they ask for two. */
static bool pick_mode(const bool *seen, ql_opts *o, char *err, size_t cap)
{
    static const struct { opt_id id; ql_mode mode; } modes[] = {
        { O_HEADLESS, QL_HEADLESS }, { O_FUZZ, QL_FUZZ }, { O_LIST, QL_LIST } };
    const char *first = NULL;
    o->mode = QL_DASHBOARD;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        if (!seen[modes[i].id]) continue;
        if (first) {
            if (seen[O_FUZZ] && seen[O_HEADLESS])
                return fail(err, cap, "--fuzz runs no script%s%s", "", NULL);
            return fail(err, cap, "%s and %s do not go together", first,
                        table[modes[i].id].name);
        }
        first = table[modes[i].id].name;
        o->mode = modes[i].mode;
    }
    return true;
}

static unsigned mode_bit(ql_mode m)
{
    return m == QL_HEADLESS ? M_HEAD : m == QL_FUZZ ? M_FUZZ :
           m == QL_LIST ? M_LIST : M_DASH;
}

/* Every option given applies to the mode, and a dashboard lesson comes
 * without the sandbox's own options. */
static bool check_fit(const bool *seen, const ql_opts *o, const char *positional,
                      char *err, size_t cap)
{
    unsigned m = mode_bit(o->mode);
    if (positional && m == M_FUZZ)
        return fail(err, cap, "--fuzz runs no script: %s%s", positional, NULL);
    if (positional && m != M_DASH)
        return fail(err, cap, "unexpected argument: %s%s", positional, NULL);
    for (int i = 0; i < O_COUNT; i++) {
        if (!seen[i] || (table[i].modes & m)) continue;
        if (table[i].modes == M_FUZZ)
            return fail(err, cap, "%s needs --fuzz N%s", table[i].name, NULL);
        return fail(err, cap, "%s does not apply to %s", table[i].name, mode_flag(m));
    }
    if (positional && seen[O_LESSON])
        return fail(err, cap, "one lesson at a time: %s or --lesson %s", positional, o->lesson_pick);
    char named[80];
    if (m == M_DASH && (positional || seen[O_LESSON])) {
        if (!positional) {
            snprintf(named, sizeof named, "lesson %.60s", o->lesson_pick);
            positional = named;
        }
        static const opt_id sandbox_only[] = { O_SANDBOX, O_ZOOKEEPERS, O_BROKERS, O_MODE,
                                                O_COMPARE };
        for (size_t i = 0; i < sizeof sandbox_only / sizeof sandbox_only[0]; i++)
            if (seen[sandbox_only[i]])
                return fail(err, cap, "%s is for the sandbox, not a lesson (%s builds its own world)",
                            table[sandbox_only[i]].name, positional);
    }
    /* --compare runs one world in each mode: a mode of its own means nothing,
     * and the real clients' ports would reach only one of the two worlds */
    if (seen[O_COMPARE] && seen[O_MODE])
        return fail(err, cap, "--compare runs both modes (ZooKeeper left, KRaft right): "
                    "leave out %s%s", table[O_MODE].name, NULL);
    if (seen[O_COMPARE] && seen[O_LISTEN])
        return fail(err, cap, "--compare does not go with %s (a real client would reach one "
                    "world of the two, and they would no longer run alike; for KRaft: "
                    "--sandbox --mode kraft --listen)%s", table[O_LISTEN].name, NULL);
    /* a KRaft sandbox has controllers, no ensemble */
    if (o->kraft && seen[O_ZOOKEEPERS])
        return fail(err, cap, "%s is ZooKeeper mode's: --mode kraft has no ensemble%s",
                    table[O_ZOOKEEPERS].name, NULL);
    return true;
}

bool ql_opts_parse(int argc, char **argv, ql_opts *o, char *err, size_t cap)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->zookeepers = 3;
    o->brokers = 4;
    o->speed = 10;
    bool seen[O_COUNT] = { false };
    const char *positional = NULL;
    /* asking for help is never an error, whatever else is there */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            o->mode = QL_HELP;
            return true;
        }
        if (strcmp(argv[i], "--version") == 0) {
            o->mode = QL_VERSION;
            return true;
        }
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0') {
            if (positional) return fail(err, cap, "unexpected argument: %s%s", a, NULL);
            positional = a;
            continue;
        }
        const char *v;
        opt_id id = lookup(a, &v);
        if (id == O_COUNT) return fail(err, cap, "unknown option: %s%s", a, NULL);
        if (seen[id]) return fail(err, cap, "%s given twice%s", table[id].name, NULL);
        if (id == O_LISTEN && !v && i + 1 < argc && looks_addr(argv[i + 1])) v = argv[++i];
        if (!table[id].value && v && id != O_LISTEN)
            return fail(err, cap, "%s takes no value: %s", table[id].name, a);
        if (table[id].value && !v) {
            if (i + 1 >= argc) return fail(err, cap, "missing value after %s%s", a, NULL);
            v = argv[++i];
        }
        seen[id] = true;
        if (!set(o, id, v, err, cap)) return false;
    }
    if (!pick_mode(seen, o, err, cap) || !check_fit(seen, o, positional, err, cap))
        return false;
    /* a KRaft sandbox has the usual brokers (fencing needs some to
     * watch); --brokers 0 leaves the controller quorum alone */
    if (o->kraft && seen[O_LISTEN] && o->brokers == 0)
        return fail(err, cap, "--listen: a KRaft sandbox without brokers has nothing for "
                    "real clients (no ZooKeeper; controllers take no clients)%s%s", "", NULL);
    if (o->kraft && seen[O_ZK_PORT])
        return fail(err, cap, "%s is ZooKeeper mode's: --mode kraft has no ZooKeeper%s",
                    table[O_ZK_PORT].name, NULL);
    if (seen[O_ZK_PORT] && !seen[O_LISTEN])
        return fail(err, cap, "--zk-port needs --listen%s%s", "", NULL);
    if (seen[O_KAFKA_PORT] && !seen[O_LISTEN])
        return fail(err, cap, "--kafka-port needs --listen%s%s", "", NULL);
    if (seen[O_REPLAY] && seen[O_LISTEN])
        return fail(err, cap, "--replay re-runs the recorded clients without sockets: "
                    "leave out --listen%s%s", "", NULL);
    if (o->mode == QL_DASHBOARD) o->script = positional;
    return true;
}

/* The usage's first lines: how to call it, each mode on a line. */
static void synopsis(FILE *f, const char *argv0)
{
    int pad = (int)strlen(argv0) + 8;
    fprintf(f,
        "usage: %s [LESSON.lua | --lesson N | --sandbox [--zookeepers N] [--brokers N]\n"
        "%*s[--mode M] | --compare [--zookeepers N] [--brokers N]]\n"
        "%*s[--speed X] [--seed N] [--trace FILE] [--lang en|ko] [--trust] [--mem-max MB]\n"
        "       %s --headless FILE.lua [--seed N] [--trace FILE] [--lang en|ko] [--trust]\n"
        "%*s[--mem-max MB]\n"
        "       %s --fuzz N [--seed S] [--trace FILE] [--fuzz-unsafe] [--fuzz-keep-going]\n"
        "       %s --list [--lang en|ko]\n",
        argv0, pad, "", pad, "", argv0, pad, "", argv0, argv0);
}

void ql_usage_error(FILE *f, const char *argv0, const char *err)
{
    synopsis(f, argv0);
    fprintf(f, "%s --help explains every option.\n%s: %s\n", argv0, argv0, err);
}

void ql_usage(FILE *f, const char *argv0)
{
    synopsis(f, argv0);
    fprintf(f,
        "\n"
        "The dashboard (a terminal of at least 80x24):\n"
        "  (no arguments)   a picker: the sandbox or one of lessons/*.lua\n"
        "  LESSON.lua       run that lesson, step by step (n next, b back)\n"
        "  --lesson N       the same by its number as the picker shows it (1 the\n"
        "                   first), or its file's name: 05_odd_ensembles, odd_ensembles\n"
        "  --sandbox        free play: a cluster and one topic to break\n"
        "  --zookeepers N   ensemble servers in the sandbox, 1 to 15 (default 3)\n"
        "  --brokers N      brokers in the sandbox, 0 to 100 (default 4, in both modes)\n"
        "  --mode M         zookeeper (default) or kraft: a KRaft controller\n"
        "                   quorum of 3 (ctl1..ctl3) in the sandbox instead of the\n"
        "                   ensemble (--brokers 0: the quorum alone)\n"
        "  --compare        the sandbox twice from one seed, side by side: ZooKeeper\n"
        "                   mode left, KRaft right, the same --brokers (default 4);\n"
        "                   every key and : command reaches both (needs 100x30)\n"
        "  --speed X        simulated seconds per wall second, 0.1 to 1000\n"
        "                   (default 10)\n"
        "  press ? in the dashboard for every key\n"
        "\n"
        "Headless and common options:\n"
        "  --headless FILE  run a scenario without the dashboard: narration,\n"
        "                   checks and notable events print as they happen;\n"
        "                   the last line is \"N passed, N failed\"\n"
        "  --seed N         the world's seed (overrides lab.cluster{seed})\n"
        "  --trace FILE     write every trace event as JSON Lines\n"
        "  --lang en|ko     narration language (default: from LANG)\n"
        "  --trust          give the script the full Lua standard library\n"
        "  --mem-max MB     the world's memory budget (default 2048): past it\n"
        "                   the script stops with an error\n"
        "  --list           the lessons, one a line: its file and its title\n"
        "  --fuzz N         fuzz seeds S..S+N-1 (S from --seed, default 1):\n"
        "                   random worlds, workloads and faults, every\n"
        "                   invariant checked; a failure prints the settings\n"
        "                   and the command that replays it\n"
        "  --fuzz-unsafe    fuzz with unclean election on and\n"
        "                   min.insync.replicas=1, where any acknowledged\n"
        "                   record lost counts as a failure (shows the audit bites)\n"
        "  --fuzz-keep-going  run every seed instead of stopping at the first failure\n"
        "  --listen [ADDR]  let real ZooKeeper clients (zkCli, kazoo) and Kafka\n"
        "                   clients (kcat) use the ensemble's servers and the\n"
        "                   brokers over TCP on ADDR (127.0.0.1; any\n"
        "                   other address is warned about); the world then runs\n"
        "                   on the wall clock (1x); in KRaft mode the brokers\n"
        "                   only; not with --compare\n"
        "  --zk-port BASE   zk1 listens on BASE, zk2 on BASE+1... (default 2181)\n"
        "  --kafka-port BASE  the first broker listens on BASE, the next on\n"
        "                   BASE+1... (default 9092)\n"
        "  --replay TRACE   with --headless: re-run the real clients a --trace file\n"
        "                   recorded (same script and seed), without sockets\n"
        "  --help, --version\n"
        "An option that takes a value also takes it as --seed=7.\n"
        "\n"
        "Exit status: 0 every check passed, 1 a check failed or an invariant\n"
        "broke, 2 the script raised an error or the command line was wrong.\n"
        "The Lua API is in scripts/README.md.\n");
}
